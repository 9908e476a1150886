// The index engine's answers to one- and two-character CJK terms, from the
// sidecar's short-term table (short-terms.ts), and a newer search
// superseding an older one still reading events (search-supersession.ts).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allHits as allPages, useIndexEngineFixture } from '../../test/support/index-engine-fixture.ts';
import type { EventInput, InspectorStore, SearchOptions, SearchResult } from '../../src-shared/types.ts';
import { generateEvents } from '../generator/generate.ts';
import { writeSqliteStore } from '../generator/write-store.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { openScanEngine } from './scan-engine.ts';
import type { SearchEngine } from './search-engine.ts';

const fx = useIndexEngineFixture('ri-short-terms-');
const { kept, indexEngine } = fx;
const allHits = (engine: SearchEngine, query: string, options: SearchOptions = {}, limit = 23) => allPages(engine, query, options, limit);

const event = (thread: string, content: EventInput['content'], over: Partial<EventInput> = {}): EventInput => ({
  thread_id: thread,
  run_id: 'r1',
  event_type: 'llm.ai.response',
  category: 'message',
  content,
  ...over,
});

/** The store, with how many events the engine has read from it. */
function countingReads(store: InspectorStore, onRead: () => Promise<void> | void = () => {}): { store: InspectorStore; reads: () => number } {
  let reads = 0;
  const counted = new Proxy(store, {
    get(target, name) {
      if (name === 'getEvent') {
        return async (...args: Parameters<InspectorStore['getEvent']>) => {
          reads++;
          await onRead();
          return target.getEvent(...args);
        };
      }
      const value: unknown = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: counted, reads: () => reads };
}

/** Events with no CJK and no "zq": what a walk reads through without a hit. */
const filler = (count: number, thread = 'filler') => Array.from({ length: count }, (_, i) => event(thread, `plain english answer number ${i}`));

describe('short CJK terms through the short-term table', () => {
  it('answers one and two characters, alone, together and beside long terms, in any scope and filter, exactly as the scan does', async () => {
    const file = path.join(fx.dir, 'cjk.db');
    await writeSqliteStore(file, generateEvents({ seed: 5, threads: 3, totalEvents: 600 }), []);
    const store = kept(openSqliteStore(file, { create: false }));
    await store.putBatch([
      event('cjk', '北美的价格'),
      event('cjk', { text: '北', note: ['美'] }, { run_id: 'r2' }),
      event('cjk', 'ラーメン 한국어 𠀋 rate limit', { category: 'trace', event_type: 'llm.tool.result' }),
      event('cjk', '价格北美', { category: 'error', event_type: 'llm.error' }),
      event('other', '北美区 pricing'),
      // 晴 only ever ends a run (a unigram, no bigram starts with it); 雨 only ever sits inside one (in bigrams only).
      event('weather', '天晴 and 大雨天'),
      event('weather', { note: '快晴', more: '雨季' }),
    ]);
    const index = await indexEngine(store);
    const scan = openScanEngine(store);
    const cases: [string, SearchOptions][] = [
      ['北', {}],
      ['北美', {}],
      ['北 美', {}],
      ['格北', {}],
      ['析', {}],
      ['分析 the', {}],
      ['北美区 北', {}],
      ['晴', {}],
      ['雨', {}],
      ['晴 雨', {}],
      ['雨', { threadId: 'weather' }],
      ['ー', {}],
      ['ラー 한', {}],
      ['𠀋', {}],
      ['"rate limit" ン', {}],
      ['北', { threadId: 'cjk' }],
      ['北', { threadId: 'cjk', runId: 'r2' }],
      ['北美', { categories: ['error', 'message'] }],
      ['价', { eventTypes: ['llm.error'] }],
    ];
    for (const [query, options] of cases) {
      const expected = await allHits(scan, query, options, 500);
      expect(expected.length, `${query} has hits`).toBeGreaterThan(0);
      expect(await allHits(index, query, options), `${query} ${JSON.stringify(options)}`).toEqual(expected);
    }
    // A value's last character and the next one's first make no bigram: 北 and 美 above are two strings.
    expect(await allHits(index, '北美', { threadId: 'cjk', runId: 'r2' })).toEqual([]);
  });

  it('answers a rare one-character term store-wide reading its few events, not every event', async () => {
    const file = path.join(fx.dir, 'rare.db');
    const source = kept(openSqliteStore(file, { create: true }));
    await source.putBatch([...filler(3000), event('rare', '请看这张截图'), ...filler(500, 'later')]);
    const { store, reads } = countingReads(source);
    const engine = await indexEngine(store);
    const { hits } = await engine.search('截', {});
    expect(hits.map((hit) => `${hit.thread_id}#${hit.seq}`)).toEqual(['rare#1']);
    expect(reads()).toBe(1);
  });
});

describe('a newer search through the same engine', () => {
  /** An engine whose store, at the 100th event read, starts `newer` and holds that read until `newer` reads too. */
  async function withNewerSearchMidway(newer: (engine: SearchEngine) => Promise<SearchResult>) {
    const file = path.join(fx.dir, 'walk.db');
    const source = kept(openSqliteStore(file, { create: true }));
    await source.putBatch([...filler(3000), event('news', 'borealis, zq in error', { category: 'error' })]);
    let engine: SearchEngine | undefined;
    let newerResult: Promise<SearchResult> | undefined;
    let newerRead: (() => void) | undefined;
    const counting = countingReads(source, async () => {
      if (!engine) return;
      if (counting.reads() === 100) {
        const newerHasRead = new Promise<void>((resolve) => (newerRead = resolve));
        newerResult = newer(engine);
        await newerHasRead;
      } else if (counting.reads() > 100) newerRead?.();
    });
    engine = await indexEngine(counting.store);
    return { engine, reads: counting.reads, newerResult: () => newerResult! };
  }

  it('supersedes an older one still reading events: it stops at its next check with CANCELLED', async () => {
    const { engine, reads, newerResult } = await withNewerSearchMidway((engine) => engine.search('borealis', {}));
    // "zq": no trigram, not CJK: a walk through every event.
    await expect(engine.search('zq', {})).rejects.toMatchObject({ code: 'CANCELLED' });
    expect((await newerResult()).hits.map((hit) => hit.thread_id)).toEqual(['news']);
    // The walk's first two chunks at most (64 and 256 candidates), not 3,001 events.
    expect(reads()).toBeLessThan(400);
  });

  it('leaves one asking the same query and scope under other filters to finish (errors only is two such searches)', async () => {
    const { engine, reads, newerResult } = await withNewerSearchMidway((engine) => engine.search('zq', { categories: ['error'] }));
    expect((await engine.search('zq', { eventTypes: ['llm.ai.response'] })).hits.map((hit) => hit.thread_id)).toEqual(['news']);
    expect((await newerResult()).hits.map((hit) => hit.thread_id)).toEqual(['news']);
    expect(reads()).toBe(3001 + 1);
  });
});
