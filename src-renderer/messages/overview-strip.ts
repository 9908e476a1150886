// The overview strip's model apart from React and the canvas: where a seq sits
// along the strip and back, what each pixel column of it shows (the buckets it
// covers, summed), where each run lies, and where the keys move to.
import { bucketing, bucketOf } from '../../src-shared/overview-buckets.ts';
import { isFailedStatus, isStoppedStatus } from '../../src-shared/run-status.ts';
import type { RunSummary, ThreadOverview } from '../../src-shared/types.ts';
import { formatCount } from '../common/format.ts';

/** Buckets asked for: about one a pixel column of a wide strip, and always the same count so the store's cached answer is reused. */
export const OVERVIEW_BUCKETS = 1_000;

/** The seq range an overview covers (first ≤ last), or null for a thread without events. */
export interface SeqRange {
  first: number;
  last: number;
}

export const rangeOf = (overview: ThreadOverview): SeqRange | null =>
  overview.first_seq === null || overview.last_seq === null ? null : { first: overview.first_seq, last: overview.last_seq };

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** Where along the strip (0 at its start, 1 at its end) a seq begins. */
export const fractionOf = ({ first, last }: SeqRange, seq: number): number => clamp((seq - first) / (last - first + 1), 0, 1);

/** The seq at a point along the strip (0–1). */
export const seqAt = ({ first, last }: SeqRange, fraction: number): number =>
  clamp(first + Math.floor(clamp(fraction, 0, 1) * (last - first + 1)), first, last);

/** What one pixel column shows: the sums of the buckets that begin in it. */
export interface Column {
  events: number;
  messages: number;
  errors: number;
  toolErrors: number;
}

/** The strip `width` columns wide: each bucket is added to the column its first seq falls in. */
export function columnsOf(overview: ThreadOverview, width: number): Column[] {
  const range = rangeOf(overview);
  const columns = Array.from({ length: Math.max(0, Math.floor(width)) }, (): Column => ({ events: 0, messages: 0, errors: 0, toolErrors: 0 }));
  if (!range || columns.length === 0) return columns;
  const { events, messages, errors, tool_errors } = overview.buckets;
  for (let i = 0; i < events.length; i++) {
    const x = Math.min(columns.length - 1, Math.floor(fractionOf(range, range.first + i * overview.bucket_seqs) * columns.length));
    columns[x].events += events[i];
    columns[x].messages += messages[i];
    // Without marks (the first, faster count) the markers wait for the second.
    columns[x].errors += errors?.[i] ?? 0;
    columns[x].toolErrors += tool_errors?.[i] ?? 0;
  }
  return columns;
}

/**
 * The strip's picture while the store counts the thread (about a second for
 * 2,000,000 events), from the runs list the thread view already has: each
 * run's events and messages spread evenly over its seq range, in the buckets
 * the store counts into, without marks. Runs of a few dozen events each make
 * it nearly the counted picture; null without a run that has seqs.
 */
export function estimatedOverview(runs: Iterable<RunSummary>, buckets: number): ThreadOverview | null {
  // Two plain loops over the runs, no copies: a big thread has some 60,000 of them.
  let first = Infinity;
  let last = -Infinity;
  for (const run of runs) {
    if (run.first_seq == null || run.last_seq == null) continue;
    first = Math.min(first, run.first_seq);
    last = Math.max(last, run.last_seq);
  }
  if (first > last) return null;
  const cut = bucketing(first, last, buckets);
  const events = new Array<number>(cut.count).fill(0);
  const messages = new Array<number>(cut.count).fill(0);
  for (const run of runs) {
    const { first_seq: from, last_seq: to } = run;
    if (from == null || to == null) continue;
    for (let bucket = bucketOf(cut, from), end = bucketOf(cut, to); bucket <= end; bucket++) {
      const start = cut.first + bucket * cut.width;
      const share = (Math.min(to, start + cut.width - 1) - Math.max(from, start) + 1) / (to - from + 1);
      events[bucket] += run.event_count * share;
      messages[bucket] += run.message_count * share;
    }
  }
  return { first_seq: cut.first, last_seq: cut.last, bucket_seqs: cut.width, buckets: { events, messages, errors: null, tool_errors: null } };
}

export type RunTone = 'failed' | 'stopped' | 'ok';

/** A run's stretch of the strip, from its first seq to the end of its last. */
export interface RunSegment {
  runId: string;
  from: number;
  to: number;
  tone: RunTone;
}

export function runSegments(runs: Iterable<RunSummary>, range: SeqRange): RunSegment[] {
  const segments: RunSegment[] = [];
  for (const run of runs) {
    if (run.first_seq == null || run.last_seq == null) continue;
    const tone: RunTone = isFailedStatus(run.status) ? 'failed' : isStoppedStatus(run.status) ? 'stopped' : 'ok';
    segments.push({ runId: run.run_id, from: fractionOf(range, run.first_seq), to: fractionOf(range, run.last_seq + 1), tone });
  }
  return segments.sort((a, b) => a.from - b.from);
}

/** A rectangle of the runs row, in pixels from the strip's left. */
export interface RunStroke {
  x: number;
  width: number;
  tone: RunTone;
  /** Drawn fainter than its neighbours, so that each run is seen as one. */
  faint: boolean;
}

const TONE_RANK: Record<RunTone, number> = { ok: 0, stopped: 1, failed: 2 };

/**
 * The runs row `width` pixels wide: a segment a pixel apart from the next (a
 * pixel's gap between runs); runs narrower than a pixel that start in the same
 * one are drawn as one pixel, in the worst tone among them, so a thread of
 * 60,000 runs is some thousand rectangles, not 60,000.
 */
export function runStrokes(segments: readonly RunSegment[], width: number): RunStroke[] {
  const strokes: RunStroke[] = [];
  let narrowAt = -1;
  for (const segment of segments) {
    const x = segment.from * width;
    const span = (segment.to - segment.from) * width;
    const last = strokes[strokes.length - 1];
    if (span < 1 && last && Math.floor(x) === narrowAt) {
      if (TONE_RANK[segment.tone] > TONE_RANK[last.tone]) last.tone = segment.tone;
      continue;
    }
    narrowAt = span < 1 ? Math.floor(x) : -1;
    strokes.push({ x, width: Math.max(1, span - 1), tone: segment.tone, faint: segment.tone === 'ok' && strokes.length % 2 === 1 });
  }
  return strokes;
}

/** Where a key moves the strip's seq (a slider's keys: Up and PageUp go later): a bucket a step, a tenth of the thread a page; null for other keys. */
export function keyTarget(key: string, seq: number, range: SeqRange, bucketSeqs: number): number | null {
  const page = Math.max(bucketSeqs, Math.ceil((range.last - range.first + 1) / 10));
  const steps: Record<string, number> = { ArrowLeft: -bucketSeqs, ArrowDown: -bucketSeqs, ArrowRight: bucketSeqs, ArrowUp: bucketSeqs, PageDown: -page, PageUp: page };
  if (key === 'Home') return range.first;
  if (key === 'End') return range.last;
  if (!(key in steps)) return null;
  return clamp(seq + steps[key], range.first, range.last);
}

/**
 * The seq range of the timeline's visible messages, told by its viewport as it
 * scrolls and read by the strip alone, so a scroll never re-renders the timeline.
 */
export class VisibleWindow {
  private range: SeqRange | null = null;
  private readonly listeners = new Set<() => void>();

  readonly get = (): SeqRange | null => this.range;

  readonly set = (range: SeqRange | null): void => {
    if (range?.first === this.range?.first && range?.last === this.range?.last) return;
    this.range = range;
    for (const listener of this.listeners) listener();
  };

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

/** What a screen reader says of the strip's position. */
export const valueText = (seq: number, range: SeqRange): string => `seq ${formatCount(seq)} of ${formatCount(range.first)}–${formatCount(range.last)}`;
