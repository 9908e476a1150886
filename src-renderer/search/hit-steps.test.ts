import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../../src-shared/types.ts';
import { noFilter } from '../trace/trace-filter.ts';
import { hitSelection, stepHit } from './hit-steps.ts';

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

describe('hitSelection', () => {
  const hit = (category: string): SearchHit => ({
    thread_id: 't1',
    run_id: 'r1',
    seq: 42,
    event_type: category === 'message' ? 'llm.ai.response' : 'llm.error',
    category,
    created_at: '2026-04-04T00:00:00+00:00',
    snippet: 'x',
  });

  it('opens a message in the timeline, at its seq', () => {
    expect(hitSelection(hit('message'))).toEqual({ threadId: 't1', tab: 'messages', runId: 'r1', eventSeq: 42, traceFilter: noFilter });
  });

  it('opens any other event in its run’s trace, unfiltered so the event is in it', () => {
    expect(hitSelection(hit('trace'))).toEqual({ threadId: 't1', tab: 'trace', runId: 'r1', eventSeq: 42, traceFilter: noFilter });
  });
});
