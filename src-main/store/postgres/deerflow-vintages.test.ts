// The postgres backend against a database DeerFlow wrote: rows in DeerFlow's
// own text (json.dumps metadata with its separators and key order, content
// markers, trace truncation, microsecond and zero-fraction instants,
// non-ASCII and U+2028), its runs and threads_meta rows, read back through
// every read-model method exactly as DeerFlow's reader returns them, and left
// as they were written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src-shared/types.ts';
import { readRun, runAnatomy } from '../../anatomy/run-anatomy.ts';
import { createTestDatabase, deerflowWriteEvents, deerflowWriteRun, deerflowWriteThread, type DeerFlowEvent, type TestDatabase } from '../../../test/support/postgres-databases.ts';
import { openPostgresStore, type PostgresStore } from './postgres-store.ts';

/** A run_events row as DeerFlow's writer leaves it: every value already the text it stored. */
interface RawRow {
  seq: number;
  run_id?: string;
  user_id?: string | null;
  event_type: string;
  category: string;
  content: string;
  event_metadata: string;
  /** A timestamptz literal. */
  created_at: string;
}

const MARKED = '"content_is_json": true, "content_is_dict": true';
/** Keys JSON.parse puts in another order (integer-like keys first): the record must still have every one. */
const REORDERED_METADATA = `{"z_last": 1, "10": "ten", "caller": "lead_agent", "2": [1, 2], ${MARKED}}`;
const TRUNCATED = 'x'.repeat(10_240);

const T1: RawRow[] = [
  { seq: 1, event_type: 'run.start', category: 'trace', content: '{"chain": "lead"}', event_metadata: `{${MARKED}}`, created_at: '2026-04-04 00:49:25.123456+00' },
  {
    seq: 2,
    event_type: 'llm.human.input',
    category: 'message',
    content: '{"type": "human", "content": "你好 🚀"}',
    event_metadata: `{"caller": "lead_agent", ${MARKED}}`,
    created_at: '2026-04-04 00:49:26+00',
  },
  {
    seq: 3,
    event_type: 'llm.ai.response',
    category: 'message',
    content:
      '{"type": "ai", "content": "line\u2028sep çà", "usage_metadata": {"input_tokens": 4, "output_tokens": 6, "total_tokens": 10}, "response_metadata": {"model_name": "gpt-4o-mini"}}',
    event_metadata: REORDERED_METADATA,
    created_at: '2026-04-04 08:49:27.5+08',
  },
  // Unmarked: JSON-looking text that stays a string.
  { seq: 4, user_id: null, event_type: 'llm.ai.response', category: 'message', content: '{"looks": "like json"}', event_metadata: '{"caller": "lead_agent"}', created_at: '2026-04-04 00:49:27.6+00' },
  {
    seq: 5,
    event_type: 'llm.tool.result',
    category: 'message',
    content: '{"type": "tool", "name": "bash", "tool_call_id": "c1", "content": "Traceback …", "status": "error"}',
    event_metadata: `{${MARKED}}`,
    created_at: '2026-04-04 00:49:28+00',
  },
  { seq: 6, event_type: 'llm.end', category: 'trace', content: TRUNCATED, event_metadata: '{"caller": "lead_agent", "content_truncated": true, "original_byte_length": 20480}', created_at: '2026-04-04 00:49:29+00' },
  { seq: 7, event_type: 'subagent.start', category: 'subagent', content: '{"task_id": "k1", "description": "look"}', event_metadata: `{"task_id": "k1", ${MARKED}}`, created_at: '2026-04-04 00:49:30+00' },
  { seq: 8, event_type: 'subagent.end', category: 'subagent', content: '', event_metadata: '{"task_id": "k1", "status": "success"}', created_at: '2026-04-04 00:49:31+00' },
  { seq: 9, event_type: 'run.end', category: 'outputs', content: '', event_metadata: '{"status": "success"}', created_at: '2026-04-04 00:49:32+00' },
  { seq: 10, run_id: 'r2', event_type: 'run.start', category: 'trace', content: '', event_metadata: '{}', created_at: '2026-04-04 00:50:00+00' },
  { seq: 11, run_id: 'r2', event_type: 'run.error', category: 'error', content: 'boom', event_metadata: '{"error_type": "ValueError"}', created_at: '2026-04-04 00:50:01.000001+00' },
];

/** The thread to page through: 150 events in 5 runs, two messages to a trace, each run one put_batch. */
const LONG: DeerFlowEvent[] = Array.from({ length: 150 }, (_, i) => ({
  thread_id: 'long',
  run_id: `L${Math.floor(i / 30)}`,
  event_type: i % 3 === 2 ? 'llm.start' : 'llm.ai.response',
  category: i % 3 === 2 ? 'trace' : 'message',
  content: { type: 'ai', content: `step ${i}` },
  metadata: { caller: 'lead_agent', step: i },
  created_at: new Date(Date.UTC(2026, 3, 5, 0, 0, i)).toISOString(),
  user_id: 'u2',
}));

/**
 * A thread of subagent events whose task_id is a string, a number or null, one of them with a NUL in its metadata
 * (json.dumps writes it as \u0000, which the json type takes but its -> and ->> operators refuse to decode).
 */
const TASKS: RawRow[] = [
  { seq: 1, run_id: 'tr', event_type: 'subagent.start', category: 'subagent', content: '', event_metadata: '{"task_id": "5", "note": "a\\u0000b"}', created_at: '2026-04-06 00:00:01+00' },
  { seq: 2, run_id: 'tr', event_type: 'subagent.step', category: 'subagent', content: '', event_metadata: '{"task_id": 5}', created_at: '2026-04-06 00:00:02+00' },
  { seq: 3, run_id: 'tr', event_type: 'subagent.end', category: 'subagent', content: '', event_metadata: '{"task_id": "5"}', created_at: '2026-04-06 00:00:03+00' },
  { seq: 4, run_id: 'tr', event_type: 'subagent.step', category: 'subagent', content: '', event_metadata: '{"task_id": null}', created_at: '2026-04-06 00:00:04+00' },
  // A run whose runs row's metadata_json has a NUL too.
  { seq: 5, run_id: 'tr-redo', event_type: 'run.start', category: 'trace', content: '', event_metadata: '{}', created_at: '2026-04-06 00:00:05+00' },
];

/** Writes rows of a thread with their text as given, as DeerFlow's SQLAlchemy sends it. */
async function insertRaw(db: TestDatabase, thread: string, rows: RawRow[]): Promise<void> {
  await db.query(
    `INSERT INTO run_events (thread_id, run_id, user_id, event_type, category, content, event_metadata, seq, created_at)
     SELECT $1, run, usr, typ, cat, content, meta::json, seq, stamp::timestamptz
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[]) AS r (run, usr, typ, cat, content, meta, seq, stamp)`,
    [
      thread,
      rows.map((r) => r.run_id ?? 'r1'),
      rows.map((r) => (r.user_id === undefined ? 'u1' : r.user_id)),
      rows.map((r) => r.event_type),
      rows.map((r) => r.category),
      rows.map((r) => r.content),
      rows.map((r) => r.event_metadata),
      rows.map((r) => r.seq),
      rows.map((r) => r.created_at),
    ],
  );
}

/** Each row's text as the server holds it (created_at in UTC: the test's own connections have the server's time zone). */
const storedText = (db: TestDatabase) =>
  db.query<{ thread_id: string; seq: number; content: string; event_metadata: string; created_at: string }>(
    "SELECT thread_id, seq, content, event_metadata::text, (created_at AT TIME ZONE 'UTC')::text AS created_at FROM run_events ORDER BY id",
  );

let db: TestDatabase;
let store: PostgresStore;

beforeAll(async () => {
  db = await createTestDatabase();
  await insertRaw(db, 't1', T1);
  await insertRaw(db, 'tasks', TASKS);
  for (let run = 0; run < 5; run++) await deerflowWriteEvents(db.pool, LONG.slice(run * 30, run * 30 + 30));
  await deerflowWriteRun(db.pool, { run_id: 'r1', thread_id: 't1', status: 'success', model_name: 'gpt-4o', error: null, total_input_tokens: 10, total_output_tokens: 5, total_tokens: 15 });
  await deerflowWriteRun(db.pool, { run_id: 'L4', thread_id: 'long', status: 'interrupted', model_name: null, error: null, total_input_tokens: 0, total_output_tokens: 0, total_tokens: 0 });
  await db.query(`UPDATE runs SET metadata_json = '{"follow_up_to_run_id": "r0"}' WHERE run_id = 'r1'`);
  await db.query(`UPDATE runs SET stop_reason = 'interrupted_by_new_run' WHERE run_id = 'L4'`);
  await deerflowWriteRun(db.pool, { run_id: 'tr-redo', thread_id: 'tasks', status: 'success', model_name: null, error: null, total_input_tokens: 0, total_output_tokens: 0, total_tokens: 0 });
  await db.query(`UPDATE runs SET metadata_json = '{"note": "\\u0000", "regenerate_from_run_id": "r0"}' WHERE run_id = 'tr-redo'`);
  await deerflowWriteThread(db.pool, { thread_id: 't1', display_name: 'Weather in Paris' });
  await deerflowWriteThread(db.pool, { thread_id: 'only-meta', display_name: 'Never ran' });
  store = await openPostgresStore(db.url);
});

afterAll(async () => {
  await store?.close();
  await db?.drop();
});

const seqs = (events: RunEvent[]) => events.map((e) => e.seq);

describe("a DeerFlow PostgreSQL database, read as DeerFlow's reader returns it", () => {
  it('returns each record with its content decoded by the markers, its metadata, owner and created_at in UTC with microseconds', async () => {
    const events = await store.listEvents('t1', 'r1');
    expect(seqs(events)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(events[0]).toEqual({
      thread_id: 't1',
      run_id: 'r1',
      event_type: 'run.start',
      category: 'trace',
      content: { chain: 'lead' },
      metadata: { content_is_json: true, content_is_dict: true },
      seq: 1,
      created_at: '2026-04-04T00:49:25.123456+00:00',
      user_id: 'u1',
    });
    expect(events[1]).toMatchObject({ content: { type: 'human', content: '你好 🚀' }, created_at: '2026-04-04T00:49:26+00:00' });
    // Written at +08: the same instant, in UTC, its fraction given in six digits.
    expect(events[2].created_at).toBe('2026-04-04T00:49:27.500000+00:00');
    expect(events[3]).toMatchObject({ content: '{"looks": "like json"}', metadata: { caller: 'lead_agent' }, user_id: null });
    expect((await store.getEvent('t1', 11))?.created_at).toBe('2026-04-04T00:50:01.000001+00:00');
  });

  it('keeps U+2028 and non-ASCII in content, and every metadata key, whatever order JSON.parse gives them', async () => {
    const event = await store.getEvent('t1', 3);
    expect(event).toEqual({
      thread_id: 't1',
      run_id: 'r1',
      event_type: 'llm.ai.response',
      category: 'message',
      content: {
        type: 'ai',
        content: 'line\u2028sep çà',
        usage_metadata: { input_tokens: 4, output_tokens: 6, total_tokens: 10 },
        response_metadata: { model_name: 'gpt-4o-mini' },
      },
      metadata: { z_last: 1, '10': 'ten', caller: 'lead_agent', '2': [1, 2], content_is_json: true, content_is_dict: true },
      seq: 3,
      created_at: '2026-04-04T00:49:27.500000+00:00',
      user_id: 'u1',
    });
    expect(Object.keys(event!.metadata).sort()).toEqual(Object.keys(JSON.parse(REORDERED_METADATA)).sort());
  });

  it("returns a truncated trace event's content and its truncation markers as DeerFlow stored them", async () => {
    expect(await store.getEvent('t1', 6)).toMatchObject({
      content: TRUNCATED,
      metadata: { caller: 'lead_agent', content_truncated: true, original_byte_length: 20480 },
    });
  });

  it('lists threads with threads_meta display names, counts, time span and the status of the run that ended last, and a thread only threads_meta has', async () => {
    const threads = await store.listThreads();
    expect(threads.map((t) => t.thread_id)).toEqual(['long', 't1', 'tasks', 'only-meta']);
    expect(threads[1]).toEqual({
      thread_id: 't1',
      display_name: 'Weather in Paris',
      message_count: 4,
      event_count: 11,
      run_count: 2,
      first_created_at: '2026-04-04T00:49:25.123456+00:00',
      last_created_at: '2026-04-04T00:50:01.000001+00:00',
      // r2 ended after r1 and has no runs row: its run.error says.
      last_run_status: 'error',
    });
    expect(threads[0]).toEqual({
      thread_id: 'long',
      display_name: null,
      message_count: 100,
      event_count: 150,
      run_count: 5,
      first_created_at: '2026-04-05T00:00:00+00:00',
      last_created_at: '2026-04-05T00:02:29+00:00',
      last_run_status: 'interrupted',
    });
    expect(threads[3]).toEqual({
      thread_id: 'only-meta',
      display_name: 'Never ran',
      message_count: 0,
      event_count: 0,
      run_count: 0,
      first_created_at: null,
      last_created_at: null,
      last_run_status: null,
    });
  });

  it("lists runs with the runs row's status, stop reason, model, tokens and original, and the events' word for a run it lacks", async () => {
    expect(await store.listRuns('t1')).toEqual([
      {
        run_id: 'r1',
        message_count: 4,
        event_count: 9,
        first_created_at: '2026-04-04T00:49:25.123456+00:00',
        last_created_at: '2026-04-04T00:49:32+00:00',
        first_seq: 1,
        last_seq: 9,
        status: 'success',
        stop_reason: null,
        model_name: 'gpt-4o',
        error: null,
        total_tokens: 15,
        llm_calls: 2,
        tool_calls: 0,
        tool_errors: 1,
        original: { run_id: 'r0', relation: 'follow_up' },
      },
      {
        run_id: 'r2',
        message_count: 0,
        event_count: 2,
        first_created_at: '2026-04-04T00:50:00+00:00',
        last_created_at: '2026-04-04T00:50:01.000001+00:00',
        first_seq: 10,
        last_seq: 11,
        status: 'error',
        stop_reason: null,
        model_name: null,
        error: 'boom',
        total_tokens: null,
        llm_calls: 0,
        tool_calls: 0,
        tool_errors: 0,
      },
    ]);
    const long = await store.listRuns('long');
    expect(long.map((r) => [r.run_id, r.first_seq, r.last_seq, r.message_count, r.event_count, r.status])).toEqual([
      ['L0', 1, 30, 20, 30, null],
      ['L1', 31, 60, 20, 30, null],
      ['L2', 61, 90, 20, 30, null],
      ['L3', 91, 120, 20, 30, null],
      ['L4', 121, 150, 20, 30, 'interrupted'],
    ]);
    expect(long[4]).toMatchObject({ stop_reason: 'interrupted_by_new_run', total_tokens: 0, original: null, llm_calls: 20 });
  });

  it("gives runSummary the run's events and its runs row", async () => {
    const { events, recorded } = await readRun(store, 't1', 'r1');
    expect(events).toEqual(await store.listEvents('t1', 'r1'));
    expect(recorded).toEqual({
      status: 'success',
      stop_reason: null,
      error: null,
      model_name: 'gpt-4o',
      tokens: { input: 10, output: 5, total: 15, lead_agent: 0, subagent: 0, middleware: 0 },
    });
    expect(await store.recordedRun('t1', 'r2')).toBeNull();
    expect(await store.recordedRun('long', 'r1')).toBeNull();
    expect(await runAnatomy(store, 't1', 'r1')).toMatchObject({ status: 'success', llm_calls: 2, tool_errors: 1, tokens_recorded: { total: 15 } });
    expect(await runAnatomy(store, 't1', 'r2')).toMatchObject({ status: 'error', tokens_recorded: null });
  });

  it('counts events by category, event type and string task id, per run and per thread', async () => {
    expect(await store.eventCounts('t1', 'r1')).toEqual({
      by_category: { trace: 2, message: 4, subagent: 2, outputs: 1 },
      by_event_type: { 'run.start': 1, 'llm.human.input': 1, 'llm.ai.response': 2, 'llm.tool.result': 1, 'llm.end': 1, 'subagent.start': 1, 'subagent.end': 1, 'run.end': 1 },
      by_task_id: { k1: 2 },
    });
    expect(await store.eventCounts('t1')).toMatchObject({ by_category: { trace: 3, message: 4, subagent: 2, outputs: 1, error: 1 }, by_task_id: { k1: 2 } });
  });

  it("draws the thread's overview strip with its error and failed-tool marks", async () => {
    expect(await store.threadOverview('t1', 4)).toEqual({
      first_seq: 1,
      last_seq: 11,
      bucket_seqs: 3,
      buckets: { events: [3, 3, 3, 2], messages: [2, 2, 0, 0], errors: [0, 0, 0, 1], tool_errors: [0, 1, 0, 0] },
    });
  });

  it('filters listEvents by event types and task id, with afterSeq and limit', async () => {
    expect(seqs(await store.listEvents('t1', 'r1', { eventTypes: ['subagent.start', 'subagent.end'] }))).toEqual([7, 8]);
    expect(seqs(await store.listEvents('t1', 'r1', { taskId: 'k1' }))).toEqual([7, 8]);
    expect(seqs(await store.listEvents('t1', 'r1', { taskId: 'k1', eventTypes: ['subagent.end'] }))).toEqual([8]);
    expect(seqs(await store.listEvents('t1', 'r1', { taskId: 'k2' }))).toEqual([]);
    expect(seqs(await store.listEvents('t1', 'r1', { afterSeq: 3, limit: 3 }))).toEqual([4, 5, 6]);
    expect(seqs(await store.listEvents('long', 'L1', { eventTypes: ['llm.start'], afterSeq: 40, limit: 4 }))).toEqual([42, 45, 48, 51]);
  });

  it('gives the messages of a thread and of a run, and counts them', async () => {
    expect(seqs(await store.listMessages('t1'))).toEqual([2, 3, 4, 5]);
    expect(seqs(await store.listMessagesByRun('t1', 'r2'))).toEqual([]);
    expect(await store.countMessages('t1')).toBe(4);
    expect(await store.countMessages('long')).toBe(100);
    expect(await store.getEvent('t1', 12)).toBeNull();
  });

  it('pages through a thread and a run both ways with seq cursors, without gaps or repeats', async () => {
    const all: RunEvent[] = [];
    for (const run of await store.listRuns('long')) all.push(...(await store.listEvents('long', run.run_id)));
    const messages = all.filter((e) => e.category === 'message');
    expect(messages).toHaveLength(100);
    expect(messages[0]).toEqual({
      thread_id: 'long',
      run_id: 'L0',
      event_type: 'llm.ai.response',
      category: 'message',
      content: { type: 'ai', content: 'step 0' },
      metadata: { caller: 'lead_agent', step: 0, content_is_json: true, content_is_dict: true },
      seq: 1,
      created_at: '2026-04-05T00:00:00+00:00',
      user_id: 'u2',
    });
    const forward: RunEvent[] = [];
    for (let page = await store.listMessages('long', { afterSeq: 0, limit: 7 }); page.length > 0; page = await store.listMessages('long', { afterSeq: page.at(-1)!.seq, limit: 7 })) {
      forward.push(...page);
    }
    expect(forward).toEqual(messages);
    const backward: RunEvent[] = [];
    for (let page = await store.listMessages('long', { limit: 7 }); page.length > 0; page = await store.listMessages('long', { beforeSeq: page[0].seq, limit: 7 })) {
      backward.unshift(...page);
    }
    expect(backward).toEqual(messages);
    const run2 = messages.filter((e) => e.run_id === 'L2');
    expect(await store.listMessagesByRun('long', 'L2')).toEqual(run2);
    expect(await store.listMessagesByRun('long', 'L2', { afterSeq: run2[3].seq, limit: 2 })).toEqual(run2.slice(4, 6));
    expect(await store.listMessagesByRun('long', 'L2', { beforeSeq: run2[3].seq, limit: 2 })).toEqual(run2.slice(1, 3));
    expect(await store.listMessages('long', { afterSeq: 10, beforeSeq: 20 })).toEqual(messages.filter((e) => e.seq > 10 && e.seq < 20));
  });

  it('filters and counts by a string task_id only, and reads metadata with an escaped NUL (which json ->> refuses)', async () => {
    expect(seqs(await store.listEvents('tasks', 'tr', { taskId: '5' }))).toEqual([1, 3]);
    expect(await store.eventCounts('tasks', 'tr')).toEqual({
      by_category: { subagent: 4 },
      by_event_type: { 'subagent.start': 1, 'subagent.step': 2, 'subagent.end': 1 },
      by_task_id: { '5': 2 },
    });
    expect((await store.eventCounts('tasks')).by_task_id).toEqual({ '5': 2 });
    expect((await store.getEvent('tasks', 1))?.metadata).toEqual({ task_id: '5', note: 'a\u0000b' });
    expect(await store.threadOverview('tasks', 2)).toMatchObject({ buckets: { events: [3, 2], errors: [0, 0] } });
  });

  it('reads a runs row whose metadata_json has an escaped NUL', async () => {
    expect((await store.listRuns('tasks')).map(({ run_id, status, original }) => ({ run_id, status, original }))).toEqual([
      { run_id: 'tr', status: null, original: undefined },
      { run_id: 'tr-redo', status: 'success', original: { run_id: 'r0', relation: 'regenerate' } },
    ]);
  });

  it("leaves every row's text as DeerFlow wrote it after all of these reads", async () => {
    const rows = await storedText(db);
    const t1 = rows.filter((r) => r.thread_id === 't1');
    expect(t1.map((r) => r.content)).toEqual(T1.map((r) => r.content));
    // json, not jsonb: the text kept byte for byte, separators and key order included.
    expect(t1.map((r) => r.event_metadata)).toEqual(T1.map((r) => r.event_metadata));
    expect(t1[2].created_at).toBe('2026-04-04 00:49:27.5');
    const before = JSON.stringify(rows);
    await store.listThreads();
    for (const thread of ['t1', 'long', 'tasks']) {
      for (const run of await store.listRuns(thread)) await runAnatomy(store, thread, run.run_id);
      await store.threadOverview(thread, 100);
      await store.eventCounts(thread);
    }
    expect(JSON.stringify(await storedText(db))).toBe(before);
  });
});
