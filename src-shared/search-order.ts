// The order of search hits (issue 10), for every engine in main and for the
// page, which merges the pages of two calls: newest first — created_at
// descending, compared as instants —, then thread_id ascending in Unicode
// code point order (SQLite's BINARY collation of UTF-8 text, so an index in
// SQLite can sort the same way), then seq descending. (thread_id, seq) names
// one event, so this order is total and a cursor never skips or repeats one.
import { instantMs } from './time.ts';
import type { SearchHit } from './types.ts';

/** What places a hit in the order; a cursor holds the last hit's. */
export type HitKey = Pick<SearchHit, 'created_at' | 'thread_id' | 'seq'>;

/**
 * created_at as a number to sort by: milliseconds since the epoch (with the
 * microseconds as a fraction), so `…+02:00` and `…Z` stamps of one instant
 * are equal. A stamp that is not a date-time (JSONL keeps a missing one as
 * "") is older than every dated one.
 */
export function hitInstant(createdAt: string): number {
  const ms = instantMs(createdAt);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

/** Surrogates (U+D800–U+DFFF) encode code points above U+FFFF: moved above U+E000–U+FFFF, UTF-16 units compare as code points. */
const codePointRank = (unit: number) => (unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit);

/** Code point order (which is UTF-8 byte order), not JavaScript's UTF-16 unit order: they differ above U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const [x, y] = [a.charCodeAt(i), b.charCodeAt(i)];
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Negative when `a` comes first (is newer), positive when `b` does; 0 only for the same event. */
export function compareHits(a: HitKey, b: HitKey): number {
  return hitInstant(b.created_at) - hitInstant(a.created_at) || compareCodePoints(a.thread_id, b.thread_id) || b.seq - a.seq;
}
