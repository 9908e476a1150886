import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { allHits as allPages, useIndexEngineFixture } from '../../test/support/index-engine-fixture.ts';
import { StoreError } from '../../src-shared/errors.ts';
import type { EventInput, SearchIndexStatus, SearchOptions, SearchResult } from '../../src-shared/types.ts';
import { createVintageDatabase, execSql, type RawEvent } from '../../test/support/deerflow-databases.ts';
import { generateEvents, planThreads, type GenerateOptions } from '../generator/generate.ts';
import { writeJsonlLayout, writeSqliteStore } from '../generator/write-store.ts';
import { openJsonlExport, openJsonlStore } from '../store/jsonl/jsonl-store.ts';
import { runFile } from '../store/jsonl/layout.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { openIndexEngine } from './index-engine.ts';
import { openScanEngine } from './scan-engine.ts';
import type { SearchEngine } from './search-engine.ts';
import { removeSidecar } from './sidecar-file.ts';
import { SIDECAR_SUFFIX, USER_DATA_SUBFOLDER } from './sidecar-location.ts';

const GENERATED: GenerateOptions = { seed: 11, threads: 4, totalEvents: 1200, bigThreadEvents: 500 };

const fx = useIndexEngineFixture('ri-index-engine-');
const { kept, indexEngine } = fx;
const allHits = (engine: SearchEngine, query: string, options: SearchOptions = {}, limit = 37) => allPages(engine, query, options, limit);

const keys = (hits: SearchResult['hits']) => hits.map((hit) => `${hit.thread_id}#${hit.seq}`);
const found = async (engine: SearchEngine, query: string, options?: SearchOptions) => keys(await allHits(engine, query, options));

const STAMP = '2026-04-04 00:49:25.123456';
const raw = (seq: number, content: string, thread = 't1'): RawEvent => ({
  thread_id: thread,
  run_id: 'r1',
  event_type: 'llm.ai.response',
  category: 'message',
  content,
  event_metadata: '{}',
  seq,
  created_at: STAMP.replace('25.', `${String(10 + seq).slice(-2)}.`),
});

/** Another process's commit: DeerFlow's own insert of one newer event. */
const insertFromElsewhere = (file: string) =>
  execSql(
    file,
    `INSERT INTO run_events (thread_id, run_id, event_type, category, content, event_metadata, seq, created_at)
     VALUES ('t9', 'r9', 'llm.ai.response', 'message', 'borealis from elsewhere', '{}', 1, '2030-01-01 00:00:00.000000')`,
  );
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('index engine on a generated store', () => {
  it('answers every query, scope and filter exactly as the scan of the store does, page by page', async () => {
    const file = path.join(fx.dir, 'generated.db');
    await writeSqliteStore(file, generateEvents(GENERATED), []);
    const store = kept(openSqliteStore(file, { create: false }));
    const index = await indexEngine(store);
    const scan = openScanEngine(store);
    const [big] = planThreads(GENERATED);
    const [run] = await store.listRuns(big.thread_id);
    const [chinese] = await allHits(scan, '分析', {}, 1);
    const cases: [string, SearchOptions][] = [
      ['lead_agent', {}],
      ['分析', {}],
      ['析', {}],
      ['分析', { threadId: chinese.thread_id }],
      ['failed', {}],
      ['"rate limit"', {}],
      ['web_search 分析', {}],
      ['error', { categories: ['error', 'trace'] }],
      ['the', { eventTypes: ['llm.tool.result'] }],
      ['the', { threadId: big.thread_id, runId: run.run_id }],
    ];
    for (const [query, options] of cases) {
      // One page of the scan reads every event: its pages are big.
      const expected = await allHits(scan, query, options, 500);
      expect(expected.length, `${query} has hits in the generated store`).toBeGreaterThan(0);
      expect(await allHits(index, query, options), `${query} ${JSON.stringify(options)}`).toEqual(expected);
    }
  });
});

describe('index engine: incremental updates of a SQLite source', () => {
  let file: string;
  let store: ReturnType<typeof openSqliteStore>;
  let engine: SearchEngine;
  const ev = (content: string, over: Partial<EventInput> = {}): EventInput => ({
    thread_id: 't1',
    run_id: 'r1',
    event_type: 'llm.ai.response',
    category: 'message',
    content,
    ...over,
  });

  beforeEach(async () => {
    file = path.join(fx.dir, 'live.db');
    store = kept(openSqliteStore(file, { create: true }));
    await store.putBatch([ev('borealis pricing'), ev('aurora forecast'), ev('borealis again', { thread_id: 't2' })]);
    engine = await indexEngine(store);
  });

  it('adds what the app puts and removes what it deletes', async () => {
    expect(await found(engine, 'borealis')).toEqual(['t2#1', 't1#1']);
    await store.put(ev('borealis arrives late', { thread_id: 't3' }));
    await engine.refresh();
    expect(await found(engine, 'borealis')).toEqual(['t3#1', 't2#1', 't1#1']);
    await store.deleteByThread('t2');
    await engine.refresh();
    expect(await found(engine, 'borealis')).toEqual(['t3#1', 't1#1']);
    expect(engine.status()).toEqual({ state: 'ready', indexed: 3, total: 3 });
  });

  it("catches up with another process's commit before a search, with no refresh asked", async () => {
    insertFromElsewhere(file);
    expect(await found(engine, 'borealis')).toEqual(['t9#1', 't2#1', 't1#1']);
    execSql(file, "DELETE FROM run_events WHERE thread_id = 't1'");
    expect(await found(engine, 'borealis')).toEqual(['t9#1', 't2#1']);
    expect(engine.status()).toEqual({ state: 'ready', indexed: 2, total: 2 });
  });

  it("sees another process's inserts and deletes, a deleted row's id taken again by a new row included", async () => {
    insertFromElsewhere(file);
    await engine.refresh();
    expect((await found(engine, 'borealis'))[0]).toBe('t9#1');
    // The newest row goes, and the next one reuses its id (INTEGER PRIMARY KEY without AUTOINCREMENT).
    execSql(file, "DELETE FROM run_events WHERE thread_id = 't9'; DELETE FROM run_events WHERE thread_id = 't2'");
    execSql(
      file,
      `INSERT INTO run_events (thread_id, run_id, event_type, category, content, event_metadata, seq, created_at)
       VALUES ('t8', 'r8', 'llm.ai.response', 'message', 'aurora from elsewhere', '{}', 1, '2030-01-01 00:00:00.000000')`,
    );
    await engine.refresh();
    expect(await found(engine, 'borealis')).toEqual(['t1#1']);
    expect(await found(engine, 'aurora')).toEqual(['t8#1', 't1#2']);
    expect(engine.status()).toMatchObject({ state: 'ready', indexed: 3 });
  });

  it("goes on adding the app's events after the worker caught up (another process's delete), in runs the worker indexed", async () => {
    insertFromElsewhere(file);
    execSql(file, "DELETE FROM run_events WHERE thread_id = 't2'"); // a delete: the worker catches up
    expect(await found(engine, 'borealis')).toEqual(['t9#1', 't1#1']);
    await store.put(ev('borealis, the app again', { thread_id: 't9', run_id: 'r9' }));
    await engine.refresh();
    // The other process's event is stamped 2030: the newer.
    expect(await found(engine, 'borealis', { threadId: 't9', runId: 'r9' })).toEqual(['t9#1', 't9#2']);
    expect(engine.status()).toEqual({ state: 'ready', indexed: 4, total: 4 });
  });

  it('says building only for a backlog of more than one batch, not for a new event', async () => {
    const statuses: SearchIndexStatus[] = [];
    const watched = await indexEngine(store, (status) => statuses.push(status));
    statuses.splice(0);
    await store.put(ev('borealis once more'));
    await watched.refresh();
    expect(statuses).toEqual([{ state: 'ready', indexed: 4, total: 4 }]);
    statuses.splice(0);
    await store.putBatch(Array.from({ length: 1200 }, (_, i) => ev(`event ${i}`)));
    await watched.refresh();
    expect(statuses.filter((status) => status.state === 'building')).toEqual([
      { state: 'building', indexed: 504, total: 1204 },
      { state: 'building', indexed: 1004, total: 1204 },
    ]);
    expect(statuses.at(-1)).toEqual({ state: 'ready', indexed: 1204, total: 1204 });
  });

  it('tries a failed sync again at the next search, which answers with its error until then; the status does not stay building', async () => {
    const statuses: SearchIndexStatus[] = [];
    const watched = await indexEngine(store, (status) => statuses.push(status));
    vi.spyOn(fx.jobs, 'runIndex').mockImplementationOnce(() => ({ done: Promise.reject(new Error('disk I/O error')), cancel: () => {} }));
    insertFromElsewhere(file);
    execSql(file, "DELETE FROM run_events WHERE thread_id = 't2'"); // a delete: the worker's to catch up with
    const failed = watched.search('borealis', {});
    await expect(failed).rejects.toBeInstanceOf(StoreError);
    await expect(failed).rejects.toMatchObject({ code: 'INTERNAL', message: 'the search index could not catch up with the source: disk I/O error' });
    expect(watched.status().state).toBe('ready');
    expect(statuses.at(-1)?.state).toBe('ready');
    expect(await found(watched, 'borealis')).toEqual(['t9#1', 't1#1']);
    expect(watched.status()).toEqual({ state: 'ready', indexed: 3, total: 3 });
  });

  it("sees another process's newest row deleted and one put in its place, the same id and seq given again, the counts unchanged", async () => {
    execSql(
      file,
      `DELETE FROM run_events WHERE thread_id = 't2';
       INSERT INTO run_events (thread_id, run_id, event_type, category, content, event_metadata, seq, created_at)
       VALUES ('t2', 'r1', 'llm.ai.response', 'message', 'zephyr in its place', '{}', 1, '2030-01-01 00:00:00.000000')`,
    );
    expect(await found(engine, 'zephyr')).toEqual(['t2#1']);
    expect(await found(engine, 'borealis')).toEqual(['t1#1']);
  });

  it('rebuilds for a file rewritten in place, and for a file replaced by another one', async () => {
    const other = path.join(fx.dir, 'other.db');
    const replacement = kept(openSqliteStore(other, { create: true }));
    await replacement.putBatch([ev('zephyr only', { thread_id: 'z1' }), ev('zephyr and borealis', { thread_id: 'z1' })]);
    await replacement.close();
    // In place: same inode, other rows, written while the app had it closed (a WAL file of open connections would outlive the copy).
    await engine.close();
    await store.close();
    fs.copyFileSync(other, file);
    const rewritten = kept(openSqliteStore(file, { create: false }));
    const again = await indexEngine(rewritten);
    expect(await found(again, 'borealis')).toEqual(['z1#2']);
    expect(await found(again, 'zephyr')).toEqual(['z1#2', 'z1#1']);
    // Replaced: a new file (another inode) renamed over it.
    const third = path.join(fx.dir, 'third.db');
    const thirdStore = kept(openSqliteStore(third, { create: true }));
    await thirdStore.put(ev('borealis, the third', { thread_id: 'x1' }));
    await thirdStore.close();
    fs.renameSync(third, file);
    const replaced = await indexEngine(kept(openSqliteStore(file, { create: false })));
    expect(await found(replaced, 'borealis')).toEqual(['x1#1']);
    expect(replaced.status()).toEqual({ state: 'ready', indexed: 1, total: 1 });
  });
});

describe('index engine: the sidecar', () => {
  it.each(['delete', 'wal'] as const)("never changes a database the app did not create (%s journal): same bytes, no journal or WAL left, the index in the user data folder", async (journal) => {
    const file = path.join(fx.dir, 'deerflow.db');
    createVintageDatabase(file, 'current', { events: [raw(1, 'borealis pricing'), raw(2, 'aurora')] }, journal);
    const before = { hash: sha256(file), entries: fs.readdirSync(fx.dir).sort() };
    const store = kept(openSqliteStore(file, { create: false }));
    const engine = await indexEngine(store);
    expect(await found(engine, 'borealis')).toEqual(['t1#1']);
    // Another process's write, in the database file itself (a WAL file would be checkpointed by whoever closes last); the hash is taken again after it.
    execSql(file, "DELETE FROM run_events WHERE seq = 1; PRAGMA wal_checkpoint(TRUNCATE)");
    const written = sha256(file);
    await engine.refresh();
    expect(await found(engine, 'borealis')).toEqual([]);
    await fx.closeKept();
    expect(sha256(file)).toBe(written);
    expect(before.hash).not.toBe(written);
    expect(fs.readdirSync(fx.dir).filter((name) => name !== 'user-data').sort()).toEqual(before.entries);
    const key = createHash('sha256').update(file).digest('hex');
    expect(fs.readdirSync(path.join(fx.userDataDir, USER_DATA_SUBFOLDER))).toContain(`${key}.sqlite`);
  });

  it('lives beside a database the app created; deleted, it is built again with the same answers', async () => {
    const file = path.join(fx.dir, 'own.db');
    const store = kept(openSqliteStore(file, { create: true }));
    await store.putBatch([{ thread_id: 't1', run_id: 'r1', event_type: 'llm.ai.response', category: 'message', content: 'borealis pricing' }]);
    const first = await indexEngine(store);
    expect(await found(first, 'borealis')).toEqual(['t1#1']);
    await first.close();
    expect(fs.existsSync(`${file}${SIDECAR_SUFFIX}`)).toBe(true);
    expect(fs.existsSync(path.join(fx.userDataDir, USER_DATA_SUBFOLDER))).toBe(false);
    removeSidecar(`${file}${SIDECAR_SUFFIX}`);
    const rebuilt = await indexEngine(store);
    expect(await found(rebuilt, 'borealis')).toEqual(['t1#1']);
  });

  it('is made again when the file there is not a database (a damaged sidecar)', async () => {
    const file = path.join(fx.dir, 'own.db');
    const store = kept(openSqliteStore(file, { create: true }));
    await store.put({ thread_id: 't1', run_id: 'r1', event_type: 'llm.ai.response', category: 'message', content: 'borealis pricing' });
    fs.writeFileSync(`${file}${SIDECAR_SUFFIX}`, 'x'.repeat(4096));
    const engine = await indexEngine(store);
    expect(await found(engine, 'borealis')).toEqual(['t1#1']);
  });

  describe('damaged after it was opened (SQLITE_CORRUPT)', () => {
    const ev = (content: string): EventInput => ({ thread_id: 't1', run_id: 'r1', event_type: 'llm.ai.response', category: 'message', content });

    /** Every page but the first overwritten; another connection's commit then makes the engine's read them again. */
    function damage(sidecarFile: string): void {
      const other = new Database(sidecarFile);
      other.pragma('wal_checkpoint(TRUNCATE)');
      const pageSize = other.pragma('page_size', { simple: true }) as number;
      const size = fs.statSync(sidecarFile).size;
      expect(size).toBeGreaterThan(pageSize * 4);
      const fd = fs.openSync(sidecarFile, 'r+');
      fs.writeSync(fd, Buffer.alloc(size - pageSize, 0xee), 0, size - pageSize, pageSize);
      fs.closeSync(fd);
      other.pragma('user_version = 7'); // writes page 1 only, into the WAL
      other.close();
    }

    let file: string;
    let store: ReturnType<typeof openSqliteStore>;
    beforeEach(async () => {
      file = path.join(fx.dir, 'own.db');
      store = kept(openSqliteStore(file, { create: true }));
      await store.putBatch([ev('borealis pricing'), ...Array.from({ length: 300 }, (_, i) => ev(`filler event ${i} 分析`)), ev('borealis again')]);
    });

    it('is made again and built when a search meets it, which then answers as before', async () => {
      const engine = await indexEngine(store);
      expect(await found(engine, 'borealis')).toEqual(['t1#302', 't1#1']);
      damage(`${file}${SIDECAR_SUFFIX}`);
      expect(await found(engine, 'borealis')).toEqual(['t1#302', 't1#1']);
      expect(await found(engine, '"event 29 分析"')).toEqual(['t1#31']);
      expect(engine.status()).toEqual({ state: 'ready', indexed: 302, total: 302 });
    });

    it('is made again and built when a sync meets it, with the new event', async () => {
      const engine = await indexEngine(store);
      damage(`${file}${SIDECAR_SUFFIX}`);
      await store.put(ev('borealis, new'));
      await engine.refresh();
      expect(engine.status()).toEqual({ state: 'ready', indexed: 303, total: 303 });
      expect(await found(engine, 'borealis')).toEqual(['t1#303', 't1#302', 't1#1']);
    });
  });

  it('of a JSONL folder lives in the user data folder, never in the layout', async () => {
    const root = path.join(fx.dir, 'layout');
    const store = kept(await openJsonlStore(root));
    await store.put({ thread_id: 't1', run_id: 'r1', event_type: 'llm.ai.response', category: 'message', content: 'borealis' });
    const engine = await indexEngine(store);
    expect(await found(engine, 'borealis')).toEqual(['t1#1']);
    const inLayout = fs.readdirSync(root, { recursive: true }).map(String);
    expect(inLayout.filter((name) => !/^threads(\/t1(\/runs(\/r1\.jsonl)?)?)?$/.test(name))).toEqual([]);
    expect(fs.readdirSync(path.join(fx.userDataDir, USER_DATA_SUBFOLDER)).filter((name) => name.endsWith('.sqlite'))).toHaveLength(1);
  });
});

describe('index engine: a JSONL export file', () => {
  it('is indexed in the user data folder, and again once the file changes', async () => {
    const file = path.join(fx.dir, 'export.jsonl');
    const line = (seq: number, text: string) =>
      `${JSON.stringify({ thread_id: 't1', run_id: 'r1', event_type: 'llm.ai.response', category: 'message', content: text, metadata: {}, seq, created_at: `2026-01-01T00:00:0${seq}+00:00` })}\n`;
    fs.writeFileSync(file, line(1, 'borealis pricing') + line(2, 'aurora'));
    const engine = await indexEngine(kept(await openJsonlExport(file)));
    expect(await found(engine, 'borealis')).toEqual(['t1#1']);
    expect(fs.readdirSync(fx.dir).sort()).toEqual(['export.jsonl', 'user-data']);
    await engine.close();
    fs.writeFileSync(file, line(1, 'aurora only'));
    const again = await indexEngine(kept(await openJsonlExport(file)));
    expect(await found(again, 'borealis')).toEqual([]);
    expect(again.status()).toEqual({ state: 'ready', indexed: 1, total: 1 });
  });
});

describe('index engine: incremental updates of a JSONL folder', () => {
  it("sees another writer's appended lines and new files, and a removed file's events go", async () => {
    const root = path.join(fx.dir, 'layout');
    writeJsonlLayout(root, generateEvents({ seed: 3, threads: 2, totalEvents: 200 }));
    const store = kept(await openJsonlStore(root, { rescanMs: 0, settleMs: 0 }));
    const engine = await indexEngine(store);
    const [thread] = await store.listThreads();
    const [run] = await store.listRuns(thread.thread_id);
    const line = (seq: number, runId: string, text: string) =>
      `${JSON.stringify({ thread_id: thread.thread_id, run_id: runId, event_type: 'llm.ai.response', category: 'message', content: text, metadata: {}, seq, created_at: '2031-01-01T00:00:00+00:00' })}\n`;
    fs.appendFileSync(runFile(root, thread.thread_id, run.run_id), line(thread.event_count + 1, run.run_id, 'zephyr appended'));
    fs.writeFileSync(runFile(root, thread.thread_id, 'new-run'), line(thread.event_count + 2, 'new-run', 'zephyr in a new file'));
    // No refresh: the search notices the files changed.
    expect(await found(engine, 'zephyr')).toEqual([`${thread.thread_id}#${thread.event_count + 2}`, `${thread.thread_id}#${thread.event_count + 1}`]);
    const indexedBefore = engine.status().indexed;
    fs.rmSync(runFile(root, thread.thread_id, 'new-run'));
    await engine.refresh();
    expect(await found(engine, 'zephyr')).toEqual([`${thread.thread_id}#${thread.event_count + 1}`]);
    expect(engine.status()).toEqual({ state: 'ready', indexed: indexedBefore - 1, total: indexedBefore - 1 });
  });
});

describe('index engine: building', () => {
  it('builds a big backlog in the worker, reporting done / total, and answers while building with what is indexed', async () => {
    const file = path.join(fx.dir, 'big.db');
    const store = kept(openSqliteStore(file, { create: true }));
    const total = 45_000; // the worker indexes 20,000 per step: two steps report progress before the end
    for (let start = 0; start < total; start += 5000) {
      await store.putBatch(
        Array.from({ length: 5000 }, (_, i) => ({
          thread_id: `t${(start + i) % 7}`,
          run_id: 'r1',
          event_type: 'llm.ai.response',
          category: 'message',
          content: (start + i) % 1000 === 0 ? 'borealis pricing' : `event ${start + i}`,
        })),
      );
    }
    const statuses: SearchIndexStatus[] = [];
    const engine = kept(await openIndexEngine(store, { userDataDir: fx.userDataDir, jobs: fx.jobs, onStatus: (status: SearchIndexStatus) => statuses.push(status) }));
    expect(engine.status().state).toBe('building');
    const whileBuilding = await engine.search('borealis', {});
    expect(whileBuilding.index.state).toBe('building');
    expect(whileBuilding.hits.length).toBeLessThanOrEqual(45);
    await engine.refresh();
    const building = statuses.filter((status) => status.state === 'building' && status.indexed > 0 && status.indexed < total);
    expect(building.length).toBeGreaterThan(1);
    expect(building.every((status) => status.total === total)).toBe(true);
    expect(building.map((status) => status.indexed)).toEqual([...building.map((status) => status.indexed)].sort((a, b) => a - b));
    expect(statuses.at(-1)).toEqual({ state: 'ready', indexed: total, total });
    expect((await engine.search('borealis', { limit: 100 })).hits).toHaveLength(45);
    // "event" is in 44,955 events, past the join plan's limit: the order index is walked and each row probed.
    const scan = openScanEngine(store);
    const firstPage = await engine.search('event 4', { limit: 60 });
    expect(firstPage).toEqual(await scan.search('event 4', { limit: 60 }));
    expect(await engine.search('event 4', { limit: 60, cursor: firstPage.nextCursor })).toEqual(await scan.search('event 4', { limit: 60, cursor: firstPage.nextCursor }));
  });

  it("builds a big JSONL folder's index in the worker, then answers as the scan does", async () => {
    const root = path.join(fx.dir, 'layout');
    const total = writeJsonlLayout(root, generateEvents({ seed: 5, threads: 3, totalEvents: 21_000 }));
    const store = kept(await openJsonlStore(root));
    const statuses: SearchIndexStatus[] = [];
    const engine = await indexEngine(store, (status) => statuses.push(status));
    // The worker reports after each 20,000 events or so: this process would have reported after 500.
    const progress = statuses.filter((status) => status.state === 'building' && status.indexed > 0);
    expect(progress[0]).toMatchObject({ total });
    expect(progress[0].indexed).toBeGreaterThanOrEqual(20_000);
    expect(engine.status()).toEqual({ state: 'ready', indexed: total, total });
    const scan = openScanEngine(store);
    for (const query of ['lead_agent 分析', 'failed']) expect(await allHits(engine, query), query).toEqual(await allHits(scan, query, {}, 500));
    // The worker indexed every run: the app's event in one of them is added here, in this process.
    const [thread] = await store.listThreads();
    const [run] = await store.listRuns(thread.thread_id);
    await store.put({ thread_id: thread.thread_id, run_id: run.run_id, event_type: 'llm.ai.response', category: 'message', content: 'zephyr after the build' });
    await engine.refresh();
    const scope = { threadId: thread.thread_id, runId: run.run_id };
    expect(await found(engine, 'zephyr', scope)).toEqual([`${thread.thread_id}#${thread.event_count + 1}`]);
    expect(await allHits(engine, 'failed', scope)).toEqual(await allHits(scan, 'failed', scope, 500));
    expect(engine.status()).toEqual({ state: 'ready', indexed: total + 1, total: total + 1 });
  });
});
