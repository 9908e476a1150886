// What a thread row flags about its latest run: it failed, or it is still
// running (src-shared/run-status.ts decides, from its status and last event).
import { isFailedStatus, isRunning, RECENT_RUN_MS } from '../../src-shared/run-status.ts';
import type { ThreadSummary } from '../../src-shared/types.ts';

export type ThreadMark = { kind: 'failed' | 'running'; label: string; hint: string };

const RECENT_MINUTES = RECENT_RUN_MS / 60_000;

/** The thread's latest event is its latest run's: that run is the one that ended last. */
export function threadMark(thread: Pick<ThreadSummary, 'last_run_status' | 'last_created_at'>, now: number): ThreadMark | null {
  const status = thread.last_run_status;
  if (isFailedStatus(status)) return { kind: 'failed', label: 'failed', hint: `The latest run ended with status ${status}` };
  if (!isRunning({ status, last_created_at: thread.last_created_at }, now)) return null;
  const hint = status
    ? `The latest run has status ${status}: it has not ended`
    : `The latest run has recorded no end yet and its last event is less than ${RECENT_MINUTES} minutes old`;
  return { kind: 'running', label: 'running', hint };
}

/** Why a thread without events is in the list at all. */
export const NO_EVENTS_HINT =
  "Listed from the database's thread list (threads_meta) without any events: a chat opened and never used, or one whose events were deleted";
