// The search contract (issue 10), written once and run against every
// backend through whatever engine openSearchEngine gives its source (the scan
// of the store, or the sidecar index): behaviour only, so both must pass.
// src-main/search/search-backends.test.ts calls describeSearchContract.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventInput, InspectorStore, SearchOptions, SearchResult } from '../../src-shared/types.ts';
import { JobRunner } from '../../src-main/jobs/job-runner.ts';
import { openSearchEngine } from '../../src-main/search/engine-for-source.ts';
import type { SearchEngine } from '../../src-main/search/search-engine.ts';

/** Opens (creating) the backend's store at `where`, a path that does not exist yet. */
export type OpenBackend = (where: string) => Promise<InspectorStore>;

const AT = '2026-04-04T00:49:25.123456+00:00';

const ev = (over: Partial<EventInput> = {}): EventInput => ({
  thread_id: 't1',
  run_id: 'r1',
  event_type: 'llm.ai.response',
  category: 'message',
  content: 'nothing to see',
  created_at: AT,
  ...over,
});

/** A minute after AT, `n` seconds on: distinct, ordered stamps. */
const second = (n: number) => `2026-04-04T00:50:${String(n).padStart(2, '0')}+00:00`;

/** Hits as `thread#seq`, what places an event whatever form the backend gives created_at back in. */
const keys = (result: SearchResult) => result.hits.map((hit) => `${hit.thread_id}#${hit.seq}`);

export function describeSearchContract(name: string, openBackend: OpenBackend): void {
  describe(`search contract: ${name}`, () => {
    let dir: string;
    let store: InspectorStore;
    let engine: SearchEngine;
    let jobs: JobRunner;

    /** Writes the events through the store, then brings the engine up to date as the session does after the app's own writes. */
    const seed = async (events: EventInput[]) => {
      await store.putBatch(events);
      await engine.refresh();
    };
    const search = (query: string, options: SearchOptions = {}) => engine.search(query, options);
    const found = async (query: string, options: SearchOptions = {}) => keys(await search(query, options));

    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-search-contract-'));
      store = await openBackend(path.join(dir, 'source'));
      jobs = new JobRunner({ onProgress: () => {}, onDone: () => {} });
      engine = await openSearchEngine(store, { userDataDir: path.join(dir, 'user-data'), jobs, onStatus: () => {} });
    });
    afterEach(async () => {
      await engine.close();
      await jobs.idle();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('matches events holding every term, a quoted phrase as one term', async () => {
      await seed([
        ev({ content: 'we hit the rate limit again', created_at: second(3) }),
        ev({ content: 'limit the rate of calls', created_at: second(2) }),
        ev({ content: 'the rate is fine', created_at: second(1) }),
      ]);
      expect(await found('rate limit')).toEqual(['t1#1', 't1#2']);
      expect(await found('"rate limit"')).toEqual(['t1#1']);
      expect(await found('"the rate" calls')).toEqual(['t1#2']);
      expect(await found('rate')).toEqual(['t1#1', 't1#2', 't1#3']);
      expect(await found('rate nowhere')).toEqual([]);
    });

    it('lets a phrase match any run of whitespace within one value, never across two values', async () => {
      await seed([
        ev({ content: 'the rate\t limit\nagain', created_at: second(3) }),
        ev({ content: { type: 'ai', content: ['the rate', 'limit'] }, created_at: second(2) }),
      ]);
      expect(await found('"rate limit again"')).toEqual(['t1#1']);
      expect(await found('"RATE   limit"')).toEqual(['t1#1']);
      expect(await found('rate limit')).toEqual(['t1#1', 't1#2']);
    });

    it('folds case in Latin, Greek and Cyrillic', async () => {
      await seed([
        ev({ content: 'ÉCOLE Normale', created_at: second(3) }),
        ev({ content: 'Η ΟΔΌΣ της σοφίας', created_at: second(2) }),
        ev({ content: 'Привет, МИР', created_at: second(1) }),
      ]);
      expect(await found('école NORMALE')).toEqual(['t1#1']);
      expect(await found('οδός ΣΟΦΊΑΣ')).toEqual(['t1#2']);
      expect(await found('привет мир')).toEqual(['t1#3']);
      expect(await found('ПРИВЕТ')).toEqual(['t1#3']);
    });

    it('finds CJK terms of one and two characters', async () => {
      await seed([
        ev({ content: '北美市场分析报告', created_at: second(3) }),
        ev({ content: '南美的市场', created_at: second(2) }),
        ev({ content: { type: 'ai', content: '北京' }, created_at: second(1) }),
      ]);
      expect(await found('北')).toEqual(['t1#1', 't1#3']);
      expect(await found('北美')).toEqual(['t1#1']);
      expect(await found('美')).toEqual(['t1#1', 't1#2']);
      expect(await found('市场')).toEqual(['t1#1', 't1#2']);
      expect(await found('美国')).toEqual([]);
      expect(await found('南美 市场')).toEqual(['t1#2']);
    });

    it('searches every string value of structured content and metadata, never keys, numbers or the envelope', async () => {
      await seed([
        ev({
          thread_id: 'envelopethread',
          run_id: 'enveloperun',
          event_type: 'llm.ai.response',
          category: 'message',
          content: {
            type: 'ai',
            content: [{ type: 'text', text: 'Comparing Acme' }],
            tool_calls: [{ id: 'call_XYZ', name: 'web_search', args: { query: 'borealis pricing', max_results: 5 } }],
            additional_kwargs: { reasoning_content: 'think first' },
          },
          metadata: { caller: 'lead_agent', latency_ms: 812, usage: { total_tokens: 4321 } },
        }),
      ]);
      for (const query of ['acme', 'CALL_xyz', 'web_search', '"borealis pricing"', 'think', 'lead_agent']) {
        expect(await found(query), query).toEqual(['envelopethread#1']);
      }
      const notSearched = ['tool_calls', 'max_results', 'reasoning_content', 'latency_ms', '812', '4321', 'envelopethread', 'enveloperun', 'llm.ai', 'message', '2026'];
      for (const query of notSearched) expect(await found(query), query).toEqual([]);
    });

    it('narrows to one thread or one run, and to categories and event types', async () => {
      await seed([
        ev({ thread_id: 't1', run_id: 'r1', content: 'needle one', created_at: second(6) }),
        ev({ thread_id: 't1', run_id: 'r2', event_type: 'llm.start', category: 'trace', content: 'needle two', created_at: second(5) }),
        ev({ thread_id: 't2', run_id: 'r1', event_type: 'run.error', category: 'error', content: 'needle three', created_at: second(4) }),
        ev({ thread_id: 't2', run_id: 'r1', event_type: 'llm.error', category: 'trace', content: 'needle four', created_at: second(3) }),
      ]);
      expect(await found('needle')).toEqual(['t1#1', 't1#2', 't2#1', 't2#2']);
      expect(await found('needle', { threadId: 't1' })).toEqual(['t1#1', 't1#2']);
      expect(await found('needle', { threadId: 't1', runId: 'r1' })).toEqual(['t1#1']);
      expect(await found('needle', { threadId: 't2', runId: 'r1' })).toEqual(['t2#1', 't2#2']);
      expect(await found('needle', { threadId: 'nobody' })).toEqual([]);
      expect(await found('needle', { categories: ['trace'] })).toEqual(['t1#2', 't2#2']);
      expect(await found('needle', { categories: ['error', 'message'] })).toEqual(['t1#1', 't2#1']);
      expect(await found('needle', { eventTypes: ['llm.error', 'llm.start'] })).toEqual(['t1#2', 't2#2']);
      expect(await found('needle', { categories: ['trace'], eventTypes: ['llm.error'], threadId: 't2' })).toEqual(['t2#2']);
      expect(await found('needle', { categories: ['outputs'] })).toEqual([]);
    });

    it('gives each event once, newest first: created_at as instants, then thread_id ascending, then seq descending', async () => {
      await seed([
        ev({ thread_id: 'b', content: 'tie tie tie', created_at: AT }),
        ev({ thread_id: 'b', content: { type: 'ai', content: 'tie', name: 'tie' }, created_at: AT }),
        ev({ thread_id: 'a', content: 'tie', created_at: '2026-04-04T02:49:25.123456+02:00' }),
        ev({ thread_id: 'c', content: 'tie, newest', created_at: '2026-04-04T00:49:25.123457Z' }),
        ev({ thread_id: 'a', content: 'tie, oldest', created_at: '2026-04-04T00:49:25.123455+00:00' }),
        ev({ thread_id: 'Z', content: 'tie', created_at: AT }),
      ]);
      // Code point order: 'Z' before 'a', as SQLite's BINARY collation has it (a locale's order would not).
      expect(await found('tie')).toEqual(['c#1', 'Z#1', 'a#1', 'b#2', 'b#1', 'a#2']);
    });

    it('pages with the cursor through exactly the hits of one big page, and says when there is no more', async () => {
      const events = Array.from({ length: 23 }, (_, i) =>
        ev({ thread_id: `t${i % 3}`, run_id: `r${i % 2}`, content: `page me ${i}`, created_at: second(Math.floor(i / 4)) }),
      );
      await seed([...events, ev({ content: 'not this one' })]);
      const whole = await search('page me', { limit: 500 });
      expect(whole.hits).toHaveLength(23);
      expect(whole.nextCursor).toBeNull();
      const paged: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: SearchResult = await search('page me', { limit: 5, cursor });
        expect(page.hits.length).toBe(pages < 4 ? 5 : 3);
        paged.push(...keys(page));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null);
      expect(pages).toBe(5);
      expect(paged).toEqual(keys(whole));
      expect((await search('page me', { limit: 23 })).nextCursor).toBeNull();
      expect((await search('page me')).hits).toHaveLength(23);
    });

    it('rejects a cursor that is not one as BAD_ARGUMENT naming it', async () => {
      await expect(search('x', { cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringContaining('cursor') });
    });

    it('gives a plain-text snippet of at most 300 characters holding the first match, and the envelope', async () => {
      const long = `${'lorem ipsum '.repeat(120)}the Borealis\nproject ${'dolor sit '.repeat(120)}`;
      await seed([ev({ run_id: 'r7', event_type: 'llm.end', category: 'trace', content: { type: 'ai', content: long } })]);
      const [hit] = (await search('borealis project')).hits;
      expect(hit.snippet.length).toBeLessThanOrEqual(300);
      expect(hit.snippet).toContain('Borealis');
      expect(hit.snippet).not.toContain('\n');
      expect(hit).toMatchObject({ thread_id: 't1', run_id: 'r7', seq: 1, event_type: 'llm.end', category: 'trace' });
      expect(Date.parse(hit.created_at)).toBe(Date.parse(AT));
    });

    it('reflects puts and deletes through the store once refreshed, and says the index is ready with every event', async () => {
      await seed([ev({ run_id: 'r1', content: 'keep alpha' }), ev({ run_id: 'r2', content: 'alpha' }), ev({ thread_id: 't2', content: 'alpha' })]);
      expect((await search('alpha')).index).toEqual({ state: 'ready', indexed: 3, total: 3 });
      await seed([ev({ thread_id: 't3', content: 'alpha, later', created_at: second(1) })]);
      expect(await found('alpha')).toEqual(['t3#1', 't1#2', 't1#1', 't2#1']);
      await store.deleteByRun('t1', 'r2');
      await engine.refresh();
      expect(await found('alpha')).toEqual(['t3#1', 't1#1', 't2#1']);
      await store.deleteByThread('t2');
      await engine.refresh();
      const result = await search('alpha');
      expect(keys(result)).toEqual(['t3#1', 't1#1']);
      expect(result.index).toEqual({ state: 'ready', indexed: 2, total: 2 });
    });
  });
}
