// What the store health check (src-main/health) reads of each run_events row,
// in SQL both database backends share: the envelope, the content only where
// run-facts' readers look for a tool call, a tool call's answer or a
// subagent task, and the metadata only where a task id or the recorder's
// truncation mark may be. Every other row's content stays in the database:
// most of a store's bytes are messages no rule reads. The filters only skip
// rows that cannot hold what is looked for; the readers decide in JS.
import { SUBAGENT_END_TYPE, SUBAGENT_START_TYPE } from '../../src-shared/span-lanes.ts';
import { AI_MESSAGE_TYPES, TOOL_RESULT_TYPE } from './run-facts.ts';

/** Constant strings of ours as a SQL list (never a caller's value). */
const sqlList = (values: readonly string[]) => values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ');

const TASK_TYPES = [SUBAGENT_START_TYPE, SUBAGENT_END_TYPE];

/** The metadata key DeerFlow's recorder marks cut content with (sqlite/encoding.ts truncateTrace). */
export const TRUNCATION_MARK = 'content_truncated';

/**
 * The `content` and `metadata` columns of a health row (NULL where no rule
 * reads them); `contains(column, text)` is the backend's substring test.
 */
export function healthColumnsSql(contains: (column: string, text: string) => string): string {
  const content = `CASE
      WHEN event_type IN (${sqlList(AI_MESSAGE_TYPES)}) AND ${contains('content', 'tool_calls')} THEN content
      WHEN event_type = '${TOOL_RESULT_TYPE}' AND ${contains('content', 'tool_call_id')} THEN content
      WHEN event_type IN (${sqlList(TASK_TYPES)}) THEN content END`;
  const metadata = `CASE WHEN event_type IN (${sqlList(TASK_TYPES)}) OR ${contains('event_metadata', TRUNCATION_MARK)} THEN event_metadata END`;
  return `run_id, seq, event_type, ${content} AS content, ${metadata} AS metadata`;
}

/** The keyset's values after `row` (healthKeysetSql), or before every row of both keysets (null: a thread's first page). */
export function healthKeyAfter(row: Pick<HealthRow, 'run_id' | 'seq' | 'id'> | null): { run: string; seq: number; id: number } {
  return row === null ? { run: '', seq: 0, id: 0 } : { run: row.run_id, seq: row.seq, id: row.id };
}

/**
 * The keyset a thread's health pass pages by, after the last row of the page before (bound as `run`, `seq`
 * and `id`: healthKeyAfter): seq alone along a unique index on (thread_id, seq); in the oldest
 * vintage, which has none and whose seqs may repeat, (run_id, seq, row key) along ix_events_run. Either is a
 * seek and a walk of the index, never a sort. `param(name)` is the backend's placeholder; `id` its row key.
 */
export function healthKeysetSql(uniqueThreadSeq: boolean, param: (name: 'run' | 'seq' | 'id') => string, id: string): string {
  if (uniqueThreadSeq) return `seq > ${param('seq')} ORDER BY seq`;
  return `(run_id, seq, ${id}) > (${param('run')}, ${param('seq')}, ${param('id')}) ORDER BY run_id, seq, ${id}`;
}

/** A row of a thread's health pass: its key for the next page, and health-columns' values (NULL where no rule reads them). */
export interface HealthRow {
  id: number;
  run_id: string;
  seq: number;
  event_type: string;
  content: unknown;
  metadata: unknown;
}

/** A `runs` row as the health check reads it: its thread where the table records it. */
export interface HealthRunsRecord {
  run_id: string;
  thread_id: string | null;
  status: string | null;
}

/** What a store that reads its database through a pool of its own (PostgreSQL) gives the health check: each an awaited query. */
export interface HealthReads {
  /** The threads with events, in id order. */
  threads(): Promise<string[]>;
  /** Up to `limit` of a thread's events after the row `after` (null: from the first), in keyset order (healthKeysetSql). */
  page(threadId: string, after: HealthRow | null, limit: number): Promise<HealthRow[]>;
  /** The `runs` rows (a thread's, when given and the table records threads); none without the table. */
  runsRows(threadId?: string): Promise<HealthRunsRecord[]>;
  /** threads_meta's threads; null without the table. */
  metaThreads(): Promise<string[] | null>;
}

/** A store that gives the health check its reads (HealthReads). */
export const givesHealthReads = (store: object): store is { healthReads(): HealthReads } => typeof (store as { healthReads?: unknown }).healthReads === 'function';
