// One run: its header (why it ended, what it cost), then either every event
// (EventTable) or the waterfall of its spans with the table under it, where a
// span opened in the waterfall has its events marked and selected.
import { memo, useMemo, useState } from 'react';
import type { RunSpan, RunSummary } from '../../src-shared/types.ts';
import type { TraceMode } from '../app/selection.ts';
import { formatDateTime, plural } from '../common/format.ts';
import { useGrowingCount } from '../common/growing-count.ts';
import { ErrorNote, Loading } from '../common/States.tsx';
import { SeqForm } from '../common/SeqForm.tsx';
import { EventTable } from './EventTable.tsx';
import { RunHeader } from './RunHeader.tsx';
import type { TraceFilter } from './trace-filter.ts';
import { useRunSummary } from './waterfall/use-run-summary.ts';
import { Waterfall } from './waterfall/Waterfall.tsx';

const NO_SEQS: ReadonlySet<number> = new Set();
/** The run picker's options are added this many at a time: a thread of 5,000 runs made one task of them all. */
const PICKER_STEP = 400;

interface TraceViewProps {
  threadId: string;
  runs: RunSummary[];
  runId: string;
  selectedSeq: number | null;
  filter: TraceFilter;
  mode: TraceMode;
  readOnly: boolean;
  onRunChange: (runId: string) => void;
  /** `keyboard`: a step through the list with the arrow keys. */
  onSelect: (seq: number, by: 'pointer' | 'keyboard') => void;
  onFilterChange: (filter: TraceFilter) => void;
  /** With `eventSeq`: that event selected in the new view. */
  onModeChange: (mode: TraceMode, eventSeq?: number) => void;
  onDeleteRun: (run: RunSummary) => void;
  onExportRun: (runId: string) => void;
}

export function TraceView({ threadId, runs, runId, selectedSeq, filter, mode, readOnly, onRunChange, onSelect, onFilterChange, onModeChange, onDeleteRun, onExportRun }: TraceViewProps) {
  const run = runs.find((r) => r.run_id === runId);
  const timeline = mode === 'timeline';
  const [summary, reloadSummary] = useRunSummary(threadId, runId);
  /** The events of the span last opened in the waterfall: its first and, when it has ended, its last. */
  const [spanSeqs, setSpanSeqs] = useState<ReadonlySet<number>>(new Set());
  const goToSeq = (seq: number) => onSelect(seq, 'pointer');
  const openSpan = (span: RunSpan) => {
    setSpanSeqs(new Set(span.end_seq === null ? [span.seq] : [span.seq, span.end_seq]));
    goToSeq(span.seq);
  };
  const table = (compact: boolean) => (
    <EventTable
      threadId={threadId}
      runId={runId}
      run={run}
      selectedSeq={selectedSeq}
      spanSeqs={compact ? spanSeqs : NO_SEQS}
      filter={filter}
      compact={compact}
      onRunChange={onRunChange}
      onSelect={onSelect}
      onFilterChange={onFilterChange}
    />
  );

  return (
    <section className="trace" aria-label={`Trace of run ${runId}`}>
      <div className="toolbar" role="toolbar" aria-label="Trace controls">
        <RunPicker runs={runs} runId={runId} onRunChange={onRunChange} />
        {run && <span className="muted small">{plural(run.event_count, 'event')}</span>}
        <SeqForm onGo={goToSeq} />
        <span className="toolbar-gap" />
        <span className="toolbar-actions">
          <button type="button" onClick={() => onExportRun(runId)}>
            Export run
          </button>
          {run && (
            <button type="button" className="danger" disabled={readOnly} title={readOnly ? 'This source is read-only' : undefined} onClick={() => onDeleteRun(run)}>
              Delete run
            </button>
          )}
        </span>
      </div>

      <RunHeader summary={summary} onSelect={goToSeq} onRetry={reloadSummary} />

      <div className="trace-modes">
        <div className="view-switch" role="group" aria-label="Trace view">
          <button type="button" aria-pressed={!timeline} onClick={() => onModeChange('events')}>
            Events
          </button>
          <button type="button" aria-pressed={timeline} onClick={() => onModeChange('timeline')}>
            Timeline
          </button>
        </div>
      </div>

      {timeline ? (
        <div className="trace-split">
          <div className="trace-split-waterfall">
            {summary.value ? (
              <Waterfall anatomy={summary.value} selectedSeq={selectedSeq} onSelect={openSpan} onShowInTable={(seq) => onModeChange('events', seq)} />
            ) : summary.state === 'error' ? (
              <ErrorNote title="Could not read this run's spans" message={summary.error} onRetry={reloadSummary} />
            ) : (
              <Loading label="Reading the run's spans…" />
            )}
          </div>
          <div className="trace-split-table">{table(true)}</div>
        </div>
      ) : (
        table(false)
      )}
    </section>
  );
}

/** Ids alone are hard to tell apart: each run is also named by when it started. */
const runLabel = (run: RunSummary) => `${formatDateTime(run.first_created_at)} · ${run.run_id}`;

interface RunPickerProps {
  runs: RunSummary[];
  runId: string;
  onRunChange: (runId: string) => void;
}

/** Every run of the thread, the open one chosen; rendered again only when they change, not with each event selected. */
const RunPicker = memo(function RunPicker({ runs, runId, onRunChange }: RunPickerProps) {
  const shown = useGrowingCount(runs.length, PICKER_STEP);
  const options = useMemo(
    () =>
      runs.slice(0, shown).map((run) => (
        <option key={run.run_id} value={run.run_id}>
          {runLabel(run)}
        </option>
      )),
    [runs, shown],
  );
  // The open run is an option from the start: one the slices have not reached yet, or one not among the runs.
  const index = runs.findIndex((run) => run.run_id === runId);
  const open = index < 0 || index >= shown ? <option value={runId}>{index < 0 ? runId : runLabel(runs[index])}</option> : null;
  return (
    <label className="run-picker">
      <span className="muted small">Run</span>
      <select aria-label="Run" value={runId} onChange={(e) => onRunChange(e.target.value)}>
        {index < 0 && open}
        {options}
        {index >= 0 && open}
      </select>
    </label>
  );
});
