// Every event of one run, virtualized with fixed-height rows and paged
// forward by afterSeq; chips filter by category and event type (with
// counts), a select by subagent task. Times are relative to the run start.
import { useVirtualizer } from '@tanstack/react-virtual';
import type { KeyboardEvent, ReactNode } from 'react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EventCounts, RunEvent, RunSummary } from '../../src-shared/types.ts';
import { instantMs } from '../../src-shared/time.ts';
import { api } from '../api.ts';
import { errorMessage } from '../common/error-message.ts';
import { formatCount, formatDateTime, formatDuration, plural } from '../common/format.ts';
import type { Load } from '../common/hooks.ts';
import { useLoad, useStoreChanged } from '../common/hooks.ts';
import { Empty, ErrorNote, Loading } from '../common/States.tsx';
import { RunStatus } from '../runs/RunStatus.tsx';
import { categoryClass } from './categories.ts';
import type { TraceFilter } from './trace-filter.ts';
import { contentPreview, noFilter, queryTypes, toggle, unmappedTypes } from './trace-filter.ts';

const PAGE = 500;
const ROW_HEIGHT = 30;
const EDGE_PX = 600;

interface TraceViewProps {
  threadId: string;
  runs: RunSummary[];
  runId: string;
  selectedSeq: number | null;
  readOnly: boolean;
  onRunChange: (runId: string) => void;
  onSelect: (seq: number) => void;
  onDeleteRun: (run: RunSummary) => void;
  onExportRun: (runId: string) => void;
}

type ListState = { state: 'loading' } | { state: 'ready' } | { state: 'error'; error: string };

export function TraceView({ threadId, runs, runId, selectedSeq, readOnly, onRunChange, onSelect, onDeleteRun, onExportRun }: TraceViewProps) {
  const run = runs.find((r) => r.run_id === runId);
  const [counts, reloadCounts] = useLoad(() => api.eventCounts({ threadId, runId }), `${threadId}\n${runId}`);
  const [filter, setFilter] = useState<TraceFilter>(noFilter);
  const [typeCategory, setTypeCategory] = useState<ReadonlyMap<string, string>>(new Map());
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [list, setList] = useState<ListState>({ state: 'loading' });
  const [reloadTick, setReloadTick] = useState(0);
  const generation = useRef(0);
  const busy = useRef(false);
  const scrollRef = useRef<HTMLDivElement>(null);

  const allTypes = useMemo(() => Object.keys(counts.value?.by_event_type ?? {}), [counts.value]);
  const learn = useCallback((batch: RunEvent[]) => {
    setTypeCategory((known) => {
      const fresh = batch.filter((e) => known.get(e.event_type) !== e.category);
      if (fresh.length === 0) return known;
      const next = new Map(known);
      for (const e of fresh) next.set(e.event_type, e.category);
      return next;
    });
  }, []);

  // A category filter needs the category of every type; probe the ones no loaded event showed yet.
  const missing = filter.categories.length > 0 ? unmappedTypes(allTypes, typeCategory) : [];
  const probing = missing.length > 0;
  useEffect(() => {
    if (!probing) return;
    let current = true;
    Promise.all(missing.map((type) => api.listEvents({ threadId, runId, eventTypes: [type], limit: 1 }))).then(
      (found) => {
        if (!current) return;
        learn(found.flat());
        // a type with no event left (deleted meanwhile) maps to nothing
        setTypeCategory((known) => new Map([...missing.map((t): [string, string] => [t, '']), ...known]));
      },
      (error: unknown) => current && setList({ state: 'error', error: errorMessage(error) }),
    );
    return () => {
      current = false;
    };
  }, [probing, missing.join('\n'), threadId, runId, learn]);

  const types = probing ? undefined : queryTypes(filter, typeCategory, allTypes);
  const queryKey = `${threadId}\n${runId}\n${probing}\n${JSON.stringify(types)}\n${filter.taskId}\n${reloadTick}`;

  const fetchPage = useCallback(
    (afterSeq: number) =>
      api.listEvents({
        threadId,
        runId,
        afterSeq,
        limit: PAGE,
        ...(Array.isArray(types) ? { eventTypes: types } : {}),
        ...(filter.taskId ? { taskId: filter.taskId } : {}),
      }),
    // queryKey names everything the request depends on
    [queryKey],
  );

  useEffect(() => {
    const gen = ++generation.current;
    setList({ state: 'loading' });
    if (probing) return;
    if (types === 'none') {
      setEvents([]);
      setHasMore(false);
      setList({ state: 'ready' });
      return;
    }
    busy.current = true;
    fetchPage(0).then(
      (page) => {
        if (gen !== generation.current) return;
        learn(page);
        setEvents(page);
        setHasMore(page.length >= PAGE);
        setList({ state: 'ready' });
        busy.current = false;
      },
      (error: unknown) => {
        if (gen !== generation.current) return;
        setList({ state: 'error', error: errorMessage(error) });
        busy.current = false;
      },
    );
  }, [fetchPage]);

  const loadMore = () => {
    const last = events[events.length - 1];
    if (!hasMore || busy.current || !last || list.state !== 'ready') return;
    const gen = generation.current;
    busy.current = true;
    fetchPage(last.seq).then(
      (page) => {
        if (gen !== generation.current) return;
        learn(page);
        setEvents((current) => [...current, ...page.filter((e) => e.seq > last.seq)]);
        setHasMore(page.length >= PAGE);
        busy.current = false;
      },
      (error: unknown) => {
        if (gen !== generation.current) return;
        setList({ state: 'error', error: errorMessage(error) });
        busy.current = false;
      },
    );
  };

  useStoreChanged(() => {
    reloadCounts();
    setReloadTick((n) => n + 1);
  }, threadId);

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

  const selectedIndex = events.findIndex((e) => e.seq === selectedSeq);
  // An event selected elsewhere ("Show in trace", the keyboard) is brought into view.
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);
  const onListKeyDown = (event: KeyboardEvent) => {
    const step: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 };
    if (!(event.key in step) || events.length === 0) return;
    event.preventDefault();
    const index = Math.min(events.length - 1, Math.max(0, (selectedIndex < 0 ? -1 : selectedIndex) + step[event.key]));
    onSelect(events[index].seq);
  };

  const runStart = run?.first_created_at ? instantMs(run.first_created_at) : events[0] ? instantMs(events[0].created_at) : Number.NaN;
  const filtered = filter.categories.length + filter.eventTypes.length > 0 || filter.taskId !== null;

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
        {run && <RunStatus status={run.status} />}
        {run && <span className="muted small">{plural(run.event_count, 'event')}</span>}
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

      <Filters counts={counts} filter={filter} typeCategory={typeCategory} onChange={setFilter} />

      <div className="trace-body">
        {list.state === 'loading' && events.length === 0 && <Loading label="Loading events…" />}
        {list.state === 'error' && <ErrorNote title="Could not load this run's events" message={list.error} onRetry={() => setReloadTick((n) => n + 1)} />}
        {list.state === 'ready' && events.length === 0 && (
          <Empty title={filtered ? 'No event matches these filters' : 'This run has no events'}>
            {filtered && (
              <button type="button" onClick={() => setFilter(noFilter)}>
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
              {virtualizer.getVirtualItems().map((item) => {
                const event = events[item.index];
                const previous = events[item.index - 1];
                const at = instantMs(event.created_at);
                return (
                  <div
                    key={item.key}
                    id={`trace-event-${event.seq}`}
                    role="option"
                    aria-selected={event.seq === selectedSeq}
                    data-seq={event.seq}
                    data-category={event.category}
                    className={`trace-row ${categoryClass(event.category)}${event.seq === selectedSeq ? ' selected' : ''}`}
                    style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                    onClick={() => onSelect(event.seq)}
                  >
                    <span className="trace-seq">#{event.seq}</span>
                    <span className="trace-time" title={event.created_at}>
                      +{formatDuration(at - runStart)}
                    </span>
                    <span className="trace-gap">{previous ? `Δ ${formatDuration(at - instantMs(previous.created_at))}` : ''}</span>
                    <span className="cat-chip">{event.category}</span>
                    <span className="trace-type">{event.event_type}</span>
                    <span className="trace-preview">
                      {typeof event.metadata.task_id === 'string' && <span className="task-tag">{event.metadata.task_id}</span>}
                      {contentPreview(event.content)}
                    </span>
                  </div>
                );
              })}
            </div>
          </div>
        )}
      </div>
      <div className="trace-status muted small" aria-live="polite">
        {events.length > 0 && `${plural(events.length, 'event')} loaded${hasMore ? ' · scroll for more' : ''}`}
      </div>
    </section>
  );
}

interface FiltersProps {
  counts: Load<EventCounts>;
  filter: TraceFilter;
  typeCategory: ReadonlyMap<string, string>;
  onChange: (filter: TraceFilter) => void;
}

function Filters({ counts, filter, typeCategory, onChange }: FiltersProps) {
  if (!counts.value) return counts.state === 'error' ? <p className="inline-error">Counts unavailable: {counts.error}</p> : null;
  const byCategory = Object.entries(counts.value.by_category).sort((a, b) => b[1] - a[1]);
  const byType = Object.entries(counts.value.by_event_type).sort((a, b) => a[0].localeCompare(b[0]));
  const tasks = Object.entries(counts.value.by_task_id).sort((a, b) => a[0].localeCompare(b[0]));
  return (
    <div className="filters">
      <ChipRow
        label="Category"
        groupLabel="Filter by category"
        entries={byCategory}
        selected={filter.categories}
        chipClass={categoryClass}
        onToggle={(category) => onChange({ ...filter, categories: toggle(filter.categories, category) })}
      />
      <ChipRow
        label="Type"
        groupLabel="Filter by event type"
        entries={byType}
        selected={filter.eventTypes}
        chipClass={(type) => `chip-type ${typeCategory.get(type) ? categoryClass(typeCategory.get(type) as string) : ''}`}
        onToggle={(type) => onChange({ ...filter, eventTypes: toggle(filter.eventTypes, type) })}
      >
        {tasks.length > 0 && (
          <label className="task-filter">
            <span className="chip-row-label">Task</span>
            <select aria-label="Subagent task" value={filter.taskId ?? ''} onChange={(e) => onChange({ ...filter, taskId: e.target.value || null })}>
              <option value="">All tasks</option>
              {tasks.map(([task, n]) => (
                <option key={task} value={task}>
                  {task} ({formatCount(n)})
                </option>
              ))}
            </select>
          </label>
        )}
        {(filter.categories.length > 0 || filter.eventTypes.length > 0 || filter.taskId) && (
          <button type="button" className="link-button" onClick={() => onChange(noFilter)}>
            Clear filters
          </button>
        )}
      </ChipRow>
    </div>
  );
}

interface ChipRowProps {
  /** Shown before the chips. */
  label: string;
  groupLabel: string;
  entries: [string, number][];
  selected: readonly string[];
  chipClass: (key: string) => string;
  onToggle: (key: string) => void;
  /** More controls at the end of the row. */
  children?: ReactNode;
}

/** A row of toggle chips, one a value with its count. */
function ChipRow({ label, groupLabel, entries, selected, chipClass, onToggle, children }: ChipRowProps) {
  return (
    <div className="chip-row" role="group" aria-label={groupLabel}>
      <span className="chip-row-label">{label}</span>
      {entries.map(([key, n]) => (
        <button key={key} type="button" className={`chip ${chipClass(key)}`} aria-pressed={selected.includes(key)} onClick={() => onToggle(key)}>
          {key} <span className="chip-count">{formatCount(n)}</span>
        </button>
      ))}
      {children}
    </div>
  );
}
