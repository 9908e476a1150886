import { isActiveStatus, isStoppedStatus, isSucceededStatus } from '../../src-shared/run-status.ts';

/** A run's status as a coloured chip; unknown statuses are shown as they are. */
export function RunStatus({ status }: { status: string | null | undefined }) {
  const value = status || 'unknown';
  const tone = isSucceededStatus(value) ? 'ok' : isStoppedStatus(value) ? 'error' : isActiveStatus(value) ? 'running' : 'neutral';
  return <span className={`status status-${tone}`}>{value}</span>;
}
