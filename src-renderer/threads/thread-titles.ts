// Thread titles for threads without a display name: the first human
// message, as the thread list gives it (ThreadSummary.title, from backends
// that keep it), else fetched only for rows that become visible, a few at a
// time, and remembered until the thread changes.
import { useEffect, useSyncExternalStore } from 'react';
import type { ThreadSummary } from '../../src-shared/types.ts';
import { api } from '../api.ts';
import { firstHumanText } from '../../src-shared/message-model.ts';

/** A human message is normally among the first few; threads that begin with older runs (no human messages) need a second, longer look. */
const PROBE_PAGES = [10, 40];
const MAX_CONCURRENT = 4;

type Title = string | null;

const titles = new Map<string, Title>();
const queued: string[] = [];
const inFlight = new Set<string>();
const listeners = new Set<() => void>();
let version = 0;

function changed() {
  version++;
  for (const listener of listeners) listener();
}

async function probe(threadId: string): Promise<Title> {
  let afterSeq = 0;
  for (const limit of PROBE_PAGES) {
    const page = await api.listMessages({ threadId, afterSeq, limit });
    const title = firstHumanText(page);
    if (title !== null || page.length < limit) return title;
    afterSeq = page[page.length - 1].seq;
  }
  return null;
}

function pump() {
  while (inFlight.size < MAX_CONCURRENT && queued.length > 0) {
    const threadId = queued.shift() as string;
    inFlight.add(threadId);
    probe(threadId).then(
      (title) => titles.set(threadId, title),
      () => titles.set(threadId, null),
    ).finally(() => {
      inFlight.delete(threadId);
      changed();
      pump();
    });
  }
}

function request(threadId: string) {
  if (titles.has(threadId) || inFlight.has(threadId) || queued.includes(threadId)) return;
  queued.push(threadId);
  pump();
}

/** Forget titles after a change; null forgets all. */
export function invalidateTitles(threadIds: string[] | null) {
  if (threadIds === null) titles.clear();
  else for (const id of threadIds) titles.delete(id);
  changed();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** Re-renders the caller whenever any title arrives. */
export function useTitlesVersion(): number {
  return useSyncExternalStore(subscribe, () => version);
}

/** The first human message: the list's, else the one found by probing (undefined: not known yet). */
const firstMessageTitle = (thread: ThreadSummary): Title | undefined => (thread.title !== undefined ? thread.title : titles.get(thread.thread_id));

/** The row's title: display name, else first human message once known, else null (still looking or none). */
export function useThreadTitle(thread: ThreadSummary): Title {
  // A new version may mean this thread's title was forgotten: ask again.
  const titlesVersion = useTitlesVersion();
  const needsProbe = !thread.display_name && thread.title === undefined && thread.message_count > 0;
  useEffect(() => {
    if (needsProbe) request(thread.thread_id);
  }, [needsProbe, thread.thread_id, titlesVersion]);
  return thread.display_name || firstMessageTitle(thread) || null;
}

/** What the filter box matches against: everything a row shows. */
export function searchableText(thread: ThreadSummary): string {
  return `${thread.display_name ?? ''}\n${firstMessageTitle(thread) ?? ''}\n${thread.thread_id}`.toLowerCase();
}
