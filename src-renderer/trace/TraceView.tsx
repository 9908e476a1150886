// One run: its header (why it ended, what it cost), then either every event,
// virtualized with fixed-height rows, loading the next page near the end
// (useTraceEvents), chips filtering by category and event type (with
// counts), a select by subagent task — or the waterfall of its spans. Times
// are relative to the run start.
import { useVirtualizer } from '@tanstack/react-virtual';
import type { KeyboardEvent } from 'react';
import { useEffect, useMemo, useRef } from 'react';
import type { RunSummary } from '../../src-shared/types.ts';
import type { TraceMode } from '../app/selection.ts';
import { formatDateTime, plural } from '../common/format.ts';
import { Empty, ErrorNote, Loading } from '../common/States.tsx';
import { SeqForm } from '../common/SeqForm.tsx';
import { JumpNote } from './JumpNote.tsx';
import { RunHeader } from './RunHeader.tsx';
import type { TraceFilter } from './trace-filter.ts';
import { noFilter } from './trace-filter.ts';
import { runStartMs } from './trace-rows.ts';
import { traceStatus } from './trace-status.ts';
import { TraceRow } from './TraceRow.tsx';
import { TraceFilters } from './TraceFilters.tsx';
import { useTraceEvents } from './use-trace-events.ts';
import { useRunSummary } from './waterfall/use-run-summary.ts';
import { Waterfall } from './waterfall/Waterfall.tsx';

const ROW_HEIGHT = 30;
const EDGE_PX = 600;

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
  // The hidden table does not page through the run to each span the timeline opens: it reaches the event once shown.
  const { counts, typeCategory, events, hasMore, list, loadMore, retry, jump, matching, total, taskLabels } = useTraceEvents(threadId, runId, filter, timeline ? null : selectedSeq, run);
  const [summary, reloadSummary] = useRunSummary(threadId, runId);
  const scrollRef = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count: events.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => events[index].seq,
    overscan: 12,
  });

  const checkEdge = () => {
    const el = scrollRef.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < EDGE_PX) loadMore();
  };
  useEffect(checkEdge);

  const selectedIndex = jump.state === 'found' ? jump.index : -1;
  // An event selected elsewhere ("Show in trace", the seq box, the keyboard) is brought into view once loaded.
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);
  const onListKeyDown = (event: KeyboardEvent) => {
    const step: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 };
    if (!(event.key in step) || events.length === 0) return;
    event.preventDefault();
    const index = Math.min(events.length - 1, Math.max(0, (selectedIndex < 0 ? -1 : selectedIndex) + step[event.key]));
    onSelect(events[index].seq, 'keyboard');
  };

  const runStart = useMemo(() => runStartMs(run?.first_created_at, events), [run?.first_created_at, events]);
  const filtered = filter.categories.length + filter.eventTypes.length > 0 || filter.taskId !== null;
  const goToSeq = (seq: number) => onSelect(seq, 'pointer');

  return (
    <section className="trace" aria-label={`Trace of run ${runId}`}>
      <div className="toolbar" role="toolbar" aria-label="Trace controls">
        <label className="run-picker">
          <span className="muted small">Run</span>
          <select aria-label="Run" value={runId} onChange={(e) => onRunChange(e.target.value)}>
            {!run && <option value={runId}>{runId}</option>}
            {/* ids alone are hard to tell apart: each run is also named by when it started */}
            {runs.map((r) => (
              <option key={r.run_id} value={r.run_id}>
                {formatDateTime(r.first_created_at)} · {r.run_id}
              </option>
            ))}
          </select>
        </label>
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
        <div className="trace-body">
          {summary.value ? (
            <Waterfall anatomy={summary.value} selectedSeq={selectedSeq} onSelect={goToSeq} onShowInTable={(seq) => onModeChange('events', seq)} />
          ) : summary.state === 'error' ? (
            <ErrorNote title="Could not read this run's spans" message={summary.error} onRetry={reloadSummary} />
          ) : (
            <Loading label="Reading the run's spans…" />
          )}
        </div>
      ) : (
        <>
          <TraceFilters counts={counts} taskLabels={taskLabels} filter={filter} typeCategory={typeCategory} onChange={onFilterChange} />
          <div className="trace-body">
            {jump.state === 'absent' && list.state === 'ready' && selectedSeq !== null && (
              <JumpNote
                key={selectedSeq}
                threadId={threadId}
                runId={runId}
                seq={selectedSeq}
                filtered={filtered}
                onOpenRun={onRunChange}
                onClearFilters={() => onFilterChange(noFilter)}
              />
            )}
            {list.state === 'loading' && events.length === 0 && <Loading label="Loading events…" />}
            {list.state === 'error' && <ErrorNote title="Could not load this run's events" message={list.error} onRetry={retry} />}
            {list.state === 'ready' && events.length === 0 && (
              <Empty title={filtered ? 'No event matches these filters' : 'This run has no events'}>
                {filtered && (
                  <button type="button" onClick={() => onFilterChange(noFilter)}>
                    Clear filters
                  </button>
                )}
              </Empty>
            )}
            {events.length > 0 && (
              <div
                ref={scrollRef}
                className="trace-list"
                role="listbox"
                aria-label="Events"
                tabIndex={0}
                data-state={list.state}
                data-count={events.length}
                aria-activedescendant={selectedIndex >= 0 ? `trace-event-${events[selectedIndex].seq}` : undefined}
                onKeyDown={onListKeyDown}
                onScroll={checkEdge}
              >
                <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
                  {virtualizer.getVirtualItems().map((item) => (
                    <TraceRow
                      key={item.key}
                      event={events[item.index]}
                      previous={events[item.index - 1]}
                      runStartMs={runStart}
                      selected={events[item.index].seq === selectedSeq}
                      top={item.start}
                      height={ROW_HEIGHT}
                      taskLabel={taskLabels.get(String(events[item.index].metadata.task_id))}
                      onSelect={(seq) => onSelect(seq, 'pointer')}
                    />
                  ))}
                </div>
              </div>
            )}
          </div>
          <div className="trace-status muted small" aria-live="polite">
            {jump.state === 'reaching' && selectedSeq !== null
              ? `Loading up to #${selectedSeq}… ${plural(events.length, 'event')} loaded`
              : list.state === 'ready' && traceStatus({ loaded: events.length, hasMore, filtered, matching, total })}
          </div>
        </>
      )}
    </section>
  );
}
