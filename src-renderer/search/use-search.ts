// The results of the search field: the request debounced while typing, the
// first page of its hits, more as the list scrolls; answers to a request
// that was replaced are dropped. The index's progress comes with each answer
// and, while it builds, with the search:index push; once it is ready the
// search runs again if its answer came back while the index was building,
// since what it found was only what was indexed (an answer that came back
// complete stays, with its loaded pages, whatever the index reports later).
import { useCallback, useEffect, useRef, useState } from 'react';
import { parseQuery } from '../../src-shared/search-query.ts';
import { DEFAULT_SEARCH_LIMIT } from '../../src-shared/search-schema.ts';
import type { SearchHit, SearchIndexStatus } from '../../src-shared/types.ts';
import { api } from '../api.ts';
import { errorMessage } from '../common/error-message.ts';
import { usePush } from '../common/hooks.ts';
import type { HitPage, SearchRequest } from './hit-stream.ts';
import { openHitStream, searchCalls } from './hit-stream.ts';

export const TYPING_DEBOUNCE_MS = 150;

export interface SearchResults {
  state: 'idle' | 'loading' | 'ready' | 'error';
  /** The request the hits answer; null while idle. */
  request: SearchRequest | null;
  /** Its terms, folded: what the snippets highlight. */
  terms: string[];
  hits: SearchHit[];
  done: boolean;
  loadingMore: boolean;
  error: string | null;
}

const idle: SearchResults = { state: 'idle', request: null, terms: [], hits: [], done: true, loadingMore: false, error: null };

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** `request` null (no term typed): idle. */
export function useSearch(request: SearchRequest | null): {
  results: SearchResults;
  index: SearchIndexStatus | null;
  /** The next page; resolves with every hit loaded so far and whether that is all, or null when the search was replaced. */
  loadMore: () => Promise<{ hits: SearchHit[]; done: boolean } | null>;
} {
  const [results, setResults] = useState<SearchResults>(idle);
  const [index, setIndex] = useState<SearchIndexStatus | null>(null);
  const [rerun, setRerun] = useState(0);
  const stream = useRef<{ next: () => Promise<HitPage> } | null>(null);
  const resultsRef = useRef(results);
  resultsRef.current = results;
  const pendingPage = useRef<Promise<{ hits: SearchHit[]; done: boolean } | null> | null>(null);
  /** A page of the hits shown came back while the index was building: they are partial. */
  const partial = useRef(false);
  /**
   * How many times the index said it is ready (search:index). The push and an answer travel apart (an event
   * stream, a reply), so an answer made while it was building may land after the push that it is ready.
   */
  const readyPushes = useRef(0);
  const key = request ? JSON.stringify(request) : '';

  useEffect(() => {
    pendingPage.current = null;
    partial.current = false;
    if (!request) {
      stream.current = null;
      setResults(idle);
      return;
    }
    const current = openHitStream(searchCalls(request, DEFAULT_SEARCH_LIMIT), (params) => api.search(params));
    stream.current = current;
    const terms = parseQuery(request.query);
    // The previous hits stay (with their own terms) until the new ones land: the list does not flash empty while typing.
    setResults((previous) => ({ ...previous, state: 'loading', loadingMore: false, error: null }));
    const readyBefore = readyPushes.current;
    current.next().then(
      (page) => {
        if (stream.current !== current) return;
        const overtaken = page.index.state === 'building' && readyPushes.current > readyBefore;
        if (!overtaken) setIndex(page.index);
        partial.current = page.index.state === 'building' && !overtaken;
        setResults({ state: 'ready', request, terms, hits: page.hits, done: page.done, loadingMore: false, error: null });
        // The index became ready while this answer was on its way: what it found was only what was indexed then.
        if (overtaken) setRerun((n) => n + 1);
      },
      (error: unknown) => {
        if (stream.current === current) setResults({ ...idle, state: 'error', request, terms, error: errorMessage(error) });
      },
    );
    // key stands for request (a new object each render); rerun asks again for the same one.
  }, [key, rerun]);

  const loadMore = useCallback(() => {
    const current = stream.current;
    const { state, done } = resultsRef.current;
    if (!current || state !== 'ready' || done) return Promise.resolve(null);
    if (pendingPage.current) return pendingPage.current;
    setResults((previous) => ({ ...previous, loadingMore: true }));
    const page = current.next().then(
      (next) => {
        if (stream.current !== current) return null;
        pendingPage.current = null;
        setIndex(next.index);
        if (next.index.state === 'building') partial.current = true;
        const hits = [...resultsRef.current.hits, ...next.hits];
        const loaded = { ...resultsRef.current, hits, done: next.done, loadingMore: false };
        resultsRef.current = loaded;
        setResults(loaded);
        return { hits, done: next.done };
      },
      (error: unknown) => {
        if (stream.current !== current) return null;
        pendingPage.current = null;
        setResults((previous) => ({ ...previous, loadingMore: false, error: errorMessage(error) }));
        return null;
      },
    );
    pendingPage.current = page;
    return page;
  }, []);

  usePush('search:index', (status) => {
    if (status.state === 'ready') readyPushes.current++;
    setIndex(status);
    if (status.state === 'ready' && partial.current && resultsRef.current.request) {
      partial.current = false;
      setRerun((n) => n + 1);
    }
  });

  return { results, index, loadMore };
}
