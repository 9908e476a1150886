// The rows the sqlite backend's statements take and return, in one module
// that the encoding, the statements and the import's row batches share.
import type { DeerFlowRunRow } from './deerflow-side-tables.ts';

/**
 * A run_events row as SQLite returns it (a foreign writer may have stored any
 * type), with the values of the schema's extra columns as further properties.
 */
export interface EventRow {
  thread_id: string;
  run_id: string;
  user_id?: string | null;
  event_type: string;
  category: string;
  content: unknown;
  event_metadata: unknown;
  seq: number;
  created_at: unknown;
}

/** The values of one insert, already in DeerFlow's encoding. */
export interface EventParams {
  thread_id: string;
  run_id: string;
  user_id: string | null;
  event_type: string;
  category: string;
  content: string;
  event_metadata: string;
  seq: number;
  created_at: string;
}

/** A thread's seq range and event count, the version of what is derived from all its rows. */
export interface ThreadRangeRow {
  first_seq: number | null;
  last_seq: number | null;
  event_count: number;
}

/** One bucket of the overview strip's counts from the indexes (buckets without events have no row). */
export interface OverviewRow {
  bucket: number;
  events: number;
  messages: number;
}

/** An event the overview strip marks: an error, a failed tool call (1 or 0 each). */
export interface OverviewMarkRow {
  seq: number;
  error: number;
  tool_error: number;
}

/** One row of the whole-table pass that finds every thread's marks at once. */
export interface TableMarkRow extends OverviewMarkRow {
  thread_id: string;
}

/** A time span as SQLite returns the stamps. */
export interface SpanRow {
  first_created_at: unknown;
  last_created_at: unknown;
}

/** A run's time span and the figures of its events RunSummary carries (counted by run-facts' rules, sql.ts). */
export interface RunFactsRow extends SpanRow {
  llm_calls: number;
  tool_calls: number;
  tool_errors: number;
}

export interface RunRow {
  run_id: string;
  event_count: number;
  message_count: number;
  first_seq: number;
  last_seq: number;
}

/** The `runs` columns the read model reads, as SQLite returns them (any type a writer stored); NULL where the database lacks the column. */
export type RunsTableRow = Pick<DeerFlowRunRow, 'run_id'> & {
  [column in keyof Pick<DeerFlowRunRow, 'status' | 'stop_reason' | 'model_name' | 'error' | 'total_tokens' | 'follow_up_to_run_id'>]: unknown;
} & {
  /** metadata_json's, where DeerFlow's regenerate records the run it redoes. */
  regenerate_from_run_id: unknown;
};

/** A run's `runs` row as recordedRun reads it; a column the vintage lacks reads NULL. */
export type RecordedRunRow = {
  [column in keyof Pick<
    DeerFlowRunRow,
    | 'status'
    | 'stop_reason'
    | 'model_name'
    | 'error'
    | 'total_input_tokens'
    | 'total_output_tokens'
    | 'total_tokens'
    | 'lead_agent_tokens'
    | 'subagent_tokens'
    | 'middleware_tokens'
  >]: unknown;
};

/** Where an AI message records its usage and model, each as JSON text (NULL when absent). */
export interface UsageRow {
  seq: number;
  usage_metadata: string | null;
  response_metadata: string | null;
  usage: string | null;
  model_name: string | null;
}

/** One group of the one-pass counts (table-values.ts). */
export type { CountGroup as CountRow } from '../table-values.ts';

/** A run of an export's scope (sql.ts exportStatements): its rows with a seq a listing shows (1 to MAX_SAFE_INTEGER). */
export interface ExportRunRow {
  thread_id: string;
  run_id: string;
  listed: number;
}

/** A row of an export, in (thread_id, run_id, seq, rowid) order; `row_key` is its rowid, the cursor's last part. */
export interface ExportRow extends EventRow {
  row_key: number;
}

/**
 * Where an export's page starts, after (thread, run, seq, row_key), and the
 * last run it reaches, (last_thread, last_run).
 */
export interface ExportWindow {
  thread: string;
  run: string;
  seq: unknown;
  row_key: number;
  last_thread: string;
  last_run: string;
}
