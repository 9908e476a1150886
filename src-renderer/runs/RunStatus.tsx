import { isActiveStatus, isStoppedStatus, isSucceededStatus } from '../../src-shared/run-status.ts';
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
