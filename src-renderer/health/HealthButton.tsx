// The top bar's Health entry: opens the panel, and once a check has answered
// shows its counts by severity, errors first.
import { HEALTH_SEVERITIES } from '../../src-shared/health.ts';
import { formatCount } from '../common/format.ts';
import { healthSummary, severityCounts } from './health-model.ts';
import type { Health } from './use-health.ts';
import { SeverityIcon } from './SeverityIcon.tsx';

/** The entry's accessible name: `Health: 2 errors, 5 warnings, 9 info`, `Health: no findings`, or what stands in for the counts. */
export function healthEntryName({ report, checking, error, stale }: Pick<Health, 'report' | 'checking' | 'error' | 'stale'>): string {
  if (!report) return `Health: ${error ? 'the check failed' : checking ? 'checking…' : 'not checked yet'}`;
  return `Health: ${healthSummary(report.counts)}${stale ? ' (checked before the latest changes)' : ''}`;
}

export function HealthButton({ health, onOpen }: { health: Health; onOpen: () => void }) {
  const { report, checking, stale } = health;
  const bySeverity = report ? severityCounts(report.counts) : null;
  const clean = bySeverity !== null && HEALTH_SEVERITIES.every((severity) => bySeverity[severity] === 0);
  return (
    <button
      type="button"
      className={`health-entry${stale ? ' health-stale' : ''}`}
      aria-label={healthEntryName(health)}
      aria-haspopup="dialog"
      title={stale ? 'Store health, checked before the latest changes: open to check again' : 'Store health: what DeerFlow’s bugs and crashes left in this store'}
      data-state={checking ? 'checking' : report ? 'checked' : 'unchecked'}
      onClick={onOpen}
    >
      Health
      {bySeverity &&
        HEALTH_SEVERITIES.filter((severity) => bySeverity[severity] > 0).map((severity) => (
          <span key={severity} className={`health-count health-${severity}`}>
            <SeverityIcon severity={severity} />
            {formatCount(bySeverity[severity])}
          </span>
        ))}
      {clean && (
        <span className="health-count health-clean">
          <span aria-hidden="true">✓</span>
        </span>
      )}
      {checking && <span className="spinner spinner-small" aria-hidden="true" />}
    </button>
  );
}
