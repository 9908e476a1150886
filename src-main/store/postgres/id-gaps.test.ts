// The ids the PostgreSQL follower has seen: a row committed after a higher
// id was seen fills its gap; a gap is let go when old, or when too many.
import { describe, expect, it } from 'vitest';
import { IdGaps } from './id-gaps.ts';

const RULES = { keepMs: 1_000, most: 10 };
const spans = (ids: IdGaps) => ids.gaps.map((gap) => [gap.first, gap.last]);

describe('IdGaps', () => {
  it('keeps the ids a look did not find below what it read up to as gaps', () => {
    const ids = new IdGaps(10).after([11, 12, 15, 18], 18, 0, RULES);
    expect(ids.top).toBe(18);
    expect(spans(ids)).toEqual([
      [13, 14],
      [16, 17],
    ]);
    expect(ids.bounds).toEqual({ firsts: [13, 16], lasts: [14, 17] });
  });

  it('fills a gap with the rows committed late, keeping the rest of it from when it was first seen', () => {
    const first = new IdGaps(0).after([1, 6], 6, 0, RULES);
    expect(spans(first)).toEqual([[2, 5]]);
    const later = first.after([3, 7], 7, 500, RULES);
    expect(later.top).toBe(7);
    expect(later.gaps).toEqual([
      { first: 2, last: 2, since: 0 },
      { first: 4, last: 5, since: 0 },
    ]);
    expect(spans(later.after([2, 4, 5], 7, 600, RULES))).toEqual([]);
  });

  it('lets go of a gap older than keepMs (a rolled-back insert)', () => {
    const ids = new IdGaps(0).after([1, 4], 4, 0, RULES);
    expect(spans(ids.after([], 4, 1_000, RULES))).toEqual([[2, 3]]);
    expect(spans(ids.after([], 4, 1_001, RULES))).toEqual([]);
  });

  it('keeps the youngest gaps when there are too many', () => {
    let ids = new IdGaps(0);
    // A gap at every other id, one look per gap, each a millisecond later than the last.
    for (let at = 0; at < 15; at++) ids = ids.after([2 * at + 2], 2 * at + 2, at, RULES);
    expect(ids.gaps.length).toBe(RULES.most);
    expect(ids.gaps.map((gap) => gap.first)).toEqual([11, 13, 15, 17, 19, 21, 23, 25, 27, 29]);
  });

  it('reads nothing new when the look found nothing above the top', () => {
    const ids = new IdGaps(5).after([], 5, 0, RULES);
    expect(ids.top).toBe(5);
    expect(ids.gaps).toEqual([]);
  });
});
