import { describe, expect, it } from 'vitest';
import { choosePlan, trigramQuery } from './index-query.ts';

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

describe('choosePlan', () => {
  it('drives from the table matching fewest events and joins the other as one set, never probing it per row (lead_agent 分析)', () => {
    // The counts of the 21,000-event generated JSONL store: probing either table per row took some 13 s for the 69 pages.
    expect(choosePlan({ fts: 6640, short_terms: 8146 })).toEqual({ drive: 'fts', join: ['short_terms'], probe: [] });
    expect(choosePlan({ fts: 8146, short_terms: 6640 })).toEqual({ drive: 'short_terms', join: ['fts'], probe: [] });
    expect(choosePlan({ fts: 19_999, short_terms: 20_000 })).toEqual({ drive: 'fts', join: ['short_terms'], probe: [] });
  });

  it('probes per row only a table matching hundreds of times more events than the few that drive', () => {
    expect(choosePlan({ fts: 20_000, short_terms: 3 })).toEqual({ drive: 'short_terms', join: [], probe: ['fts'] });
    expect(choosePlan({ fts: 20_000, short_terms: 300 })).toEqual({ drive: 'short_terms', join: ['fts'], probe: [] });
  });

  it('walks the order, probing each table, when every one matches JOIN_LIMIT events or more; one table drives alone', () => {
    expect(choosePlan({ fts: 20_000, short_terms: 20_000 })).toEqual({ drive: null, join: [], probe: ['fts', 'short_terms'] });
    expect(choosePlan({ fts: 20_000 })).toEqual({ drive: null, join: [], probe: ['fts'] });
    expect(choosePlan({ short_terms: 12 })).toEqual({ drive: 'short_terms', join: [], probe: [] });
    expect(choosePlan({})).toEqual({ drive: null, join: [], probe: [] });
  });
});
