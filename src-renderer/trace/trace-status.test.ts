import { describe, expect, it } from 'vitest';
import { matchingCount, traceStatus } from './trace-status.ts';

const counts = {
  by_category: { trace: 20, message: 12, subagent: 2 },
  by_event_type: { 'run.start': 1, 'llm.error': 4, 'llm.ai.response': 12, 'subagent.start': 1, 'subagent.end': 1, 'run.end': 15 },
  by_task_id: { call_1: 2 },
};

describe('trace status', () => {
  it('counts what a filter matches where the counts can say', () => {
    expect(matchingCount(counts, undefined, null)).toBe(34);
    expect(matchingCount(counts, ['llm.error', 'run.start'], null)).toBe(5);
    expect(matchingCount(counts, undefined, 'call_1')).toBe(2);
    expect(matchingCount(counts, ['subagent.start'], 'call_1')).toBeNull();
    expect(matchingCount(counts, 'none', null)).toBe(0);
  });

  it('says how many of the run a filter shows', () => {
    expect(traceStatus({ loaded: 5, hasMore: false, filtered: true, matching: 5, total: 34 })).toBe('5 of 34 events match the filters');
    expect(traceStatus({ loaded: 1, hasMore: false, filtered: true, matching: null, total: null })).toBe('1 event matches the filters');
    expect(traceStatus({ loaded: 3, hasMore: false, filtered: true, matching: null, total: null })).toBe('3 events match the filters');
    expect(traceStatus({ loaded: 500, hasMore: true, filtered: true, matching: 800, total: 1_200 })).toBe(
      '500 of 800 matching loaded (1,200 in the run) · scroll for more',
    );
    expect(traceStatus({ loaded: 500, hasMore: true, filtered: true, matching: null, total: 1_200 })).toBe('500 matching loaded (1,200 in the run) · scroll for more');
  });

  it('says how much of an unfiltered run is loaded', () => {
    expect(traceStatus({ loaded: 34, hasMore: false, filtered: false, matching: 34, total: 34 })).toBe('34 events');
    expect(traceStatus({ loaded: 500, hasMore: true, filtered: false, matching: 1_200, total: 1_200 })).toBe('500 of 1,200 events loaded · scroll for more');
  });
});
