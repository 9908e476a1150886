// Which databases keep DeerFlow's run records beside run_events (its `runs`,
// `threads_meta` and `feedback` tables), by the same rules for SQLite and
// PostgreSQL, and the store methods of a DeerFlow-style delete (issue 15):
// the events and those records in one transaction. The seed's
// deleteByThread / deleteByRun stay events only.
import type { DeletedRecords, RunRecordCounts } from '../../src-shared/run-records.ts';
import { ACTIVE_STATUSES } from '../../src-shared/run-status.ts';
import type { InspectorStore } from '../../src-shared/types.ts';
import type { RunsTable } from './deerflow-columns.ts';

/** A `runs` table whose rows name their thread: a thread's or a run's rows can be found. */
export const runsByThread = (runs: RunsTable | null): runs is RunsTable => runs?.columns.has('thread_id') ?? false;

/** A `runs` row is active (pending or running): the same SQL on both backends, the statuses compared as DeerFlow writes them, lower case. */
export const ACTIVE_RUN_SQL = `status IN (${ACTIVE_STATUSES.map((status) => `'${status}'`).join(', ')})`;

/** In a query over `runs` rows, how many of them are active (RunRecordCounts.active). */
export const activeRunsSql = (runs: RunsTable): string => (runs.columns.has('status') ? `count(*) FILTER (WHERE ${ACTIVE_RUN_SQL})` : '0');

/** DeerFlow's `feedback` table (a rating per run), found by thread and run. */
export const hasFeedback = (columns: ReadonlySet<string>): boolean => columns.has('thread_id') && columns.has('run_id');

/** A database store's DeerFlow-style delete (sqlite, postgres). */
export interface RunRecordsStore {
  /** What a delete of the thread, or of one run, would take besides the events; null where the database keeps no runs rows, or cannot be written. */
  deletableRecords(threadId: string, runId?: string): Promise<RunRecordCounts | null>;
  /** The events and their run records, in one transaction, keeping every guarantee of deleteByThread / deleteByRun. */
  deleteWithRecords(threadId: string, runId?: string): Promise<DeletedRecords>;
}

export const keepsRunRecords = (store: InspectorStore): store is InspectorStore & RunRecordsStore => 'deleteWithRecords' in store && 'deletableRecords' in store;
