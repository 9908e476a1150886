import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src-shared/types.ts';
import { aroundWindow, latestWindow, rewrittenUnder, type RunSpan, startWindow, withNewer, withOlder } from './message-window.ts';

const msgs = (from: number, to: number): RunEvent[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    thread_id: 't',
    run_id: 'r',
    seq: from + i,
    event_type: 'llm.ai.response',
    category: 'message',
    content: `m${from + i}`,
    metadata: {},
    created_at: '2026-04-04T00:00:00+00:00',
  }));
const seqs = (events: RunEvent[]) => events.map((e) => e.seq);

describe('message window', () => {
  it('knows which sides can load more from the size of a page', () => {
    expect(latestWindow(msgs(1, 3), 3)).toMatchObject({ hasOlder: true, hasNewer: false });
    expect(latestWindow(msgs(1, 2), 3)).toMatchObject({ hasOlder: false, hasNewer: false });
    expect(startWindow(msgs(1, 3), 3)).toMatchObject({ hasOlder: false, hasNewer: true });
    expect(aroundWindow(msgs(1, 2), msgs(3, 5), 3)).toMatchObject({ hasOlder: false, hasNewer: true });
  });

  it('prepends older pages, skipping rows it already holds', () => {
    const w = withOlder(latestWindow(msgs(11, 20), 10), msgs(5, 12), 10, 100);
    expect(seqs(w.events)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(w).toMatchObject({ hasOlder: false, hasNewer: false });
  });

  it('drops the far end when the window outgrows its cap, and can load it again', () => {
    const grown = withOlder(latestWindow(msgs(11, 20), 10), msgs(1, 10), 10, 15);
    expect(seqs(grown.events)).toEqual(seqs(msgs(1, 15)));
    expect(grown).toMatchObject({ hasOlder: true, hasNewer: true });
    const back = withNewer(grown, msgs(16, 25), 10, 15);
    expect(seqs(back.events)).toEqual(seqs(msgs(11, 25)));
    expect(back).toMatchObject({ hasOlder: true, hasNewer: true });
    expect(withNewer(back, msgs(26, 27), 10, 15).hasNewer).toBe(false);
  });
});

describe('rewrittenUnder', () => {
  const span = (message_count: number, first_seq: number, last_seq: number): RunSpan => ({ message_count, first_seq, last_seq });
  const window = latestWindow(msgs(1, 5), 10);
  const runs = (entries: [string, RunSpan][]) => new Map(entries);

  it('is not when the runs agree with the window, or a run grew past its last row (appends still on their way)', () => {
    expect(rewrittenUnder(window, runs([['r', span(5, 1, 5)]]), runs([['r', span(5, 1, 5)]]))).toBe(false);
    expect(rewrittenUnder(window, runs([['r', span(5, 1, 5)]]), runs([['r', span(7, 1, 7)]]))).toBe(false);
  });

  it('is not when a run is only gone: its rows just leave', () => {
    expect(rewrittenUnder(window, runs([['r', span(5, 1, 5)]]), runs([]))).toBe(false);
  });

  it('is when a run of the window lost messages or seqs', () => {
    expect(rewrittenUnder(window, runs([['r', span(5, 1, 5)]]), runs([['r', span(2, 1, 2)]]))).toBe(true);
    expect(rewrittenUnder(window, runs([['r', span(5, 1, 5)]]), runs([['r', span(5, 1, 4)]]))).toBe(true);
  });

  it('is when a run wholly inside the loaded rows holds other messages than the window: written again under low seqs', () => {
    expect(rewrittenUnder(window, runs([['r', span(5, 1, 5)]]), runs([['r2', span(3, 1, 3)]]))).toBe(true);
  });

  it('leaves out runs before the first row of a window that has older rows', () => {
    const later = { ...window, hasOlder: true, events: msgs(3, 5) };
    expect(rewrittenUnder(later, runs([['r', span(5, 1, 5)]]), runs([['r', span(5, 1, 5)]]))).toBe(false);
  });
});
