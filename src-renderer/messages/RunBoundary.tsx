// Where a run begins in the timeline: its id, status, time, why it stopped
// (linked to its error event), and its actions — Trace, Export, Delete.
import type { RunEvent, RunSummary } from '../../src-shared/types.ts';
import { instantMs } from '../../src-shared/time.ts';
import { formatDateTime, formatDuration, plural } from '../common/format.ts';
import { RunStatus, shownStatus } from '../runs/RunStatus.tsx';
import { runStop } from './run-stop.ts';

/** What a boundary's buttons do; one object for every boundary of the timeline. */
export interface RunActions {
  readOnly: boolean;
  onTrace: (runId: string) => void;
  onDetail: (seq: number) => void;
  onExport: (runId: string) => void;
  onDelete: (run: RunSummary) => void;
}

interface RunBoundaryProps {
  runId: string;
  run: RunSummary | undefined;
  hasMessages: boolean;
  errorEvent: RunEvent | undefined;
  now: number;
  actions: RunActions;
}

export function RunBoundary({ runId, run, hasMessages, errorEvent, now, actions }: RunBoundaryProps) {
  const duration = run?.first_created_at && run.last_created_at ? instantMs(run.last_created_at) - instantMs(run.first_created_at) : Number.NaN;
  const stop = run ? runStop(run, errorEvent) : null;
  const deleteTitle = actions.readOnly ? 'This source is read-only' : run ? undefined : 'The run is still loading';
  return (
    <div className="run-boundary" role="group" aria-label={`Run ${runId}`}>
      <div className="run-boundary-head">
        <span className="run-boundary-line" aria-hidden="true" />
        <span className="run-label">Run</span>
        <code className="run-id" title={runId}>
          {runId}
        </code>
        {run && <RunStatus status={shownStatus(run, now)} />}
        {run && <time dateTime={run.first_created_at ?? undefined}>{formatDateTime(run.first_created_at)}</time>}
        {Number.isFinite(duration) && <span className="muted">{formatDuration(duration)}</span>}
        {run && <span className="muted">{plural(run.event_count, 'event')}</span>}
        {!hasMessages && <span className="run-no-messages">no messages</span>}
        <button type="button" className="trace-button" aria-label={`Trace of run ${runId}`} onClick={() => actions.onTrace(runId)}>
          Trace
        </button>
        <button type="button" onClick={() => actions.onExport(runId)}>
          Export run
        </button>
        <button type="button" className="danger" disabled={actions.readOnly || !run} title={deleteTitle} onClick={() => run && actions.onDelete(run)}>
          Delete run
        </button>
        <span className="run-boundary-line" aria-hidden="true" />
      </div>
      {stop && (stop.reason || stop.text) && (
        <div className="run-stop" role="note" aria-label="Why the run stopped">
          {stop.reason && <code className="run-stop-reason">{stop.reason}</code>}
          {stop.text && <StopText text={stop.text} seq={stop.seq} onDetail={actions.onDetail} />}
        </div>
      )}
    </div>
  );
}

/** The error in full; a link to its event where it came from one. */
function StopText({ text, seq, onDetail }: { text: string; seq: number | null; onDetail: (seq: number) => void }) {
  if (seq === null) return <span className="run-stop-text">{text}</span>;
  return (
    <button type="button" className="run-stop-text link-button" title={`Open the error event #${seq}`} onClick={() => onDetail(seq)}>
      {text}
    </button>
  );
}

