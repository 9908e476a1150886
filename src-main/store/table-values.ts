// Values the database backends read alike from DeerFlow's tables, whichever
// database holds them: a `runs` row's fields, the one-pass event counts.
import type { EventCounts, RecordedRun, RunSummary, ThreadSummary } from '../../src-shared/types.ts';
import type { RunOutcome } from './run-facts.ts';

export const stringOrNull = (value: unknown) => (value === null || value === undefined ? null : String(value));

export const numberOrNull = (value: unknown) => (typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : null);

/** The fields of a `runs` row that say which run it redoes. */
export interface OriginalRunColumns {
  regenerate_from_run_id: unknown;
  follow_up_to_run_id: unknown;
}

/** The run a runs row says this one regenerates, else follows up (issue 12's "Compare with original"). */
export function originalRun(row: OriginalRunColumns): RunSummary['original'] {
  const regenerated = stringOrNull(row.regenerate_from_run_id);
  if (regenerated) return { run_id: regenerated, relation: 'regenerate' };
  const followed = stringOrNull(row.follow_up_to_run_id);
  return followed ? { run_id: followed, relation: 'follow_up' } : null;
}

/**
 * threads_meta's threads that have no event (DeerFlow makes a thread before
 * its first run) added to a thread list: no counts, no times, no status.
 */
export function addThreadsWithoutEvents(threads: ThreadSummary[], displayNames: ReadonlyMap<string, string | null>): void {
  const listed = new Set(threads.map((thread) => thread.thread_id));
  for (const [thread, displayName] of displayNames) {
    if (listed.has(thread)) continue;
    threads.push({ thread_id: thread, display_name: displayName, message_count: 0, event_count: 0, run_count: 0, first_created_at: null, last_created_at: null, last_run_status: null });
  }
}

/** One group of the one-pass counts: category × event type × string task_id (null when none). */
export interface CountGroup {
  category: string;
  event_type: string;
  task_id: string | null;
  n: number;
}

/** Folds the one-pass category × event type × task_id groups into the three breakdowns. */
export function foldCounts(rows: readonly CountGroup[]): EventCounts {
  const counts: EventCounts = { by_category: {}, by_event_type: {}, by_task_id: {} };
  const add = (into: Record<string, number>, key: string, n: number) => (into[key] = (into[key] ?? 0) + n);
  for (const { category, event_type, task_id, n } of rows) {
    add(counts.by_category, category, n);
    add(counts.by_event_type, event_type, n);
    if (task_id !== null) add(counts.by_task_id, task_id, n);
  }
  return counts;
}

/** A `runs` row's columns the read model shows, as the database returns them (a column a vintage lacks reads null). */
export interface RunsRowColumns extends OriginalRunColumns {
  status?: unknown;
  stop_reason?: unknown;
  model_name?: unknown;
  error?: unknown;
  total_tokens?: unknown;
}

/** What a run's `runs` row says of it, the authority where it has the run; its events fill what the row leaves empty. */
export function summaryFromRunsRow(row: RunsRowColumns, outcome: RunOutcome): Pick<RunSummary, 'status' | 'stop_reason' | 'model_name' | 'error' | 'total_tokens' | 'original'> {
  return {
    status: stringOrNull(row.status) ?? outcome.status ?? null,
    stop_reason: stringOrNull(row.stop_reason),
    model_name: stringOrNull(row.model_name),
    error: stringOrNull(row.error) ?? outcome.error ?? null,
    total_tokens: numberOrNull(row.total_tokens),
    original: originalRun(row),
  };
}

/** The columns recordedRun reads from a `runs` row. */
export type RecordedRunColumns = Partial<Record<
  'status' | 'stop_reason' | 'model_name' | 'error' | 'total_input_tokens' | 'total_output_tokens' | 'total_tokens' | 'lead_agent_tokens' | 'subagent_tokens' | 'middleware_tokens',
  unknown
>>;

export function recordedRunOf(row: RecordedRunColumns): RecordedRun {
  return {
    status: stringOrNull(row.status),
    stop_reason: stringOrNull(row.stop_reason),
    error: stringOrNull(row.error),
    model_name: stringOrNull(row.model_name),
    tokens: {
      input: numberOrNull(row.total_input_tokens),
      output: numberOrNull(row.total_output_tokens),
      total: numberOrNull(row.total_tokens),
      lead_agent: numberOrNull(row.lead_agent_tokens),
      subagent: numberOrNull(row.subagent_tokens),
      middleware: numberOrNull(row.middleware_tokens),
    },
  };
}
