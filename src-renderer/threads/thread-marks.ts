// What a thread row flags about its latest run: it failed, or it has not
// ended (still running, as far as the store knows).
import type { ThreadSummary } from '../../src-shared/types.ts';

export type ThreadMark = { kind: 'failed' | 'running'; label: string; hint: string };

const FAILED = /^(error|failed|failure|timeout)$/i;
const RUNNING = /^(running|pending|started)$/i;

export function threadMark(thread: Pick<ThreadSummary, 'last_run_status'>): ThreadMark | null {
  const status = thread.last_run_status;
  if (!status) return null;
  if (FAILED.test(status)) return { kind: 'failed', label: 'failed', hint: `The latest run ended with status ${status}` };
  if (RUNNING.test(status)) return { kind: 'running', label: 'running', hint: `The latest run has status ${status}: it has not ended` };
  return null;
}

/** Why a thread without events is in the list at all. */
export const NO_EVENTS_HINT =
  "Listed from the database's thread list (threads_meta) without any events: a chat opened and never used, or one whose events were deleted";
