// The left pane: every thread, newest activity first, virtualized with fixed
// row heights. ↑/↓ or j/k move the cursor, Enter opens, "/" jumps to the filter.
// While the source is first read (a JSONL folder) a progress bar says how far,
// and the list grows as threads arrive, keeping the rows in view in place.
import { useVirtualizer } from '@tanstack/react-virtual';
import type { KeyboardEvent, RefObject } from 'react';
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { SourceIndexing } from '../../src-shared/contract.ts';
import type { ThreadSummary } from '../../src-shared/types.ts';
import { formatAgo, formatCount, formatDateTime, plural } from '../common/format.ts';
import type { Load } from '../common/hooks.ts';
import { useNow } from '../common/hooks.ts';
import { Empty, ErrorNote, Loading } from '../common/States.tsx';
import { LiveBadge } from '../live/LiveBadge.tsx';
import { NO_EVENTS_HINT, threadMark } from './thread-marks.ts';
import { byLatestActivity } from './thread-order.ts';
import { useReadFirst, useSourceIndexing } from './source-indexing.ts';
import { searchableText, useThreadTitle, useTitlesVersion } from './thread-titles.ts';
import { useItemKey } from '../common/item-key.ts';

const ROW_HEIGHT = 60;
const PAGE_STEP = 10;

interface ThreadListProps {
  threads: Load<ThreadSummary[]>;
  selectedId: string | null;
  onOpen: (threadId: string) => void;
  /** Lists the threads again: after an error, and each time the source's first read brings more. */
  onRetry: () => void;
  filterRef: RefObject<HTMLInputElement | null>;
}

const threadIdOf = (thread: { thread_id: string }) => thread.thread_id;

export function ThreadList({ threads, selectedId, onOpen, onRetry, filterRef }: ThreadListProps) {
  const [filter, setFilter] = useState('');
  const titlesVersion = useTitlesVersion();
  const now = useNow();
  const listRef = useRef<HTMLDivElement>(null);

  const indexing = useSourceIndexing(onRetry);
  const sorted = useMemo(() => byLatestActivity(threads.value ?? []), [threads.value]);
  const visible = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return needle ? sorted.filter((t) => searchableText(t).includes(needle)) : sorted;
    // titlesVersion: a title arriving can make a thread match
  }, [sorted, filter, titlesVersion]);

  const [activeId, setActiveId] = useState<string | null>(selectedId);
  useEffect(() => setActiveId(selectedId), [selectedId]);
  const activeIndex = Math.max(
    0,
    visible.findIndex((t) => t.thread_id === activeId),
  );

  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: useItemKey(visible, threadIdOf),
    overscan: 8,
  });

  // Threads arriving while the source is read land anywhere in the order: the row at the top of the view stays
  // there (unless the view is at the very top, where the newest threads show as they come).
  const anchor = useRef<{ threadId: string; offset: number } | null>(null);
  const onScroll = () => {
    const top = listRef.current?.scrollTop ?? 0;
    const index = Math.floor(top / ROW_HEIGHT);
    anchor.current = top > 0 && visible[index] ? { threadId: visible[index].thread_id, offset: top - index * ROW_HEIGHT } : null;
  };
  useLayoutEffect(() => {
    const list = listRef.current;
    const kept = anchor.current;
    if (!list || !kept) return;
    const index = visible.findIndex((t) => t.thread_id === kept.threadId);
    if (index >= 0) list.scrollTop = index * ROW_HEIGHT + kept.offset;
  }, [visible]);

  // The open thread is brought into view when it is set from outside the list (a reload, the URL, a pushed
  // change) — once per thread, so filtering or scrolling away afterwards is left alone.
  const revealed = useRef<string | null>(null);
  useEffect(() => {
    if (!selectedId || revealed.current === selectedId) return;
    const index = visible.findIndex((t) => t.thread_id === selectedId);
    if (index < 0) return;
    revealed.current = selectedId;
    // A row clicked is in view already, by what the list knows (no layout read): scrolling to it would make the
    // browser lay out the thread just opened to learn nothing (~15 ms of the click's task on a big thread).
    const row = virtualizer.measurementsCache[index];
    const top = virtualizer.scrollOffset ?? 0;
    const inView = row !== undefined && row.start >= top && row.end <= top + (virtualizer.scrollRect?.height ?? 0);
    if (!inView) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [selectedId, visible, virtualizer]);

  const moveTo = (index: number) => {
    if (visible.length === 0) return;
    const clamped = Math.min(visible.length - 1, Math.max(0, index));
    setActiveId(visible[clamped].thread_id);
    virtualizer.scrollToIndex(clamped, { align: 'auto' });
  };

  const onListKeyDown = (event: KeyboardEvent) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const moves: Record<string, number> = {
      ArrowDown: activeIndex + 1,
      j: activeIndex + 1,
      ArrowUp: activeIndex - 1,
      k: activeIndex - 1,
      PageDown: activeIndex + PAGE_STEP,
      PageUp: activeIndex - PAGE_STEP,
      Home: 0,
      End: visible.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      moveTo(moves[event.key]);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      const thread = visible[activeIndex];
      if (thread) onOpen(thread.thread_id);
    }
  };

  const state = threads.state === 'error' && !threads.value ? 'error' : threads.value ? 'ready' : 'loading';
  const total = threads.value?.length ?? 0;
  const reading = indexing !== null && !indexing.ready;
  useReadFirst(selectedId, selectedId === null || sorted.some((t) => t.thread_id === selectedId), reading && state === 'ready', onRetry);

  // The keys work from the start: the list takes the focus once it is there, unless the viewer already went elsewhere.
  const focusedOnLoad = useRef(false);
  useEffect(() => {
    if (state !== 'ready' || focusedOnLoad.current) return;
    focusedOnLoad.current = true;
    if (document.activeElement === null || document.activeElement === document.body) listRef.current?.focus({ preventScroll: true });
  }, [state]);

  return (
    <nav className="threads-pane" aria-label="Threads">
      <div className="pane-header">
        <div className="pane-title-row">
          <h2 className="pane-title">
            Threads <span className="count-badge">{total}</span>
          </h2>
          <span className="pane-hint muted small" title="Threads with the newest events come first; threads without events last">
            latest activity first
          </span>
        </div>
        <input
          ref={filterRef}
          type="search"
          className="filter-input"
          placeholder="Filter threads   /"
          aria-label="Filter threads"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown') {
              event.preventDefault();
              listRef.current?.focus();
            } else if (event.key === 'Enter' && visible[activeIndex]) {
              onOpen(visible[activeIndex].thread_id);
            } else if (event.key === 'Escape' && filter) {
              event.stopPropagation();
              setFilter('');
            }
          }}
        />
        {reading && <IndexingProgress indexing={indexing} />}
      </div>
      <div
        ref={listRef}
        className="thread-list"
        role="listbox"
        aria-label="Thread list"
        tabIndex={0}
        data-state={state}
        data-count={visible.length}
        aria-activedescendant={visible[activeIndex] ? optionId(activeIndex) : undefined}
        aria-busy={reading}
        onKeyDown={onListKeyDown}
        onScroll={onScroll}
      >
        {state === 'loading' && <Loading label="Loading threads…" />}
        {state === 'error' && threads.state === 'error' && <ErrorNote title="Could not list the threads" message={threads.error} onRetry={onRetry} />}
        {state === 'ready' && visible.length === 0 && !reading && (
          <Empty title={total === 0 ? 'No threads yet' : 'No thread matches the filter'}>
            {total === 0 ? 'Imported runs show up here.' : `Nothing matches “${filter}”.`}
          </Empty>
        )}
        {visible.length > 0 && (
          <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => (
              <ThreadRow
                key={item.key}
                thread={visible[item.index]}
                index={item.index}
                start={item.start}
                active={item.index === activeIndex}
                open={visible[item.index].thread_id === selectedId}
                now={now}
                onOpen={onOpen}
              />
            ))}
          </div>
        )}
      </div>
    </nav>
  );
}

const optionId = (index: number) => `thread-option-${index}`;

/** How far the source's first read is: its run files read of all of them. */
function IndexingProgress({ indexing: { done, total } }: { indexing: SourceIndexing }) {
  const text = `Indexing ${formatCount(done)} of ${formatCount(total)} files…`;
  return (
    <div
      className="thread-indexing"
      role="progressbar"
      aria-label="Reading the source"
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
      aria-valuetext={text}
    >
      <span className="muted small">{text}</span>
      <span className="thread-indexing-bar">
        <span style={{ width: `${total > 0 ? (100 * done) / total : 0}%` }} />
      </span>
    </div>
  );
}

interface ThreadRowProps {
  thread: ThreadSummary;
  index: number;
  start: number;
  active: boolean;
  open: boolean;
  now: number;
  onOpen: (threadId: string) => void;
}

const ThreadRow = memo(function ThreadRow({ thread, index, start, active, open, now, onOpen }: ThreadRowProps) {
  const title = useThreadTitle(thread);
  const mark = threadMark(thread, now);
  return (
    <div
      id={optionId(index)}
      role="option"
      aria-selected={active}
      aria-current={open ? 'true' : undefined}
      data-thread-id={thread.thread_id}
      className={`thread-row${active ? ' active' : ''}${open ? ' open' : ''}${thread.event_count === 0 ? ' empty' : ''}`}
      style={{ height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
      onClick={() => onOpen(thread.thread_id)}
    >
      <div className="thread-title-row">
        <div className={`thread-title${title ? '' : ' untitled'}`} title={title ?? thread.thread_id}>
          {title ?? thread.thread_id}
        </div>
        {mark?.kind === 'running' && <LiveBadge className="thread-mark" hint={mark.hint} />}
        {mark?.kind === 'failed' && (
          <span className="thread-mark thread-mark-failed" title={mark.hint}>
            {mark.label}
          </span>
        )}
      </div>
      <div className="thread-meta">
        {thread.event_count === 0 ? (
          <span className="thread-no-events" title={NO_EVENTS_HINT}>
            no events · from the thread list
          </span>
        ) : (
          <>
            <span>{plural(thread.message_count, 'msg')}</span>
            <span>{plural(thread.run_count, 'run')}</span>
          </>
        )}
        <span className="thread-ago" title={formatDateTime(thread.last_created_at)}>
          {formatAgo(thread.last_created_at, now)}
        </span>
      </div>
    </div>
  );
});
