// The postgres backend against older DeerFlow databases: each vintage's
// tables (deerflow-databases.ts's, in PostgreSQL's types), rows written as
// that DeerFlow wrote them, read and written as the sqlite backend does a
// SQLite file of the same vintage holding the same rows — both stores are
// asked the same and must answer the same, and what they answer is spelled
// out. A vintage lacks user_id in run_events (before mid-April 2026), the
// unique (thread_id, seq), stop_reason in runs; an early runs table lacks the
// token parts, total_tokens, follow_up_to_run_id and metadata_json too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InspectorStore, RunEvent, ThreadSummary } from '../../../src-shared/types.ts';
import { createVintageDatabase, eventsHaveUserId, execSql, rawRows, type RawEvent, type Vintage, type VintageData } from '../../../test/support/deerflow-databases.ts';
import { importBatch } from '../../../test/support/import-batch.ts';
import { createVintageTestDatabase, type TestDatabase } from '../../../test/support/postgres-databases.ts';
import { openSqliteStore, type SqliteStore } from '../sqlite/sqlite-store.ts';
import { openPostgresStore, type PostgresStore } from './postgres-store.ts';

const stamp = (time: string) => `2026-04-04 00:49:${time}`;
const iso = (time: string) => `2026-04-04T00:49:${time}+00:00`;

const raw = (over: Partial<RawEvent> & Pick<RawEvent, 'seq' | 'event_type' | 'category' | 'created_at'>): RawEvent => ({
  thread_id: 't1',
  run_id: 'r1',
  user_id: 'u1',
  content: '',
  event_metadata: '{}',
  ...over,
});

const AI_CONTENT =
  '{"type": "ai", "content": "hi", "tool_calls": [{"name": "bash", "args": {}, "id": "c1"}], "usage_metadata": {"input_tokens": 4, "output_tokens": 6, "total_tokens": 10}, "response_metadata": {"model_name": "gpt-4o-mini"}}';
const TOOL_CONTENT = '{"type": "tool", "name": "bash", "tool_call_id": "c1", "content": "Traceback", "status": "error"}';

/** A thread as an older DeerFlow wrote it: no content markers yet (JSON text stays a string), a run without a runs row. */
const DATA: VintageData = {
  events: [
    raw({ seq: 1, event_type: 'run.start', category: 'trace', created_at: stamp('25.123456') }),
    raw({ seq: 2, event_type: 'llm.human.input', category: 'message', content: '{"type": "human", "content": "你好 🚀"}', event_metadata: '{"caller": "lead_agent"}', created_at: stamp('26.000000') }),
    raw({ seq: 3, event_type: 'llm.ai.response', category: 'message', content: AI_CONTENT, event_metadata: '{"caller": "lead_agent"}', created_at: stamp('27.500000') }),
    raw({ seq: 4, user_id: null, event_type: 'llm.tool.result', category: 'message', content: TOOL_CONTENT, created_at: stamp('28.000000') }),
    raw({ seq: 5, event_type: 'subagent.start', category: 'subagent', event_metadata: '{"task_id": "k1", "description": "look"}', created_at: stamp('29.000000') }),
    raw({ seq: 6, event_type: 'subagent.end', category: 'subagent', event_metadata: '{"task_id": "k1", "status": "success"}', created_at: stamp('30.000000') }),
    raw({ seq: 7, event_type: 'run.end', category: 'outputs', event_metadata: '{"status": "success"}', created_at: stamp('31.000000') }),
    raw({ seq: 8, run_id: 'r2', event_type: 'run.error', category: 'error', content: 'boom', event_metadata: '{"error_type": "ValueError"}', created_at: stamp('40.000000') }),
    // No runs row: its model and tokens come from its message.
    raw({ seq: 9, run_id: 'r3', event_type: 'llm.ai.response', category: 'message', content: 'plain', event_metadata: '{"usage": {"total_tokens": 5}, "model_name": "deepseek-v3"}', created_at: stamp('35.000000') }),
  ],
  runs: [
    { run_id: 'r1', thread_id: 't1', status: 'success', model_name: 'gpt-4o', error: null, total_input_tokens: 10, total_output_tokens: 5, total_tokens: 15 },
    { run_id: 'r2', thread_id: 't1', status: 'error', model_name: null, error: 'rate limit', total_input_tokens: 0, total_output_tokens: 0, total_tokens: 0 },
  ],
  threads: [
    { thread_id: 't1', display_name: 'Weather in Paris' },
    { thread_id: 'only-meta', display_name: 'Never ran' },
  ],
};

/** The same SQL for both databases: r1 follows up on r0. */
const FOLLOW_UP_SQL = "UPDATE runs SET follow_up_to_run_id = 'r0' WHERE run_id = 'r1'";

/** The runs columns an early DeerFlow's table lacked besides stop_reason. */
const EARLY_RUNS_MISSING = ['follow_up_to_run_id', 'lead_agent_tokens', 'subagent_tokens', 'middleware_tokens', 'total_tokens', 'metadata_json'];

interface Case {
  label: string;
  vintage: Vintage;
  /** runs columns dropped from the vintage's table. */
  runsMissing: string[];
}

const CASES: Case[] = [
  { label: 'before May 2026 (runs without stop_reason)', vintage: 'before-may-2026', runsMissing: [] },
  { label: 'before mid-April 2026 (run_events without user_id or a unique (thread_id, seq); owner_id)', vintage: 'before-mid-april-2026', runsMissing: [] },
  { label: 'before mid-April 2026 with an early runs table (no token parts, total_tokens, follow_up_to_run_id, metadata_json)', vintage: 'before-mid-april-2026', runsMissing: EARLY_RUNS_MISSING },
];

describe.each(CASES)('a DeerFlow database from $label, on PostgreSQL as in SQLite', ({ vintage, runsMissing }) => {
  const withUser = eventsHaveUserId(vintage);
  const early = runsMissing.length > 0;
  const alteration = [FOLLOW_UP_SQL, ...runsMissing.map((column) => `ALTER TABLE runs DROP COLUMN ${column}`)].join(';\n');
  let dir: string;
  let file: string;
  let db: TestDatabase;
  let postgres: PostgresStore;
  let sqlite: SqliteStore;

  beforeAll(async () => {
    const data = withUser ? DATA : { ...DATA, events: DATA.events.map(({ user_id: _none, ...event }) => event) };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-pg-vintage-'));
    file = path.join(dir, `${vintage}.db`);
    createVintageDatabase(file, vintage, data);
    execSql(file, alteration);
    db = await createVintageTestDatabase(vintage, data);
    await db.query(alteration);
    postgres = await openPostgresStore(db.url, { write: true });
    sqlite = openSqliteStore(file, { create: false });
  });

  afterAll(async () => {
    await postgres?.close();
    await sqlite?.close();
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** What both stores answer, which must be the same. */
  async function answer<T>(ask: (store: InspectorStore) => Promise<T>): Promise<T> {
    const [fromPostgres, fromSqlite] = await Promise.all([ask(postgres), ask(sqlite)]);
    expect(fromPostgres).toEqual(fromSqlite);
    return fromPostgres;
  }

  /** A record as this vintage's reader returns it: with its owner where run_events has user_id, without the key where not. */
  const owned = (event: Omit<RunEvent, 'user_id'>, user: string | null = 'u1'): RunEvent => (withUser ? { ...event, user_id: user } : event);

  it('lists the threads: counts, time span, display names (threads_meta keyed by its vintage), and the status of the run that ended last from its runs row', async () => {
    // SQLite keeps each thread's title (its first human message) too; the server's list leaves it to the page.
    expect((await sqlite.listThreads()).map((t) => t.title)).toEqual(['你好 🚀', undefined]);
    const withoutTitles = (threads: ThreadSummary[]) => threads.map(({ title: _, ...thread }) => thread);
    expect(await answer((s) => s.listThreads().then(withoutTitles))).toEqual([
      {
        thread_id: 't1',
        display_name: 'Weather in Paris',
        message_count: 4,
        event_count: 9,
        run_count: 3,
        first_created_at: iso('25.123456'),
        last_created_at: iso('40'),
        last_run_status: 'error',
      },
      { thread_id: 'only-meta', display_name: 'Never ran', message_count: 0, event_count: 0, run_count: 0, first_created_at: null, last_created_at: null, last_run_status: null },
    ]);
  });

  it("lists the runs with the runs row's status, model, error and tokens, no stop reason (no such column), and the events' word for a run it lacks", async () => {
    const runs = await answer((s) => s.listRuns('t1'));
    expect(runs).toEqual([
      {
        run_id: 'r1',
        message_count: 3,
        event_count: 7,
        first_created_at: iso('25.123456'),
        last_created_at: iso('31'),
        first_seq: 1,
        last_seq: 7,
        status: 'success',
        stop_reason: null,
        model_name: 'gpt-4o',
        error: null,
        // An early runs table has no total_tokens: its parts' sum.
        total_tokens: 15,
        llm_calls: 1,
        tool_calls: 1,
        tool_errors: 1,
        original: early ? null : { run_id: 'r0', relation: 'follow_up' },
      },
      {
        run_id: 'r2',
        message_count: 0,
        event_count: 1,
        first_created_at: iso('40'),
        last_created_at: iso('40'),
        first_seq: 8,
        last_seq: 8,
        status: 'error',
        stop_reason: null,
        model_name: null,
        error: 'rate limit',
        total_tokens: 0,
        llm_calls: 0,
        tool_calls: 0,
        tool_errors: 0,
        original: null,
      },
      {
        run_id: 'r3',
        message_count: 1,
        event_count: 1,
        first_created_at: iso('35'),
        last_created_at: iso('35'),
        first_seq: 9,
        last_seq: 9,
        status: null,
        stop_reason: null,
        model_name: 'deepseek-v3',
        error: null,
        total_tokens: 5,
        llm_calls: 1,
        tool_calls: 0,
        tool_errors: 0,
      },
    ]);
  });

  it("gives a run's recorded figures, null where the vintage's runs table has no such column", async () => {
    expect(await answer((s) => s.recordedRun('t1', 'r1'))).toEqual({
      status: 'success',
      stop_reason: null,
      error: null,
      model_name: 'gpt-4o',
      tokens: early ? { input: 10, output: 5, total: null, lead_agent: null, subagent: null, middleware: null } : { input: 10, output: 5, total: 15, lead_agent: 0, subagent: 0, middleware: 0 },
    });
    expect(await answer((s) => s.recordedRun('t1', 'r3'))).toBeNull();
  });

  it('counts events by category, event type and task id, per run and per thread', async () => {
    expect(await answer((s) => s.eventCounts('t1', 'r1'))).toEqual({
      by_category: { trace: 1, message: 3, subagent: 2, outputs: 1 },
      by_event_type: { 'run.start': 1, 'llm.human.input': 1, 'llm.ai.response': 1, 'llm.tool.result': 1, 'subagent.start': 1, 'subagent.end': 1, 'run.end': 1 },
      by_task_id: { k1: 2 },
    });
    expect(await answer((s) => s.eventCounts('t1'))).toEqual({
      by_category: { trace: 1, message: 4, subagent: 2, outputs: 1, error: 1 },
      by_event_type: { 'run.start': 1, 'llm.human.input': 1, 'llm.ai.response': 2, 'llm.tool.result': 1, 'subagent.start': 1, 'subagent.end': 1, 'run.end': 1, 'run.error': 1 },
      by_task_id: { k1: 2 },
    });
  });

  it("returns the records as that DeerFlow's reader does: JSON text unmarked stays a string, user_id only where the table has it", async () => {
    const events = await answer((s) => s.listEvents('t1', 'r1'));
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(events[1]).toEqual(
      owned({
        thread_id: 't1',
        run_id: 'r1',
        event_type: 'llm.human.input',
        category: 'message',
        content: '{"type": "human", "content": "你好 🚀"}',
        metadata: { caller: 'lead_agent' },
        seq: 2,
        created_at: iso('26'),
      }),
    );
    expect('user_id' in events[0]).toBe(withUser);
    expect(await answer((s) => s.getEvent('t1', 4))).toEqual(
      owned({ thread_id: 't1', run_id: 'r1', event_type: 'llm.tool.result', category: 'message', content: TOOL_CONTENT, metadata: {}, seq: 4, created_at: iso('28') }, null),
    );
    expect((await answer((s) => s.listEvents('t1', 'r1', { taskId: 'k1' }))).map((e) => e.seq)).toEqual([5, 6]);
    expect((await answer((s) => s.listMessages('t1', { afterSeq: 2, limit: 2 }))).map((e) => e.seq)).toEqual([3, 4]);
    expect(await answer((s) => s.getEvent('t1', 10))).toBeNull();
  });

  it("writes in DeerFlow's encoding next to its rows, with no user_id where the table has none", async () => {
    const input = {
      thread_id: 't1',
      run_id: 'r4',
      event_type: 'llm.ai.response',
      category: 'message',
      content: { type: 'ai', content: 'çà 🚀' },
      metadata: { caller: 'lead_agent' },
      created_at: '2026-04-04T08:49:55.5+08:00',
    };
    const put = await answer((s) => s.put(input));
    expect(put).toEqual(
      owned(
        {
          ...input,
          metadata: { caller: 'lead_agent', content_is_json: true, content_is_dict: true },
          seq: 10,
          created_at: iso('55.500000'),
        },
        null,
      ),
    );
    expect(await answer((s) => s.getEvent('t1', 10))).toEqual(put);
    const [row] = await db.query<Record<string, unknown>>("SELECT *, event_metadata::text AS event_metadata, (created_at AT TIME ZONE 'UTC')::text AS created_at FROM run_events WHERE seq = 10");
    const { id: _sqliteId, ...sqliteRow } = rawRows(file, 'SELECT * FROM run_events WHERE seq = 10')[0];
    const { id: _postgresId, ...postgresRow } = row;
    expect(postgresRow).toEqual({ ...sqliteRow, created_at: '2026-04-04 00:49:55.5' });
    expect(Object.keys(postgresRow)).toEqual(withUser ? ['thread_id', 'run_id', 'user_id', 'event_type', 'category', 'content', 'event_metadata', 'seq', 'created_at'] : ['thread_id', 'run_id', 'event_type', 'category', 'content', 'event_metadata', 'seq', 'created_at']);
    expect(postgresRow).toMatchObject({ content: '{"type": "ai", "content": "çà 🚀"}', event_metadata: '{"caller": "lead_agent", "content_is_json": true, "content_is_dict": true}' });
  });

  it('imports records with their seqs, skipping a (thread_id, seq) it has and a second copy in the same import, with or without the unique constraint', async () => {
    const [first] = await answer((s) => s.listEvents('t1', 'r1', { limit: 1 }));
    const fresh: RunEvent = { ...first, seq: 20, content: 'imported' };
    expect(await answer(async (s) => (s as PostgresStore | SqliteStore).importRows(importBatch([first, fresh, { ...fresh, content: 'a second copy' }])))).toEqual({ imported: 1, duplicates: 2 });
    expect(await answer((s) => s.getEvent('t1', 20))).toEqual(fresh);
    expect(await db.query("SELECT seq, content FROM run_events WHERE thread_id = 't1' AND seq IN (1, 20) ORDER BY seq")).toEqual([
      { seq: 1, content: '' },
      { seq: 20, content: 'imported' },
    ]);
  });
});
