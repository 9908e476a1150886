import type { JobProgress } from '../../src-shared/contract.ts';
import { formatCount } from '../common/format.ts';

/** Determinate once the job knows its total, indeterminate before. */
export function JobProgressBar({ progress, label }: { progress: JobProgress | null; label: string }) {
  const total = progress?.total ?? null;
  return (
    <div className="job-progress">
      <progress aria-label={label} max={total ?? undefined} value={total !== null ? Math.min(progress?.done ?? 0, total) : undefined} />
      <p className="muted small" aria-live="polite">
        {progress ? `${progress.message || 'Working…'} (${formatCount(progress.done)}${total !== null ? ` of ${formatCount(total)}` : ''})` : 'Starting…'}
      </p>
    </div>
  );
}
