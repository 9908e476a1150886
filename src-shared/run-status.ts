// What a run's status means, one rule for the store, the thread list and the
// timeline. The read model keeps `status` as the data says it (the `runs`
// row's, else the outcome of the run's lifecycle events, else null), so it
// stays a pure function of the data; whether a run without an end is still
// running depends on the clock too, and is decided here, with `now` given.
import { instantMs } from './time.ts';

/** Lifecycle event types, current and legacy (before mid-2026). */
export const RUN_START_TYPES: readonly string[] = ['run.start', 'run_start'];
export const RUN_END_TYPES: readonly string[] = ['run.end', 'run_end'];
export const RUN_ERROR_TYPES: readonly string[] = ['run.error', 'run_error'];
export const OUTCOME_TYPES: readonly string[] = [...RUN_END_TYPES, ...RUN_ERROR_TYPES];

/** DeerFlow's active statuses (its one-active-run-per-thread index says which), as it writes them. */
export const ACTIVE_STATUSES: readonly string[] = ['running', 'pending'];
const ACTIVE = new RegExp(`^(${ACTIVE_STATUSES.join('|')})$`, 'i');
const FAILED = /^(error|failed|failure|timeout)$/i;
/** Failed, or ended short by the user or by a newer run. */
const STOPPED = /^(error|failed|failure|timeout|cancelled|canceled|interrupted)$/i;
const SUCCEEDED = /^(success|succeeded|completed|done|ok)$/i;

/** A run without an end whose last event is older than this was killed, not still running. */
export const RECENT_RUN_MS = 5 * 60_000;

export interface RunState {
  status?: string | null;
  /** The run's latest event time. */
  last_created_at: string | null;
}

/**
 * `running`: its `runs` row says running or pending, or it has no status (no
 * row, no run.end / run.error) and its last event is recent. `no_end`: no
 * status and old events, a run killed before it could record its end.
 * `ended`: any other status.
 */
export type RunPhase = 'running' | 'no_end' | 'ended';

export function runPhase({ status, last_created_at }: RunState, now: number): RunPhase {
  if (status) return isActiveStatus(status) ? 'running' : 'ended';
  // A stamp in the future (another machine's clock) counts as recent; no stamp, as old.
  return last_created_at !== null && now - instantMs(last_created_at) < RECENT_RUN_MS ? 'running' : 'no_end';
}

export const isRunning = (run: RunState, now: number): boolean => runPhase(run, now) === 'running';

export const isActiveStatus = (status: string | null | undefined): boolean => ACTIVE.test(status ?? '');

export const isFailedStatus = (status: string | null | undefined): boolean => FAILED.test(status ?? '');

export const isStoppedStatus = (status: string | null | undefined): boolean => STOPPED.test(status ?? '');

export const isSucceededStatus = (status: string | null | undefined): boolean => SUCCEEDED.test(status ?? '');
