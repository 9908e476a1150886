// The store-driven index sync (index-store-sync.ts) of JSONL and PostgreSQL
// sources: a sync after a small change reads what changed — the runs of the
// threads whose summary changed — not every thread, and a sync stopped
// anywhere leaves the next one to finish the job.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { EventInput, InspectorStore, ListEventsOptions } from '../../src-shared/types.ts';
import { createTestDatabase, deerflowWriteEvents, type TestDatabase } from '../../test/support/postgres-databases.ts';
import { openJsonlStore, type JsonlStore } from '../store/jsonl/jsonl-store.ts';
import { runFile, threadDir } from '../store/jsonl/layout.ts';
import { openPostgresStore } from '../store/postgres/postgres-store.ts';
import { trigramQuery } from './index-query.ts';
import type { SyncOptions } from './index-sqlite-sync.ts';
import { syncStoreIndex } from './index-store-sync.ts';
import { eventsOfRun } from './run-events.ts';
import { openSidecar, type Sidecar } from './sidecar-file.ts';

const THREADS = ['t1', 't2', 't3', 't4', 't5'];
const RUNS = ['r1', 'r2'];
const EVENTS_PER_RUN = 3;

const event = (thread: string, run: string, content: string): EventInput => ({ thread_id: thread, run_id: run, event_type: 'llm.ai.response', category: 'message', content });
const seedEvents = (): EventInput[] => THREADS.flatMap((thread) => RUNS.flatMap((run) => Array.from({ length: EVENTS_PER_RUN }, (_, i) => event(thread, run, `${thread} ${run} event ${i}`))));

/** The store with its reads recorded: which threads' runs were listed, which runs' events read; `hooks` run before each. */
function recorded(store: InspectorStore) {
  const listedRuns: string[] = [];
  const readRuns: string[] = [];
  const hooks = { beforeListRuns: (_thread: string) => {}, beforeListEvents: (_thread: string, _run: string) => {} };
  const wrapped = new Proxy(store, {
    get(target, key) {
      if (key === 'listRuns') {
        return async (thread: string) => {
          listedRuns.push(thread);
          hooks.beforeListRuns(thread);
          return target.listRuns(thread);
        };
      }
      if (key === 'listEvents') {
        return async (thread: string, run: string, options?: ListEventsOptions) => {
          readRuns.push(`${thread}/${run}`);
          hooks.beforeListEvents(thread, run);
          return target.listEvents(thread, run, options);
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  /** What was read since the last call. */
  const taken = () => ({ listedRuns: listedRuns.splice(0), readRuns: readRuns.splice(0) });
  return { store: wrapped, hooks, taken };
}

/** Every event of the store, as `thread#seq@run`, sorted. */
async function storeEvents(store: InspectorStore): Promise<string[]> {
  const keys: string[] = [];
  for (const thread of await store.listThreads()) {
    for (const run of await store.listRuns(thread.thread_id)) {
      for await (const e of eventsOfRun(store, thread.thread_id, run.run_id)) keys.push(`${e.thread_id}#${e.seq}@${e.run_id}`);
    }
  }
  return keys.sort();
}

/** Every event in the index, as storeEvents names them. */
const indexedEvents = (sidecar: Sidecar): string[] =>
  sidecar.db
    .prepare<[], string>("SELECT d.thread_id || '#' || d.seq || '@' || r.run_id FROM docs d JOIN runs r ON r.id = d.run")
    .pluck()
    .all()
    .sort();

/** The events whose indexed text has every trigram of `term` (the engine's candidates for it). */
const matching = (sidecar: Sidecar, term: string): string[] =>
  sidecar.db
    .prepare<[string], string>("SELECT d.thread_id || '#' || d.seq FROM fts JOIN docs d ON d.id = fts.rowid WHERE fts MATCH ?")
    .pluck()
    .all(trigramQuery([term])!)
    .sort();

let dir = '';
let sidecar: Sidecar;
const options: SyncOptions = { batchSize: 500 };

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-store-sync-'));
  sidecar = openSidecar(path.join(dir, 'index.sqlite'), 'test-source', dir);
});

afterEach(() => {
  sidecar.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the store-driven index sync of a JSONL folder', () => {
  let root = '';
  let jsonl: JsonlStore;

  beforeEach(async () => {
    root = path.join(dir, 'layout');
    jsonl = await openJsonlStore(root, { rescanMs: 0, settleMs: 0 });
    await jsonl.putBatch(seedEvents());
  });

  afterEach(() => jsonl.close());

  /** A line of another writer's, DeerFlow's JSONL shape. */
  const line = (thread: string, run: string, seq: number, content: string, at: string) =>
    `${JSON.stringify({ thread_id: thread, run_id: run, event_type: 'llm.ai.response', category: 'message', content, metadata: {}, seq, created_at: at })}\n`;

  it("after one append elsewhere lists the runs of that thread only and reads only the run that grew; nothing changed, it lists none", async () => {
    const { store, taken } = recorded(jsonl);
    await syncStoreIndex(store, sidecar, options);
    expect(taken().listedRuns).toEqual(THREADS);
    fs.appendFileSync(runFile(root, 't3', 'r2'), line('t3', 'r2', 7, 'zephyr appended', '2031-01-01T00:00:00+00:00'));
    await syncStoreIndex(store, sidecar, options);
    expect(taken()).toEqual({ listedRuns: ['t3'], readRuns: ['t3/r2'] });
    expect(matching(sidecar, 'zephyr')).toEqual(['t3#7']);
    expect(indexedEvents(sidecar)).toEqual(await storeEvents(jsonl));
    await syncStoreIndex(store, sidecar, options);
    expect(taken()).toEqual({ listedRuns: [], readRuns: [] });
  });

  it("loses a deleted thread's events without listing any thread's runs, and indexes it again when it comes back as it was", async () => {
    const { store, taken } = recorded(jsonl);
    await syncStoreIndex(store, sidecar, options);
    const saved = path.join(dir, 'saved-t2');
    fs.cpSync(threadDir(root, 't2'), saved, { recursive: true, preserveTimestamps: true });
    expect(await jsonl.deleteByThread('t2')).toBe(RUNS.length * EVENTS_PER_RUN);
    taken();
    await syncStoreIndex(store, sidecar, options);
    expect(taken().listedRuns).toEqual([]);
    expect(indexedEvents(sidecar).filter((key) => key.startsWith('t2#'))).toEqual([]);
    expect(indexedEvents(sidecar)).toEqual(await storeEvents(jsonl));
    expect([...sidecar.threadVersions().keys()]).toEqual(['t1', 't3', 't4', 't5']);
    fs.cpSync(saved, threadDir(root, 't2'), { recursive: true, preserveTimestamps: true });
    await syncStoreIndex(store, sidecar, options);
    expect(taken().listedRuns).toEqual(['t2']);
    expect(indexedEvents(sidecar).filter((key) => key.startsWith('t2#'))).toHaveLength(RUNS.length * EVENTS_PER_RUN);
    expect(indexedEvents(sidecar)).toEqual(await storeEvents(jsonl));
  });

  it('sees a run file rewritten with as many lines, its last event replaced by a later one, and reads that thread only', async () => {
    const { store, taken } = recorded(jsonl);
    await syncStoreIndex(store, sidecar, options);
    const file = runFile(root, 't4', 'r1');
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    fs.writeFileSync(file, [...lines.slice(0, -1), line('t4', 'r1', 9, 'zephyr rewritten', '2031-01-01T00:00:00+00:00').trimEnd()].join('\n') + '\n');
    const [thread] = (await jsonl.listThreads()).filter((t) => t.thread_id === 't4');
    expect(thread.event_count).toBe(RUNS.length * EVENTS_PER_RUN);
    taken();
    await syncStoreIndex(store, sidecar, options);
    expect(taken()).toEqual({ listedRuns: ['t4'], readRuns: ['t4/r1'] });
    expect(matching(sidecar, 'zephyr')).toEqual(['t4#9']);
    expect(indexedEvents(sidecar)).toEqual(await storeEvents(jsonl));
  });

  it('stopped between threads, the next sync reads the threads not done and none of those done', async () => {
    const { store, hooks, taken } = recorded(jsonl);
    const stop = new AbortController();
    hooks.beforeListRuns = (thread) => {
      if (thread === 't3') stop.abort();
    };
    await expect(syncStoreIndex(store, sidecar, { ...options, signal: stop.signal })).rejects.toThrow();
    expect(taken().listedRuns).toEqual(['t1', 't2', 't3']);
    await syncStoreIndex(store, sidecar, options);
    expect(taken().listedRuns).toEqual(['t3', 't4', 't5']);
    expect(indexedEvents(sidecar)).toEqual(await storeEvents(jsonl));
  });

  it("stopped between two runs of a thread, the next sync lists the thread's runs again and reads only the run not done", async () => {
    const { store, hooks, taken } = recorded(jsonl);
    hooks.beforeListEvents = (thread, run) => {
      if (thread === 't2' && run === 'r2') throw new Error('the connection was lost');
    };
    await expect(syncStoreIndex(store, sidecar, options)).rejects.toThrow('the connection was lost');
    expect(taken().readRuns).toEqual(['t1/r1', 't1/r2', 't2/r1', 't2/r2']);
    hooks.beforeListEvents = () => {};
    await syncStoreIndex(store, sidecar, options);
    expect(taken()).toEqual({ listedRuns: ['t2', 't3', 't4', 't5'], readRuns: ['t2/r2', 't3/r1', 't3/r2', 't4/r1', 't4/r2', 't5/r1', 't5/r2'] });
    expect(indexedEvents(sidecar)).toEqual(await storeEvents(jsonl));
  });

  it('stopped halfway through the changes of a thread, then the thread put back as it was indexed: the next sync still reads it', async () => {
    const { store, hooks, taken } = recorded(jsonl);
    await syncStoreIndex(store, sidecar, options);
    const files = RUNS.map((run) => runFile(root, 't1', run));
    const before = files.map((file) => fs.readFileSync(file));
    RUNS.forEach((run, i) => fs.appendFileSync(files[i], line('t1', run, 7 + i, `zephyr in ${run}`, '2031-01-01T00:00:00+00:00')));
    hooks.beforeListEvents = (_thread, run) => {
      if (run === 'r2') throw new Error('the connection was lost');
    };
    await expect(syncStoreIndex(store, sidecar, options)).rejects.toThrow('the connection was lost');
    expect(matching(sidecar, 'zephyr')).toEqual(['t1#7']);
    hooks.beforeListEvents = () => {};
    files.forEach((file, i) => fs.writeFileSync(file, before[i]));
    taken();
    await syncStoreIndex(store, sidecar, options);
    expect(taken().listedRuns).toEqual(['t1']);
    expect(matching(sidecar, 'zephyr')).toEqual([]);
    expect(indexedEvents(sidecar)).toEqual(await storeEvents(jsonl));
  });

  describe("a deleted thread's removal stopped halfway (a batch of two rows each)", () => {
    const small: SyncOptions = { batchSize: 2 };

    /** t5 deleted and its removal stopped after the first batch; its folder kept where it returns from. */
    async function stopRemovingT5(store: InspectorStore): Promise<string> {
      await syncStoreIndex(store, sidecar, small);
      const saved = path.join(dir, 'saved-t5');
      fs.cpSync(threadDir(root, 't5'), saved, { recursive: true, preserveTimestamps: true });
      await jsonl.deleteByThread('t5');
      const stop = new AbortController();
      await expect(syncStoreIndex(store, sidecar, { ...small, signal: stop.signal, pause: async () => stop.abort() })).rejects.toThrow();
      expect(indexedEvents(sidecar).filter((key) => key.startsWith('t5#'))).toHaveLength(RUNS.length * EVENTS_PER_RUN - 2);
      return saved;
    }

    it('is finished by the next sync', async () => {
      const { store } = recorded(jsonl);
      await stopRemovingT5(store);
      await syncStoreIndex(store, sidecar, small);
      expect(indexedEvents(sidecar)).toEqual(await storeEvents(jsonl));
      expect(sidecar.threadVersions().has('t5')).toBe(false);
    });

    it('is made whole again when the thread comes back as it was before the next sync', async () => {
      const { store, taken } = recorded(jsonl);
      const saved = await stopRemovingT5(store);
      fs.cpSync(saved, threadDir(root, 't5'), { recursive: true, preserveTimestamps: true });
      taken();
      await syncStoreIndex(store, sidecar, small);
      expect(taken().listedRuns).toEqual(['t5']);
      expect(indexedEvents(sidecar)).toEqual(await storeEvents(jsonl));
      expect(matching(sidecar, 't5 r1 event 0')).toEqual(['t5#1']);
    });
  });
});

describe('the store-driven index sync of a PostgreSQL database', () => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await createTestDatabase({ server: inject('postgresServer') });
    await deerflowWriteEvents(db.pool, seedEvents());
  });

  afterEach(() => db.drop());

  it("after another writer's append lists that thread's runs only; after its delete of a thread, none, and the thread's events go", async () => {
    const postgres = await openPostgresStore(db.url);
    try {
      const { store, taken } = recorded(postgres);
      await syncStoreIndex(store, sidecar, options);
      expect(taken().listedRuns).toEqual(THREADS);
      await deerflowWriteEvents(db.pool, [event('t4', 'r3', 'zephyr from elsewhere')]);
      await syncStoreIndex(store, sidecar, options);
      expect(taken()).toEqual({ listedRuns: ['t4'], readRuns: ['t4/r3'] });
      expect(matching(sidecar, 'zephyr')).toEqual(['t4#7']);
      await db.query("DELETE FROM run_events WHERE thread_id = 't2'");
      await syncStoreIndex(store, sidecar, options);
      expect(taken().listedRuns).toEqual([]);
      expect(indexedEvents(sidecar)).toEqual(await storeEvents(postgres));
      expect(indexedEvents(sidecar).filter((key) => key.startsWith('t2#'))).toEqual([]);
    } finally {
      await postgres.close();
    }
  });
});
