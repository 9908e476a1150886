// What the generated store holds, computed from the same generator output
// the fixture wrote: the specs compare the screen with these.
import { searchableText } from '../src-main/search/searchable-text.ts';
import { compareHits } from '../src-shared/search-order.ts';
import { foldCase, matchesAll, parseQuery } from '../src-shared/search-query.ts';
import type { JsonObject, JsonValue, RunEvent } from '../src-shared/types.ts';

export function threadEvents(events: readonly RunEvent[], threadId: string): RunEvent[] {
  return events.filter((e) => e.thread_id === threadId);
}

export function messageSeqs(events: readonly RunEvent[], threadId: string): number[] {
  return threadEvents(events, threadId)
    .filter((e) => e.category === 'message')
    .map((e) => e.seq);
}

export function runIds(events: readonly RunEvent[], threadId: string): string[] {
  return [...new Set(threadEvents(events, threadId).map((e) => e.run_id))];
}

export function runEvents(events: readonly RunEvent[], threadId: string, runId: string): RunEvent[] {
  return threadEvents(events, threadId).filter((e) => e.run_id === runId);
}

export function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** `1,234` as the app prints counts. */
export const formatted = (n: number) => n.toLocaleString('en-US');

/** Messages the timeline shows with its default toggles: none hidden from the UI, none of a middleware. */
export function visibleMessages(events: readonly RunEvent[], threadId: string): RunEvent[] {
  return threadEvents(events, threadId).filter((e) => {
    if (e.category !== 'message' || String(e.metadata.caller ?? '').startsWith('middleware:')) return false;
    const kwargs = typeof e.content === 'object' && e.content !== null && !Array.isArray(e.content) ? e.content.additional_kwargs : undefined;
    return !(typeof kwargs === 'object' && kwargs !== null && !Array.isArray(kwargs) && kwargs.hide_from_ui === true);
  });
}

/** An event's content as an object: given as one, or as its JSON text (the journal's older rows); else undefined. */
export function contentObject(content: JsonValue): JsonObject | undefined {
  let value: unknown = content;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** What the search must find, by the shared rules, newest first. */
export function expectedHits(events: readonly RunEvent[], query: string, only: (event: RunEvent) => boolean = () => true): RunEvent[] {
  const terms = parseQuery(query);
  return events.filter((event) => only(event) && matchesAll(foldCase(searchableText(event)), terms)).sort(compareHits);
}
