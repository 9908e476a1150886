// The top bar's search: the field (Ctrl+K / Ctrl+Shift+F, ⌘ on macOS), the
// "In this thread" / "In this run" scope chips, ▲▼ (F3 / Shift+F3) through
// the hits, and under it the filters and the virtualized hits, loaded page by
// page as the list scrolls. A hit opens its thread at the event.
import { useVirtualizer } from '@tanstack/react-virtual';
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { parseQuery } from '../../src-shared/search-query.ts';
import type { SearchHit, ThreadSummary } from '../../src-shared/types.ts';
import { api } from '../api.ts';
import type { Select, Selection } from '../app/selection.ts';
import { formatCount } from '../common/format.ts';
import { useLoad } from '../common/hooks.ts';
import { KNOWN_CATEGORIES } from '../trace/categories.ts';
import { type FilterValues, isNarrowed, noSearchFilters, offeredCategories } from './filters.ts';
import { hitKey, type SearchRequest } from './hit-stream.ts';
import { HIT_ROW_HEIGHT, HitRow, hitOptionId } from './HitRow.tsx';
import { hitSelection, stepThroughHits } from './hit-steps.ts';
import { SearchFilters } from './SearchFilters.tsx';
import { IndexProgress, ResultsStatus } from './SearchStatus.tsx';
import { TYPING_DEBOUNCE_MS, useDebounced, useSearch } from './use-search.ts';
import { useItemKey } from '../common/item-key.ts';

/** Kept as the chip pinned it: opening a hit elsewhere in the run (its messages) keeps searching that run. */
type Scope = { kind: 'all' } | { kind: 'thread'; threadId: string } | { kind: 'run'; threadId: string; runId: string };

const RESULTS_ID = 'search-results';
/** Rows from the end of what is loaded at which the next page is asked for. */
const LOAD_AHEAD_ROWS = 10;

interface SearchBarProps {
  threads: readonly ThreadSummary[];
  selection: Selection;
  /** The run the open trace shows; null when no trace is open. */
  traceRunId: string | null;
  select: Select;
  /** False while a dialog is open: its keys are its own. */
  keysEnabled: boolean;
}

/** Ctrl+K or Ctrl+Shift+F (⌘ on macOS) focuses the field. */
const isFocusKey = (event: KeyboardEvent) =>
  (event.ctrlKey || event.metaKey) && !event.altKey && ((event.key.toLowerCase() === 'k' && !event.shiftKey) || (event.key.toLowerCase() === 'f' && event.shiftKey));

export function SearchBar({ threads, selection, traceRunId, select, keysEnabled }: SearchBarProps) {
  const [text, setText] = useState('');
  const [scope, setScope] = useState<Scope>({ kind: 'all' });
  const [filters, setFilters] = useState<FilterValues>(noSearchFilters);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [current, setCurrent] = useState<number | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const containerRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);

  // Leaving the scoped thread (not by a hit: a scoped search only finds hits in it) widens the search again.
  if (scope.kind !== 'all' && scope.threadId !== selection.threadId) setScope({ kind: 'all' });

  const hasTerms = parseQuery(text).length > 0;
  const { categories, eventTypes, errorsOnly } = filters;
  const scopeThread = scope.kind === 'all' ? undefined : scope.threadId;
  const scopeRun = scope.kind === 'run' ? scope.runId : undefined;
  const typed = useMemo<SearchRequest | null>(
    () => (hasTerms ? { query: text, threadId: scopeThread, runId: scopeRun, categories, eventTypes, errorsOnly } : null),
    [hasTerms, text, scopeThread, scopeRun, categories, eventTypes, errorsOnly],
  );
  const request = useDebounced(typed, TYPING_DEBOUNCE_MS);
  const { results, index, loadMore } = useSearch(typed ? request : null);
  const { hits, done } = results;

  // New hits: the cursor and F3 start again from the top.
  useEffect(() => {
    setActive(0);
    setCurrent(null);
  }, [results.request]);

  const threadMap = useMemo(() => new Map(threads.map((t) => [t.thread_id, t])), [threads]);
  const scopeThreadName = (threadId: string | undefined) => {
    const thread = threadId ? threadMap.get(threadId) : undefined;
    return thread?.display_name || null;
  };

  const openHit = useCallback(
    (hit: SearchHit, at: number) => {
      setCurrent(at);
      setActive(at);
      setOpen(false);
      select(hitSelection(hit));
    },
    [select],
  );
  const onOpenIndex = useCallback((at: number) => hits[at] && openHit(hits[at], at), [hits, openHit]);

  const step = useCallback(
    async (direction: 1 | -1) => {
      const next = await stepThroughHits(current, direction, { hits, done }, loadMore);
      if (next) openHit(next.hit, next.index);
    },
    [current, hits, done, loadMore, openHit],
  );

  const close = useCallback(() => {
    setOpen(false);
    const back = returnFocus.current;
    if (back?.isConnected) back.focus();
    else inputRef.current?.blur();
  }, []);

  useEffect(() => {
    if (!keysEnabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (isFocusKey(event)) {
        event.preventDefault();
        inputRef.current?.focus();
        inputRef.current?.select();
        if (hasTerms) setOpen(true);
      } else if (event.key === 'F3' && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        void step(event.shiftKey ? -1 : 1);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [keysEnabled, hasTerms, step]);

  // A press anywhere else closes the results (the filters and the list are inside).
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!containerRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const virtualizer = useVirtualizer({
    count: hits.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => HIT_ROW_HEIGHT,
    getItemKey: useItemKey(hits, hitKey),
    overscan: 6,
  });
  const items = virtualizer.getVirtualItems();
  const lastShown = items[items.length - 1]?.index ?? -1;
  useEffect(() => {
    if (open && !done && !results.loadingMore && results.error === null && lastShown >= hits.length - LOAD_AHEAD_ROWS) void loadMore();
  }, [open, done, results.loadingMore, results.error, lastShown, hits.length, loadMore]);
  useEffect(() => {
    if (open && active < hits.length) virtualizer.scrollToIndex(active, { align: 'auto' });
  }, [open, active, hits.length, virtualizer]);

  const onInputKeyDown = (event: ReactKeyboardEvent<HTMLInputElement>) => {
    const moves: Record<string, number> = { ArrowDown: active + 1, ArrowUp: active - 1, PageDown: active + 8, PageUp: active - 8 };
    if (event.key in moves) {
      event.preventDefault();
      if (!open) return setOpen(hasTerms);
      setActive(Math.max(0, Math.min(hits.length - 1, moves[event.key])));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      onOpenIndex(active);
    } else if (event.key === 'Escape') {
      // Ours, not the app's (which would close the event detail).
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  };

  const seenTypes = useMemo(() => [...new Set(hits.map((hit) => hit.event_type))].sort(), [hits]);
  // Store-wide the categories are known only as far as the hits go; the open thread's are counted (once the list opens).
  const countsThread = open ? (selection.threadId ?? '') : '';
  const [threadCounts] = useLoad(() => (countsThread ? api.eventCounts({ threadId: countsThread }) : Promise.resolve(null)), countsThread);
  const offered = useMemo(
    () => offeredCategories(KNOWN_CATEGORIES, Object.keys(threadCounts.value?.by_category ?? {}), hits.map((hit) => hit.category), categories),
    [threadCounts.value, hits, categories],
  );
  const runChip = traceRunId ?? (scope.kind === 'run' ? scope.runId : null);
  const position = current === null ? '' : `${formatCount(current + 1)} / ${formatCount(hits.length)}${done ? '' : '+'}`;

  return (
    <div className="search" ref={containerRef}>
      <div className="search-bar">
        <input
          ref={inputRef}
          type="search"
          role="combobox"
          className="search-input"
          placeholder="Search events   Ctrl+K"
          aria-label="Search events"
          aria-expanded={open}
          aria-controls={RESULTS_ID}
          aria-autocomplete="list"
          aria-activedescendant={open && hits[active] ? hitOptionId(active) : undefined}
          autoComplete="off"
          spellCheck={false}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setOpen(true);
          }}
          onFocus={(event) => {
            if (event.relatedTarget instanceof HTMLElement && !containerRef.current?.contains(event.relatedTarget)) returnFocus.current = event.relatedTarget;
            if (hasTerms) setOpen(true);
          }}
          onKeyDown={onInputKeyDown}
        />
        {selection.threadId && (
          <button
            type="button"
            className="chip search-scope"
            aria-pressed={scope.kind === 'thread'}
            title="Search only the open thread"
            onClick={() => setScope(scope.kind === 'thread' ? { kind: 'all' } : { kind: 'thread', threadId: selection.threadId as string })}
          >
            In this thread
          </button>
        )}
        {selection.threadId && runChip && (
          <button
            type="button"
            className="chip search-scope"
            aria-pressed={scope.kind === 'run'}
            title={`Search only run ${runChip}`}
            onClick={() => setScope(scope.kind === 'run' ? { kind: 'all' } : { kind: 'run', threadId: selection.threadId as string, runId: runChip })}
          >
            In this run
          </button>
        )}
        {isNarrowed(filters) && (
          <span className="flag search-filtered" title="Filters apply to the hits: the field’s list shows them">
            {filters.errorsOnly ? 'errors only' : 'filtered'}
          </span>
        )}
        <IndexProgress index={index} />
        <div className="search-steps" role="group" aria-label="Hits">
          <button type="button" className="icon-button" aria-label="Previous hit" title="Previous hit (Shift+F3)" disabled={hits.length === 0} onClick={() => void step(-1)}>
            ▲
          </button>
          <button type="button" className="icon-button" aria-label="Next hit" title="Next hit (F3)" disabled={hits.length === 0 && done} onClick={() => void step(1)}>
            ▼
          </button>
          <span className="search-position muted small" aria-label="Hit position">
            {position}
          </span>
        </div>
      </div>
      {open && hasTerms && (
        <div className="search-popover">
          <SearchFilters filters={filters} categories={offered} seenTypes={seenTypes} onChange={setFilters} />
          <ResultsStatus results={results} index={index} threadName={scopeThreadName(results.request?.threadId)} />
          <div
            ref={listRef}
            id={RESULTS_ID}
            className="search-results"
            role="listbox"
            aria-label="Search results"
            data-state={results.state}
            data-query={results.request?.query ?? ''}
            data-count={hits.length}
            data-done={done}
          >
            {hits.length > 0 && (
              <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
                {items.map((item) => (
                  <HitRow
                    key={item.key}
                    hit={hits[item.index]}
                    index={item.index}
                    thread={threadMap.get(hits[item.index].thread_id)}
                    terms={results.terms}
                    active={item.index === active}
                    current={item.index === current}
                    top={item.start}
                    onOpen={onOpenIndex}
                  />
                ))}
              </div>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
