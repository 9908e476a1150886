// Where a run begins in the timeline: its id, status, time, and the way to its trace.
import type { RunSummary } from '../../src-shared/types.ts';
import { instantMs } from '../../src-shared/time.ts';
import { formatDateTime, formatDuration, plural } from '../common/format.ts';
import { RunStatus } from '../runs/RunStatus.tsx';

export function RunBoundary({ runId, run, onTrace }: { runId: string; run: RunSummary | undefined; onTrace: (runId: string) => void }) {
  const duration = run?.first_created_at && run.last_created_at ? instantMs(run.last_created_at) - instantMs(run.first_created_at) : Number.NaN;
  return (
    <div className="run-boundary" role="group" aria-label={`Run ${runId}`}>
      <span className="run-boundary-line" aria-hidden="true" />
      <span className="run-label">Run</span>
      <code className="run-id" title={runId}>
        {runId}
      </code>
      {run && <RunStatus status={run.status} />}
      {run && <time dateTime={run.first_created_at ?? undefined}>{formatDateTime(run.first_created_at)}</time>}
      {Number.isFinite(duration) && <span className="muted">{formatDuration(duration)}</span>}
      {run && <span className="muted">{plural(run.event_count, 'event')}</span>}
      <button type="button" className="trace-button" aria-label={`Trace of run ${runId}`} onClick={() => onTrace(runId)}>
        Trace
      </button>
      <span className="run-boundary-line" aria-hidden="true" />
    </div>
  );
}
