import { isActiveStatus, isStoppedStatus, isSucceededStatus, runPhase, type RunState } from '../../src-shared/run-status.ts';
import { LiveBadge } from '../live/LiveBadge.tsx';

/** A run's status as a coloured chip, with the live badge while it runs; unknown statuses are shown as they are. */
export function RunStatus({ status }: { status: string | null | undefined }) {
  const value = status || 'unknown';
  const active = isActiveStatus(value);
  const tone = isSucceededStatus(value) ? 'ok' : isStoppedStatus(value) ? 'error' : active ? 'running' : 'neutral';
  return (
    <>
      <span className={`status status-${tone}`}>{value}</span>
      {active && <LiveBadge />}
    </>
  );
}

/** A run whose data gives no status is running by the shared rule (recent events), or was killed before it recorded its end. */
export function shownStatus(run: RunState, now: number): string {
  if (run.status) return run.status;
  return runPhase(run, now) === 'running' ? 'running' : 'no end';
}
