import type { HealthSeverity } from '../../src-shared/health.ts';

/** A shape for each severity besides its colour, so it is told apart without colour too; the text beside it names it. */
const GLYPHS: Record<HealthSeverity, string> = { error: '✖', warning: '▲', info: 'ℹ' };

export function SeverityIcon({ severity }: { severity: HealthSeverity }) {
  return (
    <span className="health-icon" aria-hidden="true">
      {GLYPHS[severity]}
    </span>
  );
}
