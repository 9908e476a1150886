// The hits of one search as pages the results list loads as it scrolls.
// "Errors only" is two searches — the search method ANDs categories and event
// types, and errors are category `error` OR type `llm.error` — merged here
// newest first, each event once, so the list and F3 see one ordered stream.
import type { ParamsOf } from '../../src-shared/contract.ts';
import { compareHits } from '../../src-shared/search-order.ts';
import type { SearchHit, SearchIndexStatus, SearchResult } from '../../src-shared/types.ts';

export type SearchParams = ParamsOf<'search'>;
export type FetchHits = (params: SearchParams) => Promise<SearchResult>;

/** What the search field asks for. */
export interface SearchRequest {
  query: string;
  threadId?: string;
  runId?: string;
  categories: readonly string[];
  eventTypes: readonly string[];
  /** Replaces the category and type filters. */
  errorsOnly: boolean;
}

export const ERROR_CATEGORY = 'error';
export const ERROR_EVENT_TYPE = 'llm.error';

/** The search calls a request takes: one, or two for errors only. */
export function searchCalls(request: SearchRequest, limit: number): SearchParams[] {
  const base: SearchParams = { query: request.query, limit };
  if (request.threadId) base.threadId = request.threadId;
  if (request.threadId && request.runId) base.runId = request.runId;
  if (request.errorsOnly) return [{ ...base, categories: [ERROR_CATEGORY] }, { ...base, eventTypes: [ERROR_EVENT_TYPE] }];
  return [
    {
      ...base,
      ...(request.categories.length > 0 && { categories: [...request.categories] }),
      ...(request.eventTypes.length > 0 && { eventTypes: [...request.eventTypes] }),
    },
  ];
}

export const hitKey = (hit: Pick<SearchHit, 'thread_id' | 'seq'>): string => `${hit.thread_id}\u0000${hit.seq}`;

export interface HitPage {
  hits: SearchHit[];
  /** No more pages. */
  done: boolean;
  index: SearchIndexStatus;
}

interface Feed {
  params: SearchParams;
  buffer: SearchHit[];
  cursor: string | null;
  done: boolean;
}

/**
 * Pages of the calls' hits, merged. A merged page holds only hits known to be
 * in order: it stops where a call's buffer runs dry while that call has more,
 * since its next page could hold newer hits than the other's next.
 */
export function openHitStream(calls: readonly SearchParams[], fetchHits: FetchHits): { next: () => Promise<HitPage> } {
  const feeds: Feed[] = calls.map((params) => ({ params, buffer: [], cursor: null, done: false }));
  const seen = new Set<string>();
  let index: SearchIndexStatus = { state: 'ready', indexed: 0, total: 0 };

  const refill = async (feed: Feed) => {
    const result = await fetchHits(feed.cursor ? { ...feed.params, cursor: feed.cursor } : feed.params);
    feed.buffer.push(...result.hits);
    feed.cursor = result.nextCursor;
    feed.done = result.nextCursor === null;
    index = result.index;
  };

  const next = async (): Promise<HitPage> => {
    const hits: SearchHit[] = [];
    for (;;) {
      await Promise.all(feeds.filter((feed) => feed.buffer.length === 0 && !feed.done).map(refill));
      while (feeds.every((feed) => feed.buffer.length > 0 || feed.done)) {
        const ready = feeds.filter((feed) => feed.buffer.length > 0);
        if (ready.length === 0) break;
        const newest = ready.reduce((best, feed) => (compareHits(feed.buffer[0], best.buffer[0]) < 0 ? feed : best));
        const hit = newest.buffer.shift() as SearchHit;
        if (seen.has(hitKey(hit))) continue;
        seen.add(hitKey(hit));
        hits.push(hit);
      }
      const done = feeds.every((feed) => feed.done && feed.buffer.length === 0);
      // A page of duplicates only (the same event through both calls) is no page: fetch on.
      if (hits.length > 0 || done) return { hits, done, index };
    }
  };

  return { next };
}
