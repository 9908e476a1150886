// The sqlite store's kept thread list (issue 14, "Kept summaries for huge
// stores"): kept in the sidecar, brought up to date from the rows above the
// highest rowid seen, and read again only for the threads a delete touched.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstHumanText } from '../../../src-shared/message-model.ts';
import type { EventInput, ThreadSummary } from '../../../src-shared/types.ts';
import { createVintageDatabase, execSql, insertRuns } from '../../../test/support/deerflow-databases.ts';
import type { SummaryWork } from './kept-threads.ts';
import { detectSchema } from './schema.ts';
import { prepareStatements, prepareSummaryStatements } from './sql.ts';
import { openSqliteStore, type SqliteStore } from './sqlite-store.ts';
import { SqliteSummaryFile } from './summary-file.ts';

let dir: string;
let file: string;
const sidecar = () => path.join(dir, 'sidecar.sqlite');
const opened: SqliteStore[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-kept-threads-'));
  file = path.join(dir, 'events.db');
});
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A store that keeps its thread list in the test's sidecar, and what each of its updates read. */
function keeping(options: { readOnly?: boolean } = {}): { store: SqliteStore; work: SummaryWork[] } {
  const work: SummaryWork[] = [];
  const store = openSqliteStore(file, { create: true, readOnly: options.readOnly, onSummaryWork: (w) => work.push(w) });
  store.keepSummaryIn(new SqliteSummaryFile(sidecar(), 'the database'));
  opened.push(store);
  return { store, work };
}

/** Another connection that writes the database, as an agent does. */
function writer(): SqliteStore {
  const store = openSqliteStore(file, { create: true });
  opened.push(store);
  return store;
}

/** What a store opened anew, keeping nothing, lists: the list made from the whole table. */
async function fromScratch(): Promise<ThreadSummary[]> {
  const store = openSqliteStore(file, { create: false, readOnly: true });
  try {
    return await store.listThreads();
  } finally {
    await store.close();
  }
}

const human = (text: string) => ({ type: 'human', content: text });
const ev = (thread: string, run: string, over: Partial<EventInput> = {}): EventInput => ({
  thread_id: thread,
  run_id: run,
  event_type: 'llm.ai.response',
  category: 'message',
  content: { type: 'ai', content: 'sure' },
  ...over,
});
const ask = (thread: string, run: string, text: string) => ev(thread, run, { event_type: 'llm.human.input', content: human(text) });
const ended = (thread: string, run: string, status = 'success') => ev(thread, run, { event_type: 'run.end', category: 'outputs', content: '', metadata: { status } });

/** Three threads: t1 of two runs, t2 of one, t3 of one whose first message is an AI one. */
async function seed(store: SqliteStore): Promise<void> {
  await store.putBatch([
    ev('t1', 'r1', { event_type: 'run.start', category: 'trace', content: { chain: 'lead' } }),
    ask('t1', 'r1', 'What is\n\nthe weather?'),
    ev('t1', 'r1'),
    ended('t1', 'r1'),
    ask('t1', 'r2', 'And tomorrow?'),
    ev('t1', 'r2'),
    ask('t2', 'r3', 'Plan a trip'),
    ended('t2', 'r3', 'error'),
    ev('t3', 'r4'),
    ask('t3', 'r4', 'Hello'),
  ]);
}

const counts = (threads: ThreadSummary[]) => threads.map((t) => [t.thread_id, t.event_count, t.message_count, t.run_count]);

describe('the kept thread list', () => {
  it('is listed by a second store on the same sidecar without reading the table again', async () => {
    await seed(writer());
    const first = keeping();
    const listed = await first.store.listThreads();
    expect(first.work).toEqual([{ fromFile: false, rowsRead: 10, countedThreads: false, recomputed: [] }]);
    expect(listed).toEqual(await fromScratch());

    const second = keeping({ readOnly: true });
    expect(await second.store.listThreads()).toEqual(listed);
    expect(second.work).toEqual([{ fromFile: true, rowsRead: 0, countedThreads: false, recomputed: [] }]);
    // Nothing committed since: answered as kept, without an update, and a caller's change to its answer is its own.
    const again = await second.store.listThreads();
    again[0].event_count = -1;
    expect(await second.store.listThreads()).toEqual(listed);
    expect(second.work).toHaveLength(1);
  });

  it("takes in another connection's appends by rowid, in the session and in the next one", async () => {
    const other = writer();
    await seed(other);
    const { store, work } = keeping();
    await store.listThreads();
    await other.putBatch([ev('t2', 'r3'), ev('t2', 'r5', { category: 'trace', event_type: 'run.start' }), ask('t4', 'r6', 'New one')]);

    const listed = await store.listThreads();
    expect(work.at(-1)).toEqual({ fromFile: true, rowsRead: 3, countedThreads: false, recomputed: [] });
    expect(listed).toEqual(await fromScratch());
    expect(counts(listed)).toEqual([
      ['t1', 6, 4, 2],
      ['t2', 4, 2, 2],
      ['t3', 2, 2, 1],
      ['t4', 1, 1, 1],
    ]);

    await other.put(ev('t4', 'r6'));
    const next = keeping({ readOnly: true });
    expect((await next.store.listThreads()).find((t) => t.thread_id === 't4')?.event_count).toBe(2);
    expect(next.work).toEqual([{ fromFile: true, rowsRead: 1, countedThreads: false, recomputed: [] }]);
  });

  it("reads again only the threads another connection's delete of a run or a thread touched", async () => {
    const other = writer();
    await seed(other);
    const { store, work } = keeping({ readOnly: true });
    await store.listThreads();

    expect(await other.deleteByRun('t1', 'r2')).toBe(2);
    const afterRun = await store.listThreads();
    expect(work.at(-1)).toEqual({ fromFile: true, rowsRead: 0, countedThreads: true, recomputed: ['t1'] });
    expect(afterRun).toEqual(await fromScratch());
    expect(counts(afterRun)[0]).toEqual(['t1', 4, 2, 1]);

    await other.deleteByThread('t2');
    const afterThread = await store.listThreads();
    expect(work.at(-1)).toMatchObject({ countedThreads: true, recomputed: ['t2'] });
    expect(afterThread.map((t) => t.thread_id)).toEqual(['t1', 't3']);
    expect(afterThread).toEqual(await fromScratch());
  });

  it('sees rowids handed out again after the rows at the top were deleted', async () => {
    const other = writer();
    await seed(other);
    const { store, work } = keeping();
    await store.listThreads();
    // t3 holds the highest rowids: deleted, the next rows get them again, as many of them, in another thread.
    await other.deleteByThread('t3');
    await other.putBatch([ev('t2', 'r3'), ev('t2', 'r3')]);

    const listed = await store.listThreads();
    expect(listed).toEqual(await fromScratch());
    expect(counts(listed)).toEqual([
      ['t1', 6, 4, 2],
      ['t2', 4, 3, 1],
    ]);
    expect(work.at(-1)).toMatchObject({ countedThreads: true });
    expect(new Set(work.at(-1)!.recomputed)).toEqual(new Set(['t2', 't3']));
  });

  it('sees a thread another connection deleted and wrote again at the same rowids, with as many rows and times of their own', async () => {
    const other = writer();
    const on = (day: string) => ({ created_at: `2026-02-${day}T10:00:00.000001+00:00` });
    await other.put(ev('a', 'r3', on('01')));
    const { store, work } = keeping();
    await store.listThreads();
    // Its run keeps its count and seq range: only its rows tell.
    await other.deleteByThread('a');
    await other.put(ev('a', 'r3', on('02')));

    const listed = await store.listThreads();
    expect(listed).toEqual(await fromScratch());
    expect(listed[0]).toMatchObject({ first_created_at: '2026-02-02T10:00:00.000001+00:00', last_created_at: '2026-02-02T10:00:00.000001+00:00' });
    expect(work.at(-1)).toMatchObject({ countedThreads: true, recomputed: ['a'] });
  });

  it('sees threads written again under the highest row, their counts and their latest run as before', async () => {
    const other = writer();
    const on = (day: string) => ({ created_at: `2026-02-${day}T10:00:00.000001+00:00` });
    const write = (day: string, status: string) => other.putBatch([ev('a', 'r1', on(day)), ev('b', 'r2', on(day)), { ...ended('b', 'r2', status), ...on(day) }, ev('c', 'r3', on(day))]);
    await write('01', 'success');
    const { store, work } = keeping();
    await store.listThreads();
    // The rows come back at the rowids they had: the highest is another, the ones under it too.
    for (const thread of ['a', 'b', 'c']) await other.deleteByThread(thread);
    await write('02', 'error');

    const listed = await store.listThreads();
    expect(listed).toEqual(await fromScratch());
    expect(listed.map((t) => [t.thread_id, t.last_created_at, t.last_run_status])).toEqual([
      ['a', '2026-02-02T10:00:00.000001+00:00', null],
      ['b', '2026-02-02T10:00:00.000001+00:00', 'error'],
      ['c', '2026-02-02T10:00:00.000001+00:00', null],
    ]);
    expect(new Set(work.at(-1)!.recomputed)).toEqual(new Set(['a', 'b', 'c']));
  });

  it("takes in the app's own deletes as the threads it names, with no count of the table", async () => {
    const { store, work } = keeping();
    await seed(store);
    await store.listThreads();
    await store.deleteByRun('t1', 'r1');
    const listed = await store.listThreads();
    expect(work.at(-1)).toEqual({ fromFile: true, rowsRead: 0, countedThreads: false, recomputed: ['t1'] });
    expect(listed).toEqual(await fromScratch());
    expect(listed[0]).toMatchObject({ thread_id: 't1', event_count: 2, run_count: 1, title: 'And tomorrow?', last_run_status: null });
  });

  it('checks the threads the live follower names by their count alone, and reads again those that lost rows', async () => {
    const other = writer();
    await seed(other);
    const { store, work } = keeping();
    await store.listThreads();
    await other.deleteByRun('t1', 'r2');
    await other.put(ev('t2', 'r3'));
    // What the follower tells after reading the per-thread counts itself.
    store.expire(['t1', 't2']);
    const listed = await store.listThreads();
    expect(work.at(-1)).toEqual({ fromFile: true, rowsRead: 1, countedThreads: false, recomputed: ['t1'] });
    expect(listed).toEqual(await fromScratch());

    // Any thread may have changed (a runs row went, say): the look at the table says none did, without a count per thread.
    store.expire(null);
    await store.listThreads();
    expect(work.at(-1)).toEqual({ fromFile: true, rowsRead: 0, countedThreads: false, recomputed: [] });
  });

  it("shows threads_meta's names and the runs table's statuses as they are now", async () => {
    createVintageDatabase(file, 'current', { events: [], threads: [{ thread_id: 't1', display_name: 'Weather' }] });
    await seed(writer());
    insertRuns(file, 'current', [{ run_id: 'r2', thread_id: 't1', status: 'running', model_name: null, error: null, total_input_tokens: 0, total_output_tokens: 0, total_tokens: 0 }]);
    const { store } = keeping();
    const [t1] = await store.listThreads();
    expect(t1).toMatchObject({ display_name: 'Weather', last_run_status: 'running' });

    execSql(file, "UPDATE threads_meta SET display_name = 'Weather, renamed'; UPDATE runs SET status = 'success' WHERE run_id = 'r2'");
    expect((await store.listThreads())[0]).toMatchObject({ display_name: 'Weather, renamed', last_run_status: 'success' });
  });

  it('titles a thread by its first human message on one line, null when it has none', async () => {
    const other = writer();
    await seed(other);
    await other.put(ev('t5', 'r7'));
    const { store } = keeping();
    const titles = new Map((await store.listThreads()).map((t) => [t.thread_id, t.title]));
    expect(titles).toEqual(
      new Map([
        ['t1', 'What is the weather?'],
        ['t2', 'Plan a trip'],
        // Its first message is an AI one.
        ['t3', 'Hello'],
        ['t5', null],
      ]),
    );

    // A human message comes to t5 later; one in t1 after its first changes nothing.
    await other.putBatch([ask('t5', 'r7', 'Now I ask'), ask('t1', 'r2', 'Later question')]);
    const later = new Map((await store.listThreads()).map((t) => [t.thread_id, t.title]));
    expect([later.get('t5'), later.get('t1')]).toEqual(['Now I ask', 'What is the weather?']);
  });

  it('takes in a human message imported below the title, and finds the next title when the first one is deleted', async () => {
    const other = writer();
    await seed(other);
    const [first] = await other.putBatch([ev('t6', 'r8')]);
    // An import keeps the seqs it is given: a human message above the gap, then one inside it.
    const record = (seq: number, text: string) => ({ ...first, seq, event_type: 'llm.human.input', content: human(text) });
    other.importEvents([record(5, 'Later')]);
    const { store } = keeping();
    expect((await store.listThreads()).find((t) => t.thread_id === 't6')?.title).toBe('Later');
    other.importEvents([record(3, 'Earlier')]);
    expect((await store.listThreads()).find((t) => t.thread_id === 't6')?.title).toBe('Earlier');

    await other.deleteByRun('t1', 'r1');
    expect((await store.listThreads())[0].title).toBe('And tomorrow?');
    expect(await store.listThreads()).toEqual(await fromScratch());
  });

  it('starts again from the table for a sidecar of another version, or kept for another database', async () => {
    await seed(writer());
    const listed = await keeping().store.listThreads();
    const sidecarDb = new Database(sidecar());
    sidecarDb.prepare("UPDATE db_summary_meta SET value = '0' WHERE key = 'version'").run();
    sidecarDb.close();
    const older = keeping();
    expect(await older.store.listThreads()).toEqual(listed);
    expect(older.work).toEqual([{ fromFile: false, rowsRead: 10, countedThreads: false, recomputed: [] }]);

    const other = openSqliteStore(file, { create: false, onSummaryWork: (w) => expect(w.fromFile).toBe(false) });
    opened.push(other);
    other.keepSummaryIn(new SqliteSummaryFile(sidecar(), 'another database'));
    expect(await other.listThreads()).toEqual(listed);
  });

  it('lands a save only on the summary it was made from: two stores keeping the same sidecar stay right', async () => {
    const other = writer();
    await seed(other);
    const a = keeping();
    const b = keeping();
    await a.store.listThreads();
    await b.store.listThreads();
    await other.put(ev('t1', 'r2'));
    await a.store.listThreads();
    // b's list was saved before a's: it starts from a's, and counts the new row once.
    await other.put(ev('t2', 'r3'));
    expect(await b.store.listThreads()).toEqual(await fromScratch());
    expect(b.work.at(-1)).toMatchObject({ fromFile: true, rowsRead: 1 });
    expect(await keeping().store.listThreads()).toEqual(await fromScratch());
  });

  it('lists a run_events view from all its rows after each commit', async () => {
    await seed(writer());
    const expected = await fromScratch();
    execSql(file, 'ALTER TABLE run_events RENAME TO stored_events; CREATE VIEW run_events AS SELECT * FROM stored_events');
    const { store, work } = keeping({ readOnly: true });
    expect(await store.listThreads()).toEqual(expected);
    expect(work).toEqual([{ fromFile: false, rowsRead: 10, countedThreads: false, recomputed: [] }]);
    execSql(file, "DELETE FROM stored_events WHERE thread_id = 't3'");
    expect((await store.listThreads()).map((t) => t.thread_id)).toEqual(['t1', 't2']);
  });
});

describe("the kept thread list's statements on a DeerFlow database", () => {
  it('read runs, stamps and titles from the indexes and the rows added from the rowid range', () => {
    createVintageDatabase(file, 'current', { events: [] });
    const db = new Database(file, { readonly: true });
    try {
      const schema = detectSchema(db, file);
      const summary = prepareSummaryStatements(db, schema);
      const plan = (source: string, params: unknown) =>
        db
          .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${source}`)
          .all(params)
          .map((r) => r.detail)
          .join('\n');
      expect(plan(summary.rowsAbove().source, { from: 0, to: 9 })).toMatch(/USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
      expect(plan(summary.runStamps.source, ['t', 'r'])).toMatch(/ix_events_run \(thread_id=\? AND run_id=\?\)/);
      expect(plan(summary.humanCandidates.source, { thread: 't', after: 0, before: 9, limit: 8 })).toMatch(
        /ix_events_thread_cat_seq \(thread_id=\? AND category=\? AND seq>\? AND seq<\?\)/,
      );
      expect(plan(prepareStatements(db, schema).runs.source, { thread: 't' })).not.toMatch(/^SCAN run_events$/m);
    } finally {
      db.close();
    }
  });
});

type Step =
  | { op: 'put'; events: EventInput[] }
  | { op: 'deleteRun'; thread: string; run: string; own: boolean }
  | { op: 'deleteThread'; thread: string; own: boolean }
  | { op: 'list' }
  | { op: 'reopen' };

const THREADS = ['a', 'b', 'c'];
const RUNS = ['r1', 'r2', 'r3'];
const event = fc.record({
  thread: fc.constantFrom(...THREADS),
  run: fc.constantFrom(...RUNS),
  kind: fc.constantFrom('human', 'ai', 'trace', 'end', 'error', 'user-role'),
  text: fc.constantFrom('', '  two\nlines ', 'x'.repeat(210), '你好 🚀'),
  day: fc.integer({ min: 1, max: 28 }),
}).map(({ thread, run, kind, text, day }): EventInput => {
  // The microseconds are the write's (writtenNow).
  const created_at = `2026-02-${String(day).padStart(2, '0')}T10:00:00.000000+00:00`;
  const base = { thread_id: thread, run_id: run, created_at };
  if (kind === 'human') return { ...base, event_type: 'llm.human.input', category: 'message', content: { type: 'human', content: text } };
  if (kind === 'user-role') return { ...base, event_type: 'llm.ai.response', category: 'message', content: JSON.stringify({ role: 'user', content: text }) };
  if (kind === 'ai') return { ...base, event_type: 'llm.ai.response', category: 'message', content: { type: 'ai', content: text } };
  if (kind === 'end') return { ...base, event_type: 'run.end', category: 'outputs', content: '', metadata: { status: 'success' } };
  if (kind === 'error') return { ...base, event_type: 'run.error', category: 'error', content: 'boom' };
  return { ...base, event_type: 'run.start', category: 'trace', content: { chain: 'lead' } };
});
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.array(event, { minLength: 1, maxLength: 5 }).map((events) => ({ op: 'put' as const, events })) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('deleteRun' as const), thread: fc.constantFrom(...THREADS), run: fc.constantFrom(...RUNS), own: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('deleteThread' as const), thread: fc.constantFrom(...THREADS), own: fc.boolean() }) },
  { weight: 3, arbitrary: fc.constant({ op: 'list' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'reopen' as const }) },
);

/**
 * Each event stamped apart from every other, as a writer's clock stamps them: a row deleted and
 * written again at its rowid exactly as it was (every column) cannot be told from one that stayed,
 * which hides rows written again under it as an UPDATE in place would (table-changes.ts LastRow).
 */
function writtenNow(events: EventInput[], written: { count: number }): EventInput[] {
  return events.map((event) => ({ ...event, created_at: event.created_at!.replace('.000000', `.${String(++written.count).padStart(6, '0')}`) }));
}

describe('the kept thread list against the list made from the whole table', () => {
  it('is the same after any writes and deletes, by the app or another connection, and across sessions; titles are firstHumanText of all messages', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 20 }), async (steps) => {
        for (const suffix of ['', '-wal', '-shm']) {
          fs.rmSync(file + suffix, { force: true });
          fs.rmSync(sidecar() + suffix, { force: true });
        }
        const written = { count: 0 };
        const other = writer();
        let kept = keeping().store;
        try {
          for (const s of [...steps, { op: 'list' } as const]) {
            if (s.op === 'put') await other.putBatch(writtenNow(s.events, written));
            else if (s.op === 'deleteRun') await (s.own ? kept : other).deleteByRun(s.thread, s.run);
            else if (s.op === 'deleteThread') await (s.own ? kept : other).deleteByThread(s.thread);
            else if (s.op === 'reopen') kept = keeping().store;
            else {
              const listed = await kept.listThreads();
              expect(listed).toEqual(await fromScratch());
              for (const thread of listed) {
                const messages = await other.listMessages(thread.thread_id, { afterSeq: 0, limit: 1000 });
                expect(thread.title, thread.thread_id).toBe(firstHumanText(messages));
              }
            }
          }
        } finally {
          // A failed run's stores too: the next run (fast-check's shrinking) starts with none open on its files.
          for (const store of opened.splice(0)) await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
