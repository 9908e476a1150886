import { describe, expect, it } from 'vitest';
import { trigramQuery } from './index-query.ts';

describe('trigramQuery', () => {
  it("ANDs each term's trigrams as FTS5 strings, quotes doubled", () => {
    expect(trigramQuery(['rate'])).toBe('"rat" AND "ate"');
    expect(trigramQuery(['say "hi"'])).toBe('"say" AND "ay " AND "y """ AND " ""h" AND """hi" AND "hi"""');
  });

  it('leaves out terms of fewer than three characters, counting characters, not UTF-16 units', () => {
    expect(trigramQuery(['北美', 'ab'])).toBeNull();
    expect(trigramQuery(['😀a'])).toBeNull();
    expect(trigramQuery(['北美区', 'ok'])).toBe('"北美区"');
  });

  it('takes a few trigrams spread over a long term, its first and last included', () => {
    const query = trigramQuery(['abcdefghijklmnopqrstuvwxyz'])!;
    expect(query.split(' AND ')).toEqual(['"abc"', '"fgh"', '"jkl"', '"opq"', '"stu"', '"xyz"']);
  });
});
