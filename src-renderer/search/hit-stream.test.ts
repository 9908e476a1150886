import { describe, expect, it } from 'vitest';
import type { SearchHit, SearchResult } from '../../src-shared/types.ts';
import { compareHits } from '../../src-shared/search-order.ts';
import { type FetchHits, openHitStream, type SearchParams, searchCalls, type SearchRequest } from './hit-stream.ts';

const hit = (thread_id: string, seq: number, second: number, category = 'trace', event_type = 'x'): SearchHit => ({
  thread_id,
  run_id: 'r',
  seq,
  event_type,
  category,
  created_at: `2026-04-04T00:00:${String(second).padStart(2, '0')}.5+00:00`,
  snippet: '',
});

/** A backend answering each call from its own newest-first list, `pageSize` at a time; cursors are offsets. */
function fakeBackend(lists: SearchHit[][], pageSize: number): { fetchHits: FetchHits; calls: SearchParams[] } {
  const calls: SearchParams[] = [];
  const fetchHits: FetchHits = async (params) => {
    calls.push(params);
    const list = params.eventTypes ? lists[1] : lists[0];
    const from = Number(params.cursor ?? 0);
    const hits = list.slice(from, from + pageSize);
    const result: SearchResult = {
      hits,
      nextCursor: from + pageSize < list.length ? String(from + pageSize) : null,
      index: { state: 'building', indexed: calls.length, total: 10 },
    };
    return result;
  };
  return { fetchHits, calls };
}

async function drain(stream: ReturnType<typeof openHitStream>): Promise<{ hits: SearchHit[]; pages: number }> {
  const hits: SearchHit[] = [];
  for (let pages = 1; ; pages++) {
    const page = await stream.next();
    hits.push(...page.hits);
    if (page.done) return { hits, pages };
  }
}

const request: SearchRequest = { query: 'boom', categories: [], eventTypes: [], errorsOnly: false };

describe('searchCalls', () => {
  it('is one call with the scope and the filters that are set', () => {
    expect(searchCalls({ ...request, threadId: 't', runId: 'r', categories: ['trace'] }, 50)).toEqual([
      { query: 'boom', limit: 50, threadId: 't', runId: 'r', categories: ['trace'] },
    ]);
    expect(searchCalls(request, 20)).toEqual([{ query: 'boom', limit: 20 }]);
  });

  it('drops a run without its thread (the method refuses it)', () => {
    expect(searchCalls({ ...request, runId: 'r' }, 5)).toEqual([{ query: 'boom', limit: 5 }]);
  });

  it('errors only: category error, and type llm.error, as two calls in the same scope, replacing the filters', () => {
    expect(searchCalls({ ...request, threadId: 't', categories: ['message'], eventTypes: ['a'], errorsOnly: true }, 10)).toEqual([
      { query: 'boom', limit: 10, threadId: 't', categories: ['error'] },
      { query: 'boom', limit: 10, threadId: 't', eventTypes: ['llm.error'] },
    ]);
  });
});

describe('openHitStream', () => {
  it('one call: its pages as they come, with the cursor passed back, and the latest index status', async () => {
    const list = [hit('t', 5, 50), hit('t', 4, 40), hit('t', 3, 30)];
    const { fetchHits, calls } = fakeBackend([list], 2);
    const stream = openHitStream(searchCalls(request, 2), fetchHits);
    const first = await stream.next();
    expect(first.hits).toEqual(list.slice(0, 2));
    expect(first.done).toBe(false);
    const second = await stream.next();
    expect(second).toEqual({ hits: list.slice(2), done: true, index: { state: 'building', indexed: 2, total: 10 } });
    expect(calls.map((c) => c.cursor)).toEqual([undefined, '2']);
  });

  it('errors only: both calls merged newest first, an event both found listed once', async () => {
    const both = hit('t', 7, 45, 'error', 'llm.error');
    const errors = [hit('t', 9, 59, 'error'), both, hit('t', 2, 20, 'error'), hit('t', 1, 10, 'error')];
    const llmErrors = [hit('u', 8, 50, 'trace', 'llm.error'), both, hit('u', 3, 30, 'trace', 'llm.error')];
    const { fetchHits } = fakeBackend([errors, llmErrors], 2);
    const stream = openHitStream(searchCalls({ ...request, errorsOnly: true }, 2), fetchHits);
    const { hits, pages } = await drain(stream);
    const expected = [...new Map([...errors, ...llmErrors].map((h) => [`${h.thread_id}:${h.seq}`, h])).values()].sort(compareHits);
    expect(hits).toEqual(expected);
    expect(hits).toHaveLength(6);
    expect(pages).toBeGreaterThan(1);
  });

  it('a merged page never runs ahead of a call that has more: its next page could be newer', async () => {
    // The first call's page ends at 40 s; the second call's next page (after 45 s) holds 44 s.
    const first = [hit('t', 9, 50, 'error'), hit('t', 8, 40, 'error')];
    const second = [hit('u', 5, 55, 'trace', 'llm.error'), hit('u', 4, 45, 'trace', 'llm.error'), hit('u', 3, 44, 'trace', 'llm.error')];
    const { fetchHits } = fakeBackend([first, second], 2);
    const stream = openHitStream(searchCalls({ ...request, errorsOnly: true }, 2), fetchHits);
    const page = await stream.next();
    expect(page.hits.map((h) => h.seq)).toEqual([5, 9, 4]);
    expect((await drain(stream)).hits.map((h) => h.seq)).toEqual([3, 8]);
  });

  it('no hits: one empty, finished page', async () => {
    const { fetchHits } = fakeBackend([[], []], 5);
    expect((await openHitStream(searchCalls({ ...request, errorsOnly: true }, 5), fetchHits).next()).hits).toEqual([]);
  });
});
