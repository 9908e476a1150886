// Why a run stopped, as its timeline boundary tells it: the status, the
// stop reason the `runs` row recorded, and the error in full — the run.error
// event's content (which the boundary links to) or else the row's error.
import type { RunEvent, RunSummary } from '../../src-shared/types.ts';

/** The error event of a run, in both vintages. */
export const RUN_ERROR_TYPES = ['run.error', 'run_error'];

const STOPPED_STATUS = /^(error|failed|failure|cancelled|canceled|interrupted|timeout)$/i;
const UNFINISHED_STATUS = /^(running|pending|started)$/i;

export interface RunStop {
  /** The runs row's stop_reason (`user_cancelled`, `interrupted_by_new_run`, …). */
  reason: string | null;
  /** The error in full. */
  text: string | null;
  /** The run.error event the text comes from, to open it. */
  seq: number | null;
}

/** A run that failed, was cancelled or was interrupted: worth looking up its error event. */
export function isStopped(run: RunSummary): boolean {
  return STOPPED_STATUS.test(run.status ?? '') || Boolean(run.error) || Boolean(run.stop_reason);
}

/** The run has not ended yet, as far as the store knows: no status (no end event, no runs row) or one still going. */
export function isUnfinished(run: RunSummary | undefined): boolean {
  return run !== undefined && (!run.status || UNFINISHED_STATUS.test(run.status));
}

const textOf = (event: RunEvent) => (typeof event.content === 'string' ? event.content : JSON.stringify(event.content));

export function runStop(run: RunSummary, errorEvent: RunEvent | undefined): RunStop | null {
  if (!isStopped(run) && !errorEvent) return null;
  const eventText = errorEvent ? textOf(errorEvent) : '';
  return {
    reason: run.stop_reason || null,
    text: eventText || run.error || null,
    seq: eventText ? (errorEvent?.seq ?? null) : null,
  };
}
