import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../../src-shared/types.ts';
import { noFilter } from '../trace/trace-filter.ts';
import { hitSelection, type LoadedHits, stepHit, stepThroughHits } from './hit-steps.ts';

describe('stepHit', () => {
  it('starts at the first hit, whichever way', () => {
    expect(stepHit(null, 1, 3, false)).toEqual({ kind: 'open', index: 0 });
    expect(stepHit(null, -1, 3, true)).toEqual({ kind: 'open', index: 0 });
  });

  it('moves one hit at a time inside what is loaded', () => {
    expect(stepHit(0, 1, 3, false)).toEqual({ kind: 'open', index: 1 });
    expect(stepHit(2, -1, 3, false)).toEqual({ kind: 'open', index: 1 });
  });

  it('asks for the next page past the last loaded hit while there are more', () => {
    expect(stepHit(2, 1, 3, true)).toEqual({ kind: 'load' });
    expect(stepHit(null, 1, 0, true)).toEqual({ kind: 'load' });
  });

  it('stops at either end', () => {
    expect(stepHit(2, 1, 3, false)).toEqual({ kind: 'none' });
    expect(stepHit(0, -1, 3, true)).toEqual({ kind: 'none' });
    expect(stepHit(null, 1, 0, false)).toEqual({ kind: 'none' });
  });
});

const hit = (category: string, seq = 42): SearchHit => ({
  thread_id: 't1',
  run_id: 'r1',
  seq,
  event_type: category === 'message' ? 'llm.ai.response' : 'llm.error',
  category,
  created_at: '2026-04-04T00:00:00+00:00',
  snippet: 'x',
});

describe('stepThroughHits', () => {
  const firstPage: LoadedHits = { hits: [hit('message', 3), hit('trace', 2)], done: false };
  const bothPages: LoadedHits = { hits: [...firstPage.hits, hit('message', 1)], done: true };

  it('opens a loaded hit without loading', async () => {
    let loads = 0;
    const next = await stepThroughHits(0, 1, firstPage, async () => (loads++, bothPages));
    expect(next).toEqual({ hit: firstPage.hits[1], index: 1 });
    expect(loads).toBe(0);
  });

  it('past the last loaded hit, loads the next page and opens its first hit', async () => {
    expect(await stepThroughHits(1, 1, firstPage, async () => bothPages)).toEqual({ hit: bothPages.hits[2], index: 2 });
  });

  it('stops at the end, and when the load was dropped', async () => {
    expect(await stepThroughHits(2, 1, bothPages, async () => bothPages)).toBeNull();
    expect(await stepThroughHits(1, 1, firstPage, async () => null)).toBeNull();
    expect(await stepThroughHits(0, -1, firstPage, async () => bothPages)).toBeNull();
  });
});

describe('hitSelection', () => {
  it('opens a message in the timeline, at its seq', () => {
    expect(hitSelection(hit('message'))).toEqual({ threadId: 't1', tab: 'messages', runId: 'r1', eventSeq: 42, traceFilter: noFilter, traceMode: 'events' });
  });

  it('opens any other event in its run’s trace, in the event table, unfiltered so the event is in it', () => {
    expect(hitSelection(hit('trace'))).toEqual({ threadId: 't1', tab: 'trace', runId: 'r1', eventSeq: 42, traceFilter: noFilter, traceMode: 'events' });
  });
});
