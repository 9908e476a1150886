// What is open — thread, tab, run, event — lives in the URL hash, so a
// reload (or a store refresh) brings the viewer back to the same place.
import { useCallback, useEffect, useState } from 'react';

export type Tab = 'messages' | 'runs' | 'trace';
const TABS: readonly Tab[] = ['messages', 'runs', 'trace'];

export interface Selection {
  threadId: string | null;
  tab: Tab;
  runId: string | null;
  /** The event shown in the detail pane (seq within the thread). */
  eventSeq: number | null;
}

export const noSelection: Selection = { threadId: null, tab: 'messages', runId: null, eventSeq: null };

export function parseHash(hash: string): Selection {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const tab = params.get('tab') as Tab | null;
  const seq = Number(params.get('event'));
  return {
    threadId: params.get('thread') || null,
    tab: tab && TABS.includes(tab) ? tab : 'messages',
    runId: params.get('run') || null,
    eventSeq: Number.isInteger(seq) && seq > 0 ? seq : null,
  };
}

export function toHash(selection: Selection): string {
  const params = new URLSearchParams();
  if (selection.threadId) params.set('thread', selection.threadId);
  if (selection.threadId && selection.tab !== 'messages') params.set('tab', selection.tab);
  if (selection.threadId && selection.runId) params.set('run', selection.runId);
  if (selection.threadId && selection.eventSeq !== null) params.set('event', String(selection.eventSeq));
  const text = params.toString();
  return text ? `#${text}` : '';
}

export function useSelection(): [Selection, (update: Partial<Selection> | ((current: Selection) => Partial<Selection>)) => void] {
  const [selection, setSelection] = useState(() => parseHash(window.location.hash));

  useEffect(() => {
    const onHashChange = () => setSelection(parseHash(window.location.hash));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const update = useCallback((change: Partial<Selection> | ((current: Selection) => Partial<Selection>)) => {
    setSelection((current) => {
      const next = { ...current, ...(typeof change === 'function' ? change(current) : change) };
      const hash = toHash(next);
      // replaceState: moving through threads should not fill the back button's history
      if (hash !== window.location.hash) window.history.replaceState(null, '', hash || window.location.pathname + window.location.search);
      return next;
    });
  }, []);

  return [selection, update];
}
