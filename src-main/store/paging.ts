// Cursor paging over events already in ascending seq (memory and jsonl
// backends). The sqlite backend expresses the same rules in SQL.
import type { ListMessagesOptions, RunEvent } from '../../src-shared/types.ts';

/** Index of the first event whose seq is > `seq` (binary search). */
function firstAfter(events: readonly RunEvent[], seq: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid].seq <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * DESIGN.md §2 guarantee 4: afterSeq → first `limit` after it; beforeSeq →
 * last `limit` before it; both → first `limit` of the window; neither → the
 * latest `limit`. No limit → the whole range.
 */
export function pageBySeq(events: readonly RunEvent[], { limit, beforeSeq, afterSeq }: ListMessagesOptions): RunEvent[] {
  const start = afterSeq === undefined ? 0 : firstAfter(events, afterSeq);
  const end = beforeSeq === undefined ? events.length : firstAfter(events, beforeSeq - 1);
  if (end <= start) return [];
  if (limit === undefined) return events.slice(start, end);
  return afterSeq !== undefined ? events.slice(start, Math.min(end, start + limit)) : events.slice(Math.max(start, end - limit), end);
}

/** The first `limit` events passing `keep`, with seq > afterSeq. */
export function firstMatching(
  events: readonly RunEvent[],
  afterSeq: number | undefined,
  limit: number,
  keep: (event: RunEvent) => boolean,
): RunEvent[] {
  const out: RunEvent[] = [];
  for (let i = afterSeq === undefined ? 0 : firstAfter(events, afterSeq); i < events.length && out.length < limit; i++) {
    if (keep(events[i])) out.push(events[i]);
  }
  return out;
}
