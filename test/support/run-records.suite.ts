// The DeerFlow-style delete (issue 15), written once and run against each
// database backend: a thread's or a run's events with its runs rows, its
// threads_meta row and its feedback, in one transaction, exactly those rows
// and none of another thread's or run's; the seed's deletes stay events only.
import { afterEach, describe, expect, it } from 'vitest';
import type { InspectorStore } from '../../src-shared/types.ts';
import type { RunRecordsStore } from '../../src-main/store/run-records.ts';
import type { RawEvent, RawFeedback, RawRun, VintageData } from './deerflow-databases.ts';

export type RecordTable = 'run_events' | 'runs' | 'threads_meta' | 'feedback';

export interface RecordsDatabase {
  /** The store on it, open to write. */
  store: InspectorStore & RunRecordsStore;
  /** The table's rows by their keys, sorted: `thread/run/seq` events, `thread/run` runs and feedback, `thread` threads_meta. */
  keys(table: RecordTable): Promise<string[]>;
  /** Makes every delete from the table fail (a trigger), as a failure inside the transaction. */
  failDeletesFrom(table: RecordTable): Promise<void>;
  close(): Promise<void>;
}

export interface RecordsBackend {
  /** A database of the current vintage holding `data` as DeerFlow wrote it; `sql` run on it before the store opens. */
  open(data: VintageData, sql?: string): Promise<RecordsDatabase>;
}

const raw = (thread_id: string, run_id: string, seq: number): RawEvent => ({
  thread_id,
  run_id,
  event_type: 'llm.ai.response',
  category: 'message',
  content: `${run_id} ${seq}`,
  event_metadata: '{}',
  seq,
  created_at: '2026-04-04 00:49:25.123456',
});

const run = (thread_id: string, run_id: string, status = 'success'): RawRun => ({
  run_id,
  thread_id,
  status,
  model_name: 'gpt-4o',
  error: null,
  total_input_tokens: 1,
  total_output_tokens: 1,
  total_tokens: 2,
});

const feedback = (thread_id: string, run_id: string): RawFeedback => ({ feedback_id: `f-${thread_id}-${run_id}`, thread_id, run_id });

/**
 * Thread t1: run r2 (seq 1) then r1 (seq 2, 3), and a runs row r0 with no events (DeerFlow keeps rows of
 * runs that failed before writing any); thread t2: run r3 (seq 1, 2). Both named in threads_meta, a
 * feedback row for every run with events.
 */
export const TWO_THREADS: VintageData = {
  events: [raw('t1', 'r2', 1), raw('t1', 'r1', 2), raw('t1', 'r1', 3), raw('t2', 'r3', 1), raw('t2', 'r3', 2)],
  runs: [run('t1', 'r0'), run('t1', 'r1'), run('t1', 'r2'), run('t2', 'r3')],
  threads: [
    { thread_id: 't1', display_name: 'First' },
    { thread_id: 't2', display_name: 'Second' },
  ],
  feedback: [feedback('t1', 'r1'), feedback('t1', 'r2'), feedback('t2', 'r3')],
};

/** TWO_THREADS with its runs in DeerFlow's statuses, one active run a thread as its unique index allows: t1's r0 failed, r1 running, r2 succeeded; t2's r3 pending. */
const STATUSES: VintageData = { ...TWO_THREADS, runs: [run('t1', 'r0', 'error'), run('t1', 'r1', 'running'), run('t1', 'r2'), run('t2', 'r3', 'pending')] };

/** A runs table without a status column (the index on it goes first: SQLite refuses to drop a column an index names). */
const WITHOUT_STATUS = 'DROP INDEX ix_runs_thread_status; ALTER TABLE runs DROP COLUMN status';

const ALL_TABLES: RecordTable[] = ['run_events', 'runs', 'threads_meta', 'feedback'];

export function describeRunRecords(name: string, backend: RecordsBackend): void {
  describe(`the DeerFlow-style delete: ${name}`, () => {
    let opened: RecordsDatabase[] = [];
    const open = async (data: VintageData = TWO_THREADS, sql?: string) => {
      const db = await backend.open(data, sql);
      opened.push(db);
      return db;
    };
    afterEach(async () => {
      await Promise.all(opened.map((db) => db.close()));
      opened = [];
    });
    /** The thread list as `thread events`, by thread id. */
    const listed = async (db: RecordsDatabase) => (await db.store.listThreads()).map((thread) => `${thread.thread_id} ${thread.event_count}`).sort();
    const everything = async (db: RecordsDatabase) => Object.fromEntries(await Promise.all(ALL_TABLES.map(async (table) => [table, await db.keys(table)])));

    it("counts what would go with a thread's or a run's events: its runs rows, its threads_meta row, its feedback", async () => {
      const { store } = await open();
      expect(await store.deletableRecords('t1')).toEqual({ runs: 3, threadsMeta: 1, feedback: 2, active: 0 });
      expect(await store.deletableRecords('t1', 'r1')).toEqual({ runs: 1, threadsMeta: 0, feedback: 1, active: 0 });
      expect(await store.deletableRecords('t2')).toEqual({ runs: 1, threadsMeta: 1, feedback: 1, active: 0 });
      // A run of another thread is not this thread's.
      expect(await store.deletableRecords('t2', 'r1')).toEqual({ runs: 0, threadsMeta: 0, feedback: 0, active: 0 });
      expect(await store.deletableRecords('nobody')).toEqual({ runs: 0, threadsMeta: 0, feedback: 0, active: 0 });
    });

    it('counts the runs rows a delete would take that DeerFlow lists as pending or running, and none where the table has no status column', async () => {
      const { store } = await open(STATUSES);
      expect(await store.deletableRecords('t1')).toMatchObject({ runs: 3, active: 1 });
      expect(await store.deletableRecords('t1', 'r1')).toMatchObject({ runs: 1, active: 1 });
      expect(await store.deletableRecords('t1', 'r2')).toMatchObject({ runs: 1, active: 0 });
      expect(await store.deletableRecords('t1', 'r0')).toMatchObject({ runs: 1, active: 0 });
      expect(await store.deletableRecords('t2')).toMatchObject({ runs: 1, active: 1 });
      expect(await store.deletableRecords('t2', 'r3')).toMatchObject({ runs: 1, active: 1 });
      const noStatus = await open(STATUSES, WITHOUT_STATUS);
      expect(await noStatus.store.deletableRecords('t1')).toEqual({ runs: 3, threadsMeta: 1, feedback: 2, active: 0 });
    });

    it("a thread's delete takes its events, runs rows, threads_meta row and feedback, and nothing of the other thread; the thread leaves the list", async () => {
      const db = await open();
      expect(await db.store.deleteWithRecords('t1')).toEqual({ events: 3, runs: 3, threadsMeta: 1, feedback: 2 });
      expect(await everything(db)).toEqual({ run_events: ['t2/r3/1', 't2/r3/2'], runs: ['t2/r3'], threads_meta: ['t2'], feedback: ['t2/r3'] });
      expect(await listed(db)).toEqual(['t2 2']);
      // Guarantee 8: the thread is new again.
      expect((await db.store.put({ thread_id: 't1', run_id: 'r9', event_type: 'llm.human.input', category: 'message', content: 'again' })).seq).toBe(1);
    });

    it("a run's delete takes its events, its runs row and its feedback; its thread keeps its threads_meta row, and its next seq stays above the deleted ones", async () => {
      const db = await open();
      expect(await db.store.deleteWithRecords('t1', 'r1')).toEqual({ events: 2, runs: 1, threadsMeta: 0, feedback: 1 });
      expect(await everything(db)).toEqual({
        run_events: ['t1/r2/1', 't2/r3/1', 't2/r3/2'],
        runs: ['t1/r0', 't1/r2', 't2/r3'],
        threads_meta: ['t1', 't2'],
        feedback: ['t1/r2', 't2/r3'],
      });
      expect((await db.store.listRuns('t1')).map((r) => r.run_id)).toEqual(['r2']);
      expect((await db.store.put({ thread_id: 't1', run_id: 'r9', event_type: 'llm.human.input', category: 'message', content: 'next' })).seq).toBe(4);
    });

    it('the seed\'s deleteByThread and deleteByRun take the events only, and a thread named in threads_meta stays listed, empty', async () => {
      const db = await open();
      expect(await db.store.deleteByRun('t1', 'r1')).toBe(2);
      expect(await db.store.deleteByThread('t1')).toBe(1);
      expect(await everything(db)).toEqual({
        run_events: ['t2/r3/1', 't2/r3/2'],
        runs: ['t1/r0', 't1/r1', 't1/r2', 't2/r3'],
        threads_meta: ['t1', 't2'],
        feedback: ['t1/r1', 't1/r2', 't2/r3'],
      });
      expect(await listed(db)).toEqual(['t1 0', 't2 2']);
    });

    it("a thread with no events left still loses its run records and its place in the list", async () => {
      const db = await open();
      await db.store.deleteByThread('t1');
      expect(await listed(db)).toEqual(['t1 0', 't2 2']);
      expect(await db.store.deleteWithRecords('t1')).toEqual({ events: 0, runs: 3, threadsMeta: 1, feedback: 2 });
      expect(await listed(db)).toEqual(['t2 2']);
    });

    it('is one transaction: a delete that fails at the threads_meta row leaves the events, runs rows and feedback it had already deleted', async () => {
      const db = await open();
      await db.failDeletesFrom('threads_meta');
      const before = await everything(db);
      await expect(db.store.deleteWithRecords('t1')).rejects.toThrow();
      expect(await everything(db)).toEqual(before);
      expect(await listed(db)).toEqual(['t1 3', 't2 2']);
    });

    it('without a feedback table the counts say so (null) and the rest goes; without a runs table nothing is offered and only events go', async () => {
      const noFeedback = await open({ ...TWO_THREADS, feedback: undefined });
      expect(await noFeedback.store.deletableRecords('t1')).toEqual({ runs: 3, threadsMeta: 1, feedback: null, active: 0 });
      expect(await noFeedback.store.deleteWithRecords('t1')).toEqual({ events: 3, runs: 3, threadsMeta: 1, feedback: 0 });
      const noRuns = await open(TWO_THREADS, 'DROP TABLE runs');
      expect(await noRuns.store.deletableRecords('t1')).toBeNull();
      expect(await noRuns.store.deleteWithRecords('t1')).toEqual({ events: 3, runs: 0, threadsMeta: 0, feedback: 0 });
      expect(await noRuns.keys('threads_meta')).toEqual(['t1', 't2']);
      expect(await noRuns.keys('feedback')).toEqual(['t1/r1', 't1/r2', 't2/r3']);
    });
  });
}
