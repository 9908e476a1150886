import { describe, expect, it } from 'vitest';
import { describeValue } from './value-summary.ts';

describe('describeValue', () => {
  it('counts items and keys, one in the singular', () => {
    expect(describeValue(['a'])).toBe('array · 1 item');
    expect(describeValue([1, 2, 3])).toBe('array · 3 items');
    expect(describeValue({ a: 1 })).toBe('object · 1 key');
    expect(describeValue({})).toBe('object · 0 keys');
  });

  it('sizes strings in bytes and names the other kinds', () => {
    expect(describeValue('héllo')).toBe('string · 6 B');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(3)).toBe('number');
  });
});
