// The open thread: header with counts and actions, and its three views —
// the messages timeline, the runs list and a run's trace.
import type { KeyboardEvent, ReactNode } from 'react';
import { useMemo, useState } from 'react';
import type { RunEvent, RunSummary, ThreadSummary } from '../../src-shared/types.ts';
import { formatCount, formatDateTime, plural } from '../common/format.ts';
import type { Load } from '../common/hooks.ts';
import { Empty } from '../common/States.tsx';
import { CompareView } from '../compare/CompareView.tsx';
import type { ComparePair } from '../compare/compare-pair.ts';
import { Timeline } from '../messages/Timeline.tsx';
import { RunsList } from '../runs/RunsList.tsx';
import { useThreadTitle } from '../threads/thread-titles.ts';
import { TraceView } from '../trace/TraceView.tsx';
import { noFilter } from '../trace/trace-filter.ts';
import type { Select, Selection, Tab } from './selection.ts';

interface ThreadViewProps {
  thread: ThreadSummary;
  runs: Load<RunSummary[]>;
  selection: Selection;
  readOnly: boolean;
  select: Select;
  onReloadRuns: () => void;
  onDeleteThread: (title: string | null) => void;
  onDeleteRun: (run: RunSummary) => void;
  onExport: (scope: { threadId: string; runId?: string }) => void;
}

const TAB_LABELS: Record<Tab, string> = { messages: 'Messages', runs: 'Runs', trace: 'Trace', compare: 'Compare' };

export function ThreadView({ thread, runs, selection, readOnly, select, onReloadRuns, onDeleteThread, onDeleteRun, onExport }: ThreadViewProps) {
  const title = useThreadTitle(thread);
  const runList = runs.value ?? [];
  const runMap = useMemo(() => new Map((runs.value ?? []).map((r) => [r.run_id, r])), [runs.value]);
  const traceRunId = shownTraceRun(selection, runList);
  // Filters name the trace's run's types and tasks: another run starts unfiltered.
  const runFilter = (runId: string): Partial<Selection> => (runId === traceRunId ? {} : { runId, traceFilter: noFilter });
  const openTrace = (runId: string) => select({ tab: 'trace', runId, ...runFilter(runId) });
  const counts: Record<Tab, number | null> = { messages: thread.message_count, runs: thread.run_count, trace: null, compare: null };
  // Compare is a tab only while two runs are picked (issue 12).
  const tabs = (Object.keys(TAB_LABELS) as Tab[]).filter((tab) => tab !== 'compare' || selection.compare !== null);
  const openCompare = (compare: ComparePair) => select({ tab: 'compare', compare });
  // The timeline mounts on the first visit to Messages and then stays mounted (hidden under the other tabs), so coming
  // back finds the same loaded window, scroll position and opened rows — nothing is re-fetched or re-measured.
  const [timelineMounted, setTimelineMounted] = useState(selection.tab === 'messages');
  if (selection.tab === 'messages' && !timelineMounted) setTimelineMounted(true);

  const onTabKeyDown = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = tabs[(tabs.indexOf(selection.tab) + step + tabs.length) % tabs.length];
    select({ tab: next });
    document.getElementById(`tab-${next}`)?.focus();
  };

  return (
    <section className="thread-view" aria-label="Thread">
      <header className="thread-header">
        <div className="thread-heading">
          <h1 className="thread-name" title={title ?? thread.thread_id}>
            {title ?? thread.thread_id}
          </h1>
          <div className="thread-facts muted small">
            <code className="mono" title="Thread id">
              {thread.thread_id}
            </code>
            <span>{plural(thread.message_count, 'message')}</span>
            <span>{plural(thread.run_count, 'run')}</span>
            <span>{plural(thread.event_count, 'event')}</span>
            <span title="Last activity">{formatDateTime(thread.last_created_at)}</span>
          </div>
        </div>
        <div className="thread-actions">
          <button type="button" onClick={() => onExport({ threadId: thread.thread_id })}>
            Export thread
          </button>
          <button type="button" className="danger" disabled={readOnly} title={readOnly ? 'This source is read-only' : undefined} onClick={() => onDeleteThread(title)}>
            Delete thread
          </button>
        </div>
      </header>

      <div className="tabs" role="tablist" aria-label="Thread views" onKeyDown={onTabKeyDown}>
        {tabs.map((tab) => (
          <button
            key={tab}
            id={`tab-${tab}`}
            type="button"
            role="tab"
            aria-selected={selection.tab === tab}
            aria-controls={`panel-${tab}`}
            tabIndex={selection.tab === tab ? 0 : -1}
            className="tab"
            onClick={() => select({ tab })}
          >
            {TAB_LABELS[tab]}
            {counts[tab] !== null && <span className="count-badge">{formatCount(counts[tab] as number)}</span>}
            {tab === 'trace' && selection.tab === 'trace' && traceRunId && <span className="tab-run mono">{traceRunId}</span>}
          </button>
        ))}
      </div>

      <div className="tab-panels">
        {timelineMounted && (
          <TabPanel tab="messages" active={selection.tab === 'messages'}>
            <Timeline
              thread={thread}
              runs={runMap}
              detailSeq={selection.eventSeq}
              readOnly={readOnly}
              visibility={selection.visibility}
              onTrace={openTrace}
              onTraceEvent={(event) => select(traceSelection(event))}
              onDetail={(seq) => select({ eventSeq: seq })}
              // A toggle refines the same place: Back leaves the thread, not the last checkbox.
              onVisibilityChange={(visibility) => select({ visibility }, 'replace')}
              onExportRun={(runId) => onExport({ threadId: thread.thread_id, runId })}
              onDeleteRun={onDeleteRun}
            />
          </TabPanel>
        )}
        {selection.tab === 'runs' && (
          <TabPanel tab="runs" active>
            <RunsList
              key={thread.thread_id}
              threadId={thread.thread_id}
              runs={runs}
              readOnly={readOnly}
              onRetry={onReloadRuns}
              onTrace={openTrace}
              onExport={(runId) => onExport({ threadId: thread.thread_id, runId })}
              onDelete={onDeleteRun}
              onCompare={openCompare}
            />
          </TabPanel>
        )}
        {selection.tab === 'compare' && (
          <TabPanel tab="compare" active>
            {selection.compare ? <CompareView pair={selection.compare} /> : <Empty title="Pick two runs in the Runs tab to compare them" />}
          </TabPanel>
        )}
        {selection.tab === 'trace' && (
          <TabPanel tab="trace" active>
            {traceRunId ? (
              <TraceView
                key={traceRunId}
                threadId={thread.thread_id}
                runs={runList}
                runId={traceRunId}
                selectedSeq={selection.eventSeq}
                filter={selection.traceFilter}
                mode={selection.traceMode}
                readOnly={readOnly}
                onRunChange={(runId) => select(runFilter(runId))}
                // Holding ↓ through a long run would bury the previous place under an entry per row: steps replace.
                onSelect={(seq, by) => select({ eventSeq: seq }, by === 'keyboard' ? 'replace' : 'push')}
                // Filters refine the same place (and stay in the URL): Back leaves the trace, not the last chip.
                onFilterChange={(traceFilter) => select({ traceFilter }, 'replace')}
                onModeChange={(traceMode, eventSeq) => select(eventSeq === undefined ? { traceMode } : { traceMode, eventSeq })}
                onDeleteRun={onDeleteRun}
                onExportRun={(runId) => onExport({ threadId: thread.thread_id, runId })}
              />
            ) : (
              <Empty title={runs.value ? 'This thread has no runs' : 'Loading runs…'} />
            )}
          </TabPanel>
        )}
      </div>
    </section>
  );
}

/**
 * An inactive panel keeps its layout (visibility, not display: none), so the
 * virtualizer's measured heights and the scroll offset stay valid while it is
 * out of sight; `inert` keeps focus and clicks out of it.
 */
function TabPanel({ tab, active, children }: { tab: Tab; active: boolean; children: ReactNode }) {
  return (
    <div className={`tab-panel${active ? '' : ' tab-panel-kept'}`} role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} inert={!active}>
      {children}
    </div>
  );
}

/** The run the trace tab shows: the one selected, else the thread's latest. */
export const shownTraceRun = (selection: Selection, runs: readonly RunSummary[]): string | null => selection.runId ?? runs[runs.length - 1]?.run_id ?? null;

/** Where the detail pane's "Show in trace" leads. */
export const traceSelection = (event: RunEvent): Partial<Selection> => ({ tab: 'trace', runId: event.run_id, eventSeq: event.seq, traceFilter: noFilter, traceMode: 'events' });
