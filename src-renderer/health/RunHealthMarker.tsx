import type { RunHealth } from './health-marks.ts';
import { runHealthText } from './health-marks.ts';
import { SeverityIcon } from './SeverityIcon.tsx';

/** A run's findings in the runs table: its worst severity's icon and colour, naming each kind. */
export function RunHealthMarker({ health }: { health: RunHealth }) {
  const text = runHealthText(health);
  return (
    <span className={`health-marker health-${health.severity}`} role="img" aria-label={text} title={`${text} (as of the last health check)`} data-severity={health.severity}>
      <SeverityIcon severity={health.severity} />
    </span>
  );
}
