// The thread list and runs follow what other writers do to the database
// after the store listed it (the summary is kept and brought up to date from
// what committed since: the rows added by id, the row count): DeerFlow's
// appends, its runs rows changing status, deletes, and commits that land
// below the top id seen; and what a list costs when nothing did.
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ThreadSummary } from '../../../src-shared/types.ts';
import { createTestDatabase, deerflowWriteEvents, deerflowWriteRun, type DeerFlowEvent, type TestDatabase } from '../../../test/support/postgres-databases.ts';
import { openPostgresStore, type PostgresStore } from './postgres-store.ts';

let db: TestDatabase;
let store: PostgresStore;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await store?.close();
  await db?.drop();
});

beforeEach(async () => {
  await store?.close();
  await db.query('DELETE FROM run_events; DELETE FROM runs');
  await deerflowWriteEvents(db.pool, [
    ev('t1', 'r1', 'run.start', '2026-04-04T00:00:01+00:00'),
    ev('t1', 'r1', 'llm.ai.response', '2026-04-04T00:00:02+00:00'),
    ev('t1', 'r1', 'run.end', '2026-04-04T00:00:03+00:00'),
    ev('t1', 'r2', 'run.start', '2026-04-04T00:00:04+00:00'),
    ev('t1', 'r2', 'run.error', '2026-04-04T00:00:05+00:00'),
  ]);
  statements.length = 0;
  store = await openPostgresStore(db.url, { onStatement: (name) => statements.push(name) });
});

/** The statements the store ran, by name, since the test's store opened. */
const statements: string[] = [];

function ev(thread_id: string, run_id: string, event_type: string, created_at: string): DeerFlowEvent {
  const category = event_type === 'llm.ai.response' ? 'message' : event_type === 'run.error' ? 'error' : event_type === 'run.end' ? 'outputs' : 'trace';
  return { thread_id, run_id, event_type, category, content: event_type === 'run.error' ? 'boom' : '', created_at };
}

const listed = async () =>
  (await store.listThreads()).map(({ thread_id, event_count, message_count, run_count, last_created_at, last_run_status }: ThreadSummary) => ({
    thread_id,
    event_count,
    message_count,
    run_count,
    last_created_at,
    last_run_status,
  }));

const T1 = { thread_id: 't1', event_count: 5, message_count: 1, run_count: 2, last_created_at: '2026-04-04T00:00:05+00:00', last_run_status: 'error' };

describe('the thread list after another writer changed the database', () => {
  it("follows DeerFlow's appends to a thread and a new thread", async () => {
    expect(await listed()).toEqual([T1]);
    expect((await store.listRuns('t1')).map((r) => r.run_id)).toEqual(['r1', 'r2']);
    await deerflowWriteEvents(db.pool, [
      ev('t1', 'r3', 'run.start', '2026-04-04T00:00:06+00:00'),
      ev('t1', 'r3', 'llm.ai.response', '2026-04-04T00:00:07+00:00'),
      ev('t1', 'r3', 'run.end', '2026-04-04T00:00:08+00:00'),
      ev('t2', 'r9', 'llm.ai.response', '2026-04-04T00:00:09+00:00'),
    ]);
    expect(await listed()).toEqual([
      { ...T1, event_count: 8, message_count: 2, run_count: 3, last_created_at: '2026-04-04T00:00:08+00:00', last_run_status: 'success' },
      { thread_id: 't2', event_count: 1, message_count: 1, run_count: 1, last_created_at: '2026-04-04T00:00:09+00:00', last_run_status: null },
    ]);
    expect((await store.listRuns('t1')).map((r) => [r.run_id, r.event_count, r.status])).toEqual([
      ['r1', 3, 'success'],
      ['r2', 2, 'error'],
      ['r3', 3, 'success'],
    ]);
  });

  it("follows a runs row's status as DeerFlow updates it", async () => {
    await deerflowWriteRun(db.pool, { run_id: 'r2', thread_id: 't1', status: 'running', model_name: null, error: null, total_input_tokens: 0, total_output_tokens: 0, total_tokens: 0 });
    expect((await listed())[0].last_run_status).toBe('running');
    await db.query("UPDATE runs SET status = 'interrupted' WHERE run_id = 'r2'");
    expect((await listed())[0].last_run_status).toBe('interrupted');
    expect((await store.listRuns('t1'))[1].status).toBe('interrupted');
  });

  it('follows a delete, and a delete in one thread with as many rows added to another (the row count unchanged)', async () => {
    expect(await listed()).toEqual([T1]);
    await db.query("DELETE FROM run_events WHERE run_id = 'r2'");
    expect(await listed()).toEqual([{ ...T1, event_count: 3, run_count: 1, last_created_at: '2026-04-04T00:00:03+00:00', last_run_status: 'success' }]);
    await db.query("DELETE FROM run_events WHERE event_type = 'llm.ai.response'");
    await deerflowWriteEvents(db.pool, [ev('t2', 'r9', 'llm.ai.response', '2026-04-04T00:00:09+00:00')]);
    expect(await listed()).toEqual([
      { ...T1, event_count: 2, message_count: 0, run_count: 1, last_created_at: '2026-04-04T00:00:03+00:00', last_run_status: 'success' },
      { thread_id: 't2', event_count: 1, message_count: 1, run_count: 1, last_created_at: '2026-04-04T00:00:09+00:00', last_run_status: null },
    ]);
  });

  it('sees a commit that landed below the top id it had seen (ids are given at insert, rows seen at commit)', async () => {
    const early = new pg.Client({ connectionString: db.url });
    const late = new pg.Client({ connectionString: db.url });
    await Promise.all([early.connect(), late.connect()]);
    const insert = (client: pg.Client, thread: string) =>
      client.query(`INSERT INTO run_events (thread_id, run_id, event_type, category, content, event_metadata, seq, created_at)
        VALUES ($1, 'r1', 'llm.ai.response', 'message', '', '{}', 1, '2026-04-04 00:01:00+00') RETURNING id`, [thread]);
    try {
      await early.query('BEGIN');
      const [{ id: earlyId }] = (await insert(early, 't-early')).rows;
      await late.query('BEGIN');
      const [{ id: lateId }] = (await insert(late, 't-late')).rows;
      expect(lateId).toBeGreaterThan(earlyId);
      await late.query('COMMIT');
      expect((await listed()).map((t) => t.thread_id)).toEqual(['t-late', 't1']);
      await early.query('COMMIT');
      statements.length = 0;
      expect((await listed()).map((t) => [t.thread_id, t.event_count])).toEqual([
        ['t-early', 1],
        ['t-late', 1],
        ['t1', 5],
      ]);
      // Found in the gap it left, by the primary key: not by reading the whole table again.
      expect(statements).not.toContain('ri_all_runs');
      expect(statements).toContain('ri_runs_of_threads');
    } finally {
      await Promise.all([early.end(), late.end()]);
    }
  });
});

describe('what a list costs', () => {
  it('asks one statement, which reads no table, when nothing committed since the last list', async () => {
    const first = await store.listThreads();
    statements.length = 0;
    expect(await store.listThreads()).toEqual(first);
    expect(statements).toEqual(['ri_live_look']);
  });
});
