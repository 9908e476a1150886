// Every event of one run, virtualized with fixed-height rows, loading the
// next page near the end (useTraceEvents); chips filter by category and event
// type (with counts), a select by subagent task. Shown alone (the trace's
// Events view) or under the waterfall (its Timeline view), where the events of
// the span opened there are marked. Times are relative to the run start.
import { useVirtualizer } from '@tanstack/react-virtual';
import type { KeyboardEvent } from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { RunSummary } from '../../src-shared/types.ts';
import { plural } from '../common/format.ts';
import { Empty, ErrorNote, Loading } from '../common/States.tsx';
import { NewPill } from '../live/NewPill.tsx';
import { JumpNote } from './JumpNote.tsx';
import type { TraceFilter } from './trace-filter.ts';
import { noFilter } from './trace-filter.ts';
import { runStartMs } from './trace-rows.ts';
import { traceStatus } from './trace-status.ts';
import { TraceRow } from './TraceRow.tsx';
import { TraceFilters } from './TraceFilters.tsx';
import { useTraceEvents } from './use-trace-events.ts';

const ROW_HEIGHT = 30;
const EDGE_PX = 600;

interface EventTableProps {
  threadId: string;
  runId: string;
  run: RunSummary | undefined;
  selectedSeq: number | null;
  /** The events of the span the waterfall opened (its first and last), marked beside the selected one. */
  spanSeqs: ReadonlySet<number>;
  filter: TraceFilter;
  /** Under the waterfall: no filter chips (the status line still says when a filter hides events). */
  compact: boolean;
  onRunChange: (runId: string) => void;
  onSelect: (seq: number, by: 'pointer' | 'keyboard') => void;
  onFilterChange: (filter: TraceFilter) => void;
}

export function EventTable({ threadId, runId, run, selectedSeq, spanSeqs, filter, compact, onRunChange, onSelect, onFilterChange }: EventTableProps) {
  const { counts, typeCategory, events, hasMore, list, loadMore, retry, jump, matching, total, taskLabels, arrivals } = useTraceEvents(threadId, runId, filter, selectedSeq, run);
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

  // Events a running run appended: viewed at the end of the list (as it was before them), it follows; elsewhere the pill counts them.
  const [newCount, setNewCount] = useState(0);
  const arrivalsSeen = useRef(arrivals);
  useEffect(() => {
    const added = arrivals - arrivalsSeen.current;
    arrivalsSeen.current = arrivals;
    const el = scrollRef.current;
    if (added <= 0 || !el) return;
    const endBefore = (events.length - added) * ROW_HEIGHT;
    if (el.scrollTop + el.clientHeight >= endBefore - ROW_HEIGHT / 2) virtualizer.scrollToIndex(events.length - 1, { align: 'end' });
    else setNewCount((n) => n + added);
  }, [arrivals, events.length, virtualizer]);
  const showNew = () => {
    setNewCount(0);
    virtualizer.scrollToIndex(events.length - 1, { align: 'end' });
  };
  const onScroll = () => {
    checkEdge();
    const el = scrollRef.current;
    if (newCount > 0 && el && !hasMore && el.scrollHeight - el.scrollTop - el.clientHeight <= ROW_HEIGHT / 2) setNewCount(0);
  };

  const selectedIndex = jump.state === 'found' ? jump.index : -1;
  // An event selected elsewhere ("Show in trace", the seq box, the waterfall, the keyboard) is brought into view once loaded.
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

  return (
    <>
      {!compact && <TraceFilters counts={counts} taskLabels={taskLabels} filter={filter} typeCategory={typeCategory} onChange={onFilterChange} />}
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
            onScroll={onScroll}
          >
            <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
              {virtualizer.getVirtualItems().map((item) => (
                <TraceRow
                  key={item.key}
                  event={events[item.index]}
                  previous={events[item.index - 1]}
                  runStartMs={runStart}
                  selected={events[item.index].seq === selectedSeq}
                  inSpan={spanSeqs.has(events[item.index].seq)}
                  top={item.start}
                  height={ROW_HEIGHT}
                  taskLabel={taskLabels.get(String(events[item.index].metadata.task_id))}
                  onSelect={(seq) => onSelect(seq, 'pointer')}
                />
              ))}
            </div>
          </div>
        )}
        {newCount > 0 && <NewPill count={newCount} noun="event" onClick={showNew} />}
      </div>
      <div className="trace-status muted small" aria-live="polite">
        {jump.state === 'reaching' && selectedSeq !== null
          ? `Loading up to #${selectedSeq}… ${plural(events.length, 'event')} loaded`
          : list.state === 'ready' && traceStatus({ loaded: events.length, hasMore, filtered, matching, total })}
      </div>
    </>
  );
}
