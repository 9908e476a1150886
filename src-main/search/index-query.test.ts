import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CandidateReader, choosePlan, trigramQuery, type CandidateScope, type OrderKey } from './index-query.ts';
import { openSidecar, type IndexDoc } from './sidecar-file.ts';

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

describe('CandidateReader walking the order', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-index-query-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // 30,000 events, 20,000 of them with "needle": past JOIN_LIMIT, so the order is walked. Most ids grow with the
  // instant, as a source's rows are written; every 97th event has an id far from its neighbours' (a row written
  // later with an older created_at), and two threads share instants, so windows hold ids in several clusters.
  const docs: IndexDoc[] = Array.from({ length: 30_000 }, (_, i) => ({
    id: i % 97 === 0 ? 5_000_000 - i : i + 1,
    at: 1_700_000_000 + Math.floor(i / 2),
    thread_id: i % 2 === 0 ? 'ta' : 'tb',
    seq: i + 1,
    run_id: 'r1',
    category: 'message',
    event_type: 'llm.ai.response',
    text: i % 3 === 0 ? 'straw only' : `needle ${i}`,
    shortTerms: '',
  }));
  const newestFirst = (a: IndexDoc, b: IndexDoc) => b.at - a.at || a.thread_id.localeCompare(b.thread_id) || b.seq - a.seq;
  const expected = (keep: (doc: IndexDoc) => boolean) => docs.filter(keep).sort(newestFirst).map((doc) => doc.id);

  const walkAll = (reader: CandidateReader, terms: string[], scope: CandidateScope, limit: number) => {
    const ids: number[] = [];
    let steps = 0;
    for (let after: OrderKey | null = null; ; steps++) {
      const { candidates, resume } = reader.open(terms, scope)(after, limit);
      ids.push(...candidates.map((candidate) => candidate.id));
      if (resume === null) return { ids, steps };
      after = resume;
    }
  };

  it('returns every match in the order, step by step, however the ids lie', () => {
    const sidecar = openSidecar(path.join(dir, 'walk.sqlite'), 'test', dir);
    try {
      sidecar.apply(docs, []);
      const reader = new CandidateReader(sidecar.db);
      const store = walkAll(reader, ['needle'], {}, 50);
      expect(store.ids).toEqual(expected((doc) => doc.text.startsWith('needle')));
      expect(store.steps).toBeGreaterThan(20);
      const thread = walkAll(reader, ['needle'], { threadId: 'tb' }, 200);
      expect(thread.ids).toEqual(expected((doc) => doc.text.startsWith('needle') && doc.thread_id === 'tb'));
      // Two terms: each window's rows are checked for both, a term found in only a few of them.
      expect(walkAll(reader, ['needle', '2999'], {}, 50).ids).toEqual(expected((doc) => doc.text.startsWith('needle') && doc.text.includes('2999')));
    } finally {
      sidecar.close();
    }
  });
});
