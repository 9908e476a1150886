// Cursor paging over events already in ascending seq (memory and jsonl
// backends). The sqlite backend expresses the same rules in SQL.
import type { ListMessagesOptions, RunEvent } from '../../src-shared/types.ts';

/** The seq of the i-th of `count` items in ascending seq (events, or the JSONL index's entries). */
export type SeqAt = (i: number) => number;

/** Index of the first item whose seq is > `seq` (binary search). */
export function firstAfter(count: number, seqAt: SeqAt, seq: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seqAt(mid) <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * DESIGN.md §2 guarantee 4, as the range [start, end) of the items to
 * return: afterSeq → first `limit` after it; beforeSeq → last `limit` before
 * it; both → first `limit` of the window; neither → the latest `limit`. No
 * limit → the whole range.
 */
export function pageRange(count: number, seqAt: SeqAt, { limit, beforeSeq, afterSeq }: ListMessagesOptions): [number, number] {
  const start = afterSeq === undefined ? 0 : firstAfter(count, seqAt, afterSeq);
  const end = beforeSeq === undefined ? count : firstAfter(count, seqAt, beforeSeq - 1);
  if (end <= start) return [start, start];
  if (limit === undefined) return [start, end];
  return afterSeq !== undefined ? [start, Math.min(end, start + limit)] : [Math.max(start, end - limit), end];
}

export function pageBySeq(events: readonly RunEvent[], options: ListMessagesOptions): RunEvent[] {
  return events.slice(...pageRange(events.length, (i) => events[i].seq, options));
}

/** The first `limit` events passing `keep`, with seq > afterSeq. */
export function firstMatching(
  events: readonly RunEvent[],
  afterSeq: number | undefined,
  limit: number,
  keep: (event: RunEvent) => boolean,
): RunEvent[] {
  const out: RunEvent[] = [];
  for (let i = afterSeq === undefined ? 0 : firstAfter(events.length, (j) => events[j].seq, afterSeq); i < events.length && out.length < limit; i++) {
    if (keep(events[i])) out.push(events[i]);
  }
  return out;
}
