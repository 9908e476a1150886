import { describe, expect, it } from 'vitest';
import type { RunSummary, ThreadOverview } from '../../src-shared/types.ts';
import { columnsOf, estimatedOverview, fractionOf, keyTarget, rangeOf, runSegments, runStrokes, seqAt, valueText, VisibleWindow } from './overview-strip.ts';

const overview = (first: number, bucketSeqs: number, events: number[], errors = events.map(() => 0), toolErrors = events.map(() => 0)): ThreadOverview => ({
  first_seq: first,
  last_seq: first + bucketSeqs * events.length - 1,
  bucket_seqs: bucketSeqs,
  buckets: { events, messages: events.map((n) => n - 1), errors, tool_errors: toolErrors },
});

const run = (run_id: string, first_seq: number, last_seq: number, status: string | null = 'success'): RunSummary => ({
  run_id,
  message_count: 1,
  event_count: last_seq - first_seq + 1,
  first_created_at: null,
  last_created_at: null,
  first_seq,
  last_seq,
  status,
});

describe('overview strip model', () => {
  const range = { first: 101, last: 300 };

  it('maps seqs to places along the strip and back, clamped to the thread', () => {
    expect(fractionOf(range, 101)).toBe(0);
    expect(fractionOf(range, 201)).toBe(0.5);
    expect(fractionOf(range, 301)).toBe(1);
    expect(fractionOf(range, 5)).toBe(0);
    expect(seqAt(range, 0)).toBe(101);
    expect(seqAt(range, 0.5)).toBe(201);
    expect(seqAt(range, 1)).toBe(300);
    expect(seqAt(range, -0.2)).toBe(101);
    for (const seq of [101, 150, 299]) expect(seqAt(range, fractionOf(range, seq))).toBe(seq);
  });

  it('draws density without markers while the marks are not counted yet', () => {
    const bare: ThreadOverview = { ...overview(1, 10, [10, 4]), buckets: { events: [10, 4], messages: [9, 3], errors: null, tool_errors: null } };
    expect(columnsOf(bare, 2)).toEqual([
      { events: 10, messages: 9, errors: 0, toolErrors: 0 },
      { events: 4, messages: 3, errors: 0, toolErrors: 0 },
    ]);
  });

  it('has no range for a thread without events', () => {
    expect(rangeOf({ first_seq: null, last_seq: null, bucket_seqs: 1, buckets: { events: [], messages: [], errors: [], tool_errors: [] } })).toBeNull();
    expect(columnsOf({ first_seq: null, last_seq: null, bucket_seqs: 1, buckets: { events: [], messages: [], errors: [], tool_errors: [] } }, 10)).toHaveLength(10);
  });

  it('sums the buckets that begin in each pixel column, keeping every error', () => {
    const counts = overview(1, 10, [5, 6, 7, 8], [0, 1, 0, 2], [1, 0, 0, 0]);
    expect(columnsOf(counts, 2)).toEqual([
      { events: 11, messages: 9, errors: 1, toolErrors: 1 },
      { events: 15, messages: 13, errors: 2, toolErrors: 0 },
    ]);
    expect(columnsOf(counts, 4).map((c) => c.events)).toEqual([5, 6, 7, 8]);
    // A last bucket cut short still lands in the strip.
    expect(columnsOf({ ...counts, last_seq: 35 }, 4).map((c) => c.events)).toEqual([5, 6, 7, 8]);
  });

  it('places each run from its first seq to the end of its last, toned by status', () => {
    const segments = runSegments([run('b', 201, 300, 'error'), run('a', 101, 200), run('c', 250, 260, 'interrupted'), { ...run('d', 1, 1), first_seq: null }], range);
    expect(segments).toEqual([
      { runId: 'a', from: 0, to: 0.5, tone: 'ok' },
      { runId: 'b', from: 0.5, to: 1, tone: 'failed' },
      { runId: 'c', from: 0.745, to: 0.8, tone: 'stopped' },
    ]);
  });

  it('draws runs a pixel apart, neighbours alternating, and runs under a pixel wide that start in one pixel as one, in the worst tone', () => {
    const wide = runSegments([run('a', 101, 200), run('b', 201, 300)], range);
    expect(runStrokes(wide, 200)).toEqual([
      { x: 0, width: 99, tone: 'ok', faint: false },
      { x: 100, width: 99, tone: 'ok', faint: true },
    ]);
    // 200 seqs over 20 pixels: ten seqs a pixel, so the runs of seqs 101-103, 104-106 and 107-110 share the first pixel.
    const narrow = runSegments([run('a', 101, 103), run('b', 104, 106, 'error'), run('c', 107, 110, 'interrupted'), run('d', 111, 300)], range);
    expect(runStrokes(narrow, 20).map(({ x, tone }) => [x, tone])).toEqual([
      [0, 'failed'],
      [1, 'ok'],
    ]);
    // A thread of 60,000 runs on a 1,400-pixel strip: about a stroke a pixel.
    const many = Array.from({ length: 60_000 }, (_, i) => run(`r${i}`, i * 30 + 1, i * 30 + 30, i === 30_000 ? 'error' : 'success'));
    const strokes = runStrokes(runSegments(many, { first: 1, last: 1_800_000 }), 1400);
    expect(strokes.length).toBeLessThanOrEqual(1400);
    expect(strokes.filter((stroke) => stroke.tone === 'failed').map((stroke) => Math.floor(stroke.x))).toEqual([700]);
  });

  it('moves like a slider: a bucket per arrow, a tenth per page, Home and End to the ends, clamped', () => {
    expect(keyTarget('ArrowRight', 150, range, 4)).toBe(154);
    expect(keyTarget('ArrowUp', 150, range, 4)).toBe(154);
    expect(keyTarget('ArrowLeft', 150, range, 4)).toBe(146);
    expect(keyTarget('ArrowDown', 150, range, 4)).toBe(146);
    expect(keyTarget('PageUp', 150, range, 4)).toBe(170);
    expect(keyTarget('PageDown', 150, range, 4)).toBe(130);
    expect(keyTarget('PageDown', 110, range, 4)).toBe(101);
    expect(keyTarget('ArrowRight', 299, range, 4)).toBe(300);
    expect(keyTarget('Home', 150, range, 4)).toBe(101);
    expect(keyTarget('End', 150, range, 4)).toBe(300);
    expect(keyTarget('Enter', 150, range, 4)).toBeNull();
    // A page is never less than a bucket.
    expect(keyTarget('PageUp', 150, range, 40)).toBe(190);
  });

  it('names the position for a screen reader', () => {
    expect(valueText(12_345, { first: 1, last: 200_000 })).toBe('seq 12,345 of 1–200,000');
  });

  it('tells its listeners of a new visible window only when it changed', () => {
    const visible = new VisibleWindow();
    let told = 0;
    const stop = visible.subscribe(() => told++);
    visible.set({ first: 1, last: 5 });
    visible.set({ first: 1, last: 5 });
    visible.set(null);
    expect([told, visible.get()]).toEqual([2, null]);
    stop();
    visible.set({ first: 2, last: 3 });
    expect(told).toBe(2);
  });

  describe('estimated from the runs list while the store counts', () => {
    const withMessages = (summary: RunSummary, message_count: number): RunSummary => ({ ...summary, message_count });

    it('puts each run in the buckets the store counts into, over the runs\' whole seq range, without marks', () => {
      // Seqs 1-30 in 3 buckets of 10, as bucketing() cuts them; the middle ten seqs belong to a deleted run.
      const estimate = estimatedOverview([withMessages(run('a', 1, 10), 2), withMessages(run('b', 21, 30), 4)], 3);
      expect(estimate).toEqual({ first_seq: 1, last_seq: 30, bucket_seqs: 10, buckets: { events: [10, 0, 10], messages: [2, 0, 4], errors: null, tool_errors: null } });
    });

    it('spreads a run over the buckets its seqs cross, in proportion, keeping every event and message', () => {
      const estimate = estimatedOverview([withMessages(run('long', 1, 20), 8), withMessages(run('short', 21, 22), 2)], 11)!;
      expect(estimate.bucket_seqs).toBe(2);
      expect(estimate.buckets.events).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
      expect(estimate.buckets.messages.slice(0, 10).every((n) => Math.abs(n - 0.8) < 1e-9)).toBe(true);
      expect(estimate.buckets.messages[10]).toBe(2);
      // A run that starts and ends inside buckets (seqs 4-9 over buckets of 2 from seq 1) gives each its overlap.
      expect(estimatedOverview([run('a', 1, 3), run('b', 4, 9)], 5)!.buckets.events).toEqual([2, 2, 2, 2, 1]);
    });

    it('is the whole order of a hundred thousand runs without overflowing, and nothing for runs without seqs', () => {
      const many = Array.from({ length: 100_000 }, (_, i) => run(`r${i}`, i * 20 + 1, i * 20 + 20));
      const estimate = estimatedOverview(many, 1000)!;
      expect([estimate.first_seq, estimate.last_seq, estimate.bucket_seqs]).toEqual([1, 2_000_000, 2000]);
      expect(estimate.buckets.events.every((n) => n === 2000)).toBe(true);
      expect(estimatedOverview([{ ...run('none', 1, 1), first_seq: null, last_seq: null }], 10)).toBeNull();
      expect(estimatedOverview([], 10)).toBeNull();
    });
  });
});
