// Why a run stopped, as its timeline boundary tells it: the status, the
// stop reason the `runs` row recorded, and the error in full — the run.error
// event's content (which the boundary links to) or else the row's error.
import { isStoppedStatus } from '../../src-shared/run-status.ts';
import type { RunEvent, RunSummary } from '../../src-shared/types.ts';

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
  return isStoppedStatus(run.status) || Boolean(run.error) || Boolean(run.stop_reason);
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
