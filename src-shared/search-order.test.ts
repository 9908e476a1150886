import { describe, expect, it } from 'vitest';
import { compareCodePoints, compareHits, type HitKey } from './search-order.ts';

const key = (created_at: string, thread_id = 't1', seq = 1): HitKey => ({ created_at, thread_id, seq });

describe('compareHits', () => {
  it('puts the newest first, comparing instants whatever the stamp form', () => {
    const hits = [
      key('2026-04-04T00:00:00+00:00', 'a'),
      key('2026-04-04T01:59:59.999999+02:00', 'b'),
      key('2026-04-04T00:00:00.000001Z', 'c'),
      key('2026-04-03T23:59:59+00:00', 'd'),
    ];
    expect(hits.sort(compareHits).map((hit) => hit.thread_id)).toEqual(['c', 'a', 'b', 'd']);
  });

  it('breaks a tie of instants by thread_id ascending, then seq descending', () => {
    const at = '2026-04-04T00:00:00+00:00';
    const sameInstant = '2026-04-04T02:00:00+02:00';
    const hits = [key(at, 'b', 1), key(sameInstant, 'a', 2), key(at, 'a', 9), key(at, 'b', 3)];
    expect(hits.sort(compareHits).map((hit) => `${hit.thread_id}${hit.seq}`)).toEqual(['a9', 'a2', 'b3', 'b1']);
  });

  it('puts a stamp that is not a date-time after every dated one', () => {
    const hits = [key('', 'a'), key('yesterday', 'b'), key('1970-01-01T00:00:00+00:00', 'c')];
    expect(hits.sort(compareHits).map((hit) => hit.thread_id)).toEqual(['c', 'a', 'b']);
  });

  it('is 0 only for the same event', () => {
    expect(compareHits(key('x', 't', 2), key('x', 't', 2))).toBe(0);
    expect(compareHits(key('x', 't', 2), key('x', 't', 3))).toBeGreaterThan(0);
  });
});

describe('compareCodePoints', () => {
  it('orders as UTF-8 bytes do (SQLite BINARY), where UTF-16 units would put U+FF5E after an emoji', () => {
    const ids = ['～', '😀', 'z', 'Z', 'é'];
    const byBytes = [...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect([...ids].sort(compareCodePoints)).toEqual(byBytes);
    expect(byBytes).toEqual(['Z', 'z', 'é', '～', '😀']);
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0);
  });
});
