// What is open — thread, tab, run, event — and how it is filtered lives in
// the URL hash, so a reload (or a store refresh) brings the viewer back to
// the same place, and each navigation is a history entry that Back and
// Forward (the browser's, Alt+←/→, the mouse's side buttons) step through.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Visibility } from '../messages/timeline-rows.ts';
import { defaultVisibility } from '../messages/timeline-rows.ts';
import { isTyping } from '../common/typing.ts';
import { formatRunKey, parsePair, type ComparePair } from '../compare/compare-pair.ts';
import type { TraceFilter } from '../trace/trace-filter.ts';
import { noFilter } from '../trace/trace-filter.ts';

export type Tab = 'messages' | 'runs' | 'trace' | 'compare';
const TABS: readonly Tab[] = ['messages', 'runs', 'trace', 'compare'];
/** How the trace shows its run: the event table or the waterfall of its spans. */
export type TraceMode = 'events' | 'timeline';
const TOGGLES = Object.keys(defaultVisibility) as (keyof Visibility)[];

export interface Selection {
  threadId: string | null;
  tab: Tab;
  runId: string | null;
  /** The event shown in the detail pane (seq within the thread). */
  eventSeq: number | null;
  /** The trace's filters, for the trace's run. */
  traceFilter: TraceFilter;
  traceMode: TraceMode;
  /** Which concealed messages the timeline shows. */
  visibility: Visibility;
  /** The two runs the compare tab shows (issue 12), of this thread or another. */
  compare: ComparePair | null;
}

export const noSelection: Selection = { threadId: null, tab: 'messages', runId: null, eventSeq: null, traceFilter: noFilter, traceMode: 'events', visibility: defaultVisibility, compare: null };

export function parseHash(hash: string): Selection {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const tab = params.get('tab') as Tab | null;
  const seq = Number(params.get('event'));
  const visibility = { ...defaultVisibility };
  for (const toggle of TOGGLES) {
    const value = params.get(toggle);
    if (value === '1' || value === '0') visibility[toggle] = value === '1';
  }
  return {
    threadId: params.get('thread') || null,
    tab: tab && TABS.includes(tab) ? tab : 'messages',
    runId: params.get('run') || null,
    eventSeq: Number.isInteger(seq) && seq > 0 ? seq : null,
    traceFilter: { categories: params.getAll('category').filter(Boolean), eventTypes: params.getAll('type').filter(Boolean), taskId: params.get('task') || null },
    traceMode: params.get('view') === 'timeline' ? 'timeline' : 'events',
    visibility,
    compare: parsePair(params.get('a'), params.get('b')),
  };
}

export function toHash(selection: Selection): string {
  const params = new URLSearchParams();
  if (selection.threadId) {
    params.set('thread', selection.threadId);
    if (selection.tab !== 'messages') params.set('tab', selection.tab);
    if (selection.runId) params.set('run', selection.runId);
    if (selection.eventSeq !== null) params.set('event', String(selection.eventSeq));
    for (const category of selection.traceFilter.categories) params.append('category', category);
    for (const type of selection.traceFilter.eventTypes) params.append('type', type);
    if (selection.traceFilter.taskId) params.set('task', selection.traceFilter.taskId);
    if (selection.traceMode === 'timeline') params.set('view', 'timeline');
    if (selection.compare) {
      params.set('a', formatRunKey(selection.compare.a));
      params.set('b', formatRunKey(selection.compare.b));
    }
    // Only what differs from the defaults, so a plain link stays short.
    for (const toggle of TOGGLES) if (selection.visibility[toggle] !== defaultVisibility[toggle]) params.set(toggle, selection.visibility[toggle] ? '1' : '0');
  }
  const text = params.toString();
  return text ? `#${text}` : '';
}

export type SelectionChange = Partial<Selection> | ((current: Selection) => Partial<Selection>);
/**
 * 'push' (a navigation: thread, tab, run, event) adds a history entry;
 * 'replace' (a refinement of the same place: filters, toggles) rewrites the current one.
 */
export type HistoryMode = 'push' | 'replace';
export type Select = (change: SelectionChange, mode?: HistoryMode) => void;

/** Alt+←/→ and the mouse's back/forward buttons (3 and 4); the buttons only where main does not answer them (useSelection). */
export function historyStep(input: { kind: 'key'; key: string; altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean } | { kind: 'mouse'; button: number }): -1 | 1 | null {
  if (input.kind === 'mouse') return input.button === 3 ? -1 : input.button === 4 ? 1 : null;
  if (!input.altKey || input.ctrlKey || input.metaKey || input.shiftKey) return null;
  return input.key === 'ArrowLeft' ? -1 : input.key === 'ArrowRight' ? 1 : null;
}

function goThroughHistory(step: -1 | 1): void {
  if (step < 0) window.history.back();
  else window.history.forward();
}

/** `stepsOnMouseButtons`: false where main answers the mouse's back / forward buttons instead (src-shared/history-buttons.ts). */
export function useSelection(stepsOnMouseButtons: () => boolean): [Selection, Select] {
  const [selection, setSelection] = useState(() => parseHash(window.location.hash));
  const currentRef = useRef(selection);

  useEffect(() => {
    // Back, Forward and an edited address all land here.
    const follow = () => {
      const next = parseHash(window.location.hash);
      if (toHash(next) === toHash(currentRef.current)) return;
      currentRef.current = next;
      setSelection(next);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      // Alt+arrows in a text field move the caret by word on some systems: theirs.
      const step = historyStep({ kind: 'key', key: event.key, altKey: event.altKey, ctrlKey: event.ctrlKey, metaKey: event.metaKey, shiftKey: event.shiftKey });
      if (step === null || event.defaultPrevented || isTyping(event.target)) return;
      event.preventDefault();
      goThroughHistory(step);
    };
    const onMouseUp = (event: MouseEvent) => {
      const step = historyStep({ kind: 'mouse', button: event.button });
      if (step === null || !stepsOnMouseButtons()) return;
      // A browser would also step on its own: one step, ours, in both modes.
      event.preventDefault();
      goThroughHistory(step);
    };
    window.addEventListener('popstate', follow);
    window.addEventListener('hashchange', follow);
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('mouseup', onMouseUp);
    return () => {
      window.removeEventListener('popstate', follow);
      window.removeEventListener('hashchange', follow);
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('mouseup', onMouseUp);
    };
  }, [stepsOnMouseButtons]);

  const select = useCallback<Select>((change, mode = 'push') => {
    const current = currentRef.current;
    const next = { ...current, ...(typeof change === 'function' ? change(current) : change) };
    currentRef.current = next;
    setSelection(next);
    const hash = toHash(next);
    if (hash === window.location.hash) return;
    const url = hash || window.location.pathname + window.location.search;
    if (mode === 'push') window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  }, []);

  return [selection, select];
}
