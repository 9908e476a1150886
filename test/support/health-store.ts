// Stores built to hold each health finding (issue 15). Through the store
// contract's writes, so every backend can be given it: thread `clean` has
// none; thread `marked` has one of each kind an event pass finds (a deleted
// run leaves its seq gap), and the open business of a run without an end,
// which is not reported. Beside them DeerFlow's tables (HEALTH_TABLES), and a
// legacy database's repeated seqs (DUPLICATED_SEQS), for the database backends.
import type { HealthReport } from '../../src-shared/health.ts';
import type { EventInput, InspectorStore, JsonObject, JsonValue } from '../../src-shared/types.ts';
import { checkHealth } from '../../src-main/health/check-store.ts';
import { healthSourceFor } from '../../src-main/health/source-for-store.ts';
import { openSqliteHealthSource } from '../../src-main/health/sqlite-source.ts';
import { openSqliteStore } from '../../src-main/store/sqlite/sqlite-store.ts';
import { aiMessage, call, toolResult } from './anatomy-events.ts';
import { createVintageDatabase, type RawEvent, type RawRun, type VintageData } from './deerflow-databases.ts';

const input = (thread_id: string, run_id: string, event_type: string, content: JsonValue = '', metadata: JsonObject = {}): EventInput => ({
  thread_id,
  run_id,
  event_type,
  category: event_type.startsWith('llm.') || event_type === 'ai_message' ? 'message' : 'trace',
  content,
  metadata,
});

/** A finished run that answers every call and ends every task: no finding. */
function cleanRun(thread: string, run: string): EventInput[] {
  return [
    input(thread, run, 'run.start'),
    input(thread, run, 'llm.human.input', { type: 'human', content: 'hello' }),
    input(thread, run, 'llm.ai.response', aiMessage([call(`${run}-call`, 'search')])),
    input(thread, run, 'llm.tool.result', toolResult(`${run}-call`)),
    input(thread, run, 'subagent.start', { task_id: `${run}-task`, subagent_type: 'general-purpose' }, { task_id: `${run}-task` }),
    input(thread, run, 'subagent.end', { task_id: `${run}-task`, status: 'completed' }, { task_id: `${run}-task` }),
    input(thread, run, 'run.end'),
  ];
}

/** The recorder's mark on content it cut (what SQLite's put writes for a trace over 10 KiB; memory and JSONL keep what they are given). */
export const TRUNCATED = { content_truncated: true, original_byte_length: 20_000 };

/** What fillHealthStore's `marked` thread holds, to assert findings by. */
export const MARKED = {
  thread: 'marked',
  /** Ends; one of its calls is never answered and one of its tasks never ends. */
  ended: 'r-ended',
  lostCall: 'call-lost',
  openTask: 'task-open',
  /** Killed: no run.end, an unanswered call and an open task of its own that are not reported. */
  killed: 'r-killed',
  /** Ends with the legacy run_error: its call is answered in a later run. */
  legacy: 'r-legacy',
  /** Deleted after it was written: its seqs are the gap. */
  deleted: 'r-deleted',
} as const;

/** Writes both threads (and deletes MARKED.deleted); returns the deleted run's seqs, the gap. */
export async function fillHealthStore(store: InspectorStore): Promise<{ gap: number[] }> {
  const { thread, ended, lostCall, openTask, killed, legacy, deleted } = MARKED;
  await store.putBatch([...cleanRun('clean', 'c1'), ...cleanRun('clean', 'c2')]);
  await store.putBatch([
    input(thread, legacy, 'run_start'),
    input(thread, legacy, 'ai_message', aiMessage([call('call-later', 'fetch')])),
    input(thread, legacy, 'run_error', 'boom'),
  ]);
  const gone = await store.putBatch([input(thread, deleted, 'run.start'), input(thread, deleted, 'llm.human.input', 'deleted'), input(thread, deleted, 'run.end')]);
  await store.putBatch([
    input(thread, ended, 'run.start'),
    input(thread, ended, 'llm.ai.response', aiMessage([call('call-answered', 'search'), call(lostCall, 'search')])),
    input(thread, ended, 'llm.tool.result', toolResult('call-answered')),
    input(thread, ended, 'llm.tool.result', toolResult('call-later')),
    input(thread, ended, 'subagent.start', { task_id: openTask, subagent_type: 'general-purpose' }, { task_id: openTask }),
    input(thread, ended, 'middleware.trace', 'cut', TRUNCATED),
    input(thread, ended, 'run.end'),
    input(thread, killed, 'run.start'),
    input(thread, killed, 'llm.ai.response', aiMessage([call('call-killed', 'search')])),
    input(thread, killed, 'subagent.start', { task_id: 'task-killed' }, { task_id: 'task-killed' }),
  ]);
  await store.deleteByRun(thread, deleted);
  return { gap: gone.map((event) => event.seq) };
}

const runsRow = (thread_id: string, run_id: string, status: string): RawRun => ({
  run_id,
  thread_id,
  status,
  model_name: null,
  error: null,
  total_input_tokens: 0,
  total_output_tokens: 0,
  total_tokens: 0,
});

/**
 * DeerFlow's tables beside fillHealthStore's events (with LIVE_RUN written too): a runs row for the killed
 * run (interrupted: reported), one for a run still going (not), one without events; threads_meta has no row
 * for MARKED.thread, whose events are then orphans.
 */
export const HEALTH_TABLES: Required<Pick<VintageData, 'runs' | 'threads'>> = {
  runs: [
    runsRow(MARKED.thread, MARKED.ended, 'success'),
    runsRow(MARKED.thread, MARKED.killed, 'interrupted'),
    runsRow('live', 'r-live', 'running'),
    runsRow('clean', 'r-ghost', 'success'),
  ],
  threads: [
    { thread_id: 'clean', display_name: 'Clean' },
    { thread_id: 'live', display_name: 'Live' },
  ],
};

/** A run whose runs row says it is running: no end yet, and no finding. */
export const LIVE_RUN: EventInput = { thread_id: 'live', run_id: 'r-live', event_type: 'run.start', category: 'trace' };

/** fillHealthStore's threads and LIVE_RUN: the events of a database that has HEALTH_TABLES beside them. */
export async function fillHealthDatabase(store: InspectorStore): Promise<void> {
  await fillHealthStore(store);
  await store.putBatch([LIVE_RUN]);
}

/** A DeerFlow SQLite database at `file` holding HEALTH_TABLES and fillHealthDatabase's events. */
export async function writeHealthDatabase(file: string): Promise<void> {
  createVintageDatabase(file, 'current', { events: [], ...HEALTH_TABLES });
  const store = openSqliteStore(file, { create: false });
  try {
    await fillHealthDatabase(store);
  } finally {
    await store.close();
  }
}

const legacyRow = (thread_id: string, run_id: string, seq: number, event_type: string): RawEvent => ({
  thread_id,
  run_id,
  event_type,
  category: 'trace',
  content: '',
  event_metadata: '{}',
  seq,
  created_at: '2026-04-04 00:49:25.123456',
});

/**
 * Rows of the oldest vintage (no unique (thread_id, seq)) where seqs repeat, as U+2028-split lines
 * re-read with the seqs of others leave them (DeerFlow before #5429): three events of t1's seq 3, two of
 * its seq 4; t2 starts at seq 3, with no gap inside its range.
 */
export const DUPLICATED_SEQS: VintageData = {
  events: [
    legacyRow('t1', 'r1', 1, 'run_start'),
    legacyRow('t1', 'r1', 2, 'run_end'),
    legacyRow('t1', 'r2', 3, 'run_start'),
    legacyRow('t1', 'r2', 3, 'middleware.trace'),
    legacyRow('t1', 'r3', 3, 'run_start'),
    legacyRow('t1', 'r2', 4, 'run_end'),
    legacyRow('t1', 'r3', 4, 'run_end'),
    legacyRow('t2', 'r9', 3, 'run_start'),
    legacyRow('t2', 'r9', 4, 'run_end'),
  ],
  threads: [
    { thread_id: 't1', display_name: null },
    { thread_id: 't2', display_name: null },
  ],
};

/** The check of a SQLite file, as a script runs it (sqlite-source.ts). */
export async function checkSqliteFile(file: string, threadId?: string): Promise<HealthReport> {
  const source = openSqliteHealthSource(file);
  try {
    return await checkHealth(source, { threadId });
  } finally {
    source.close();
  }
}

/** The check of an open store, by the source its backend is checked with (source-for-store.ts). */
export async function checkOpenStore(store: InspectorStore, threadId?: string): Promise<HealthReport> {
  const opened = healthSourceFor(store);
  try {
    return await checkHealth(opened.source, { threadId });
  } finally {
    opened.close();
  }
}
