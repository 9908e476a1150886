// The benchmark's PostgreSQL part (issue 13, "Speed"): the generated store's
// events, DeerFlow-shaped, loaded row for row into a server of the
// benchmark's own (test/support/postgres-server.ts), then the backend's hot
// reads measured in-process against their targets, then following it live
// (postgres-live-part.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import type { GenerateOptions } from '../src-main/generator/generate.ts';
import { planThreads } from '../src-main/generator/generate.ts';
import { openPostgresStore, type PostgresStore } from '../src-main/store/postgres/postgres-store.ts';
import { SummaryFile } from '../src-main/store/postgres/summary-file.ts';
import { columnArrays } from '../src-main/store/postgres/encoding.ts';
import { namedQuery } from '../src-main/store/postgres/named-statements.ts';
import { readSchema } from '../src-main/store/postgres/schema.ts';
import { storeStatements } from '../src-main/store/postgres/sql.ts';
import type { EventParams } from '../src-main/store/sqlite/rows.ts';
import { createTestDatabase, deerflowWriteEvents } from '../test/support/postgres-databases.ts';
import { startPostgresServer } from '../test/support/postgres-server.ts';
import { log, record } from './figures.ts';
import { benchPostgresLive } from './postgres-live-part.ts';

const LOAD_BATCH_ROWS = 20_000;
const PAGE_REPEATS = 200;
const LIST_THREADS_REPEATS = 7;


type Timed = (work: () => unknown, repeats: number) => Promise<number>;

/** Every row of the SQLite store, its text as DeerFlow wrote it, into run_events (DeerFlow's DDL and indexes already there) by the store's own insert. */
export async function loadSqliteRows(file: string, pool: pg.Pool): Promise<number> {
  const { insertRows } = storeStatements(await readSchema(pool, 'the benchmark database'));
  const db = new Database(file, { readonly: true });
  let loaded = 0;
  try {
    const rows = db.prepare<[], EventParams>('SELECT thread_id, run_id, user_id, event_type, category, content, event_metadata, seq, created_at FROM run_events ORDER BY id').iterate();
    let batch: EventParams[] = [];
    const flush = async () => {
      await pool.query(namedQuery(insertRows, columnArrays(batch)));
      loaded += batch.length;
      batch = [];
    };
    for (const row of rows) {
      batch.push(row);
      if (batch.length === LOAD_BATCH_ROWS) await flush();
    }
    if (batch.length > 0) await flush();
  } finally {
    db.close();
  }
  return loaded;
}

export async function benchPostgres(file: string, options: GenerateOptions, medianMs: Timed): Promise<void> {
  log('postgres backend: starting a server of its own');
  const server = await startPostgresServer({ settings: { shared_buffers: '512MB', work_mem: '64MB', max_wal_size: '4GB' } });
  try {
    const database = await createTestDatabase({ server });
    const started = performance.now();
    const loaded = await loadSqliteRows(file, database.pool);
    // What autovacuum does on a live server: statistics, and the visibility map that makes counts index-only.
    await database.query('VACUUM ANALYZE run_events');
    log(`  loaded ${loaded.toLocaleString('en-US')} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const big = planThreads(options)[0];
    const bigEvents = options.bigThreadEvents ?? big.events;

    // The sidecar the app keeps the thread list in between sessions (summary-file.ts).
    const sidecarFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-bench-summary-'));
    const openKeeping = async (): Promise<PostgresStore> => {
      const opened = await openPostgresStore(database.url);
      opened.keepSummaryIn(new SummaryFile(path.join(sidecarFolder, 'sidecar.sqlite'), opened.identity));
      return opened;
    };
    const store = await openKeeping();
    try {
      const first = performance.now();
      const threads = await store.listThreads();
      record({
        name: `postgres: listThreads on first open, ${threads.length.toLocaleString('en-US')} threads`,
        value: performance.now() - first,
        unit: 'ms',
        target: { atMost: 1000 },
      });
      const reopened = await openKeeping();
      const later = performance.now();
      await reopened.listThreads();
      record({
        name: 'postgres: listThreads on a later open, from the summary kept in the sidecar',
        value: performance.now() - later,
        unit: 'ms',
        target: { atMost: 100 },
      });
      await reopened.close();
      record({
        name: 'postgres: listThreads after the first, nothing committed since (median)',
        value: await medianMs(() => store.listThreads(), LIST_THREADS_REPEATS),
        unit: 'ms',
        target: { atMost: 100 },
      });
      // A live server: DeerFlow appends to one thread between two lists.
      let appended = 0;
      const appendOne = () =>
        deerflowWriteEvents(database.pool, [{ thread_id: big.thread_id, run_id: 'bench-live-run', event_type: 'llm.ai.response', category: 'message', content: `live ${appended++}` }]);
      const afterAppend: number[] = [];
      for (let i = 0; i < LIST_THREADS_REPEATS; i++) {
        await appendOne();
        const started = performance.now();
        await store.listThreads();
        afterAppend.push(performance.now() - started);
      }
      record({
        name: 'postgres: listThreads after another writer appended an event (median)',
        value: afterAppend.sort((a, b) => a - b)[afterAppend.length >> 1],
        unit: 'ms',
        target: { atMost: 100 },
      });
      for (const [where, page] of [
        ['start', { afterSeq: 0, limit: 50 }],
        ['middle', { beforeSeq: Math.floor(bigEvents / 2), limit: 50 }],
        ['end', { limit: 50 }],
      ] as const) {
        const got = await store.listMessages(big.thread_id, page);
        record({
          name: `postgres: listMessages 50-message page, ${where} of the ${bigEvents.toLocaleString('en-US')}-event thread (median)`,
          value: await medianMs(() => store.listMessages(big.thread_id, page), PAGE_REPEATS),
          unit: 'ms',
          target: { atMost: 3 },
          note: got.length === 50 ? undefined : `page had ${got.length} messages`,
        });
      }
      const runs = await store.listRuns(big.thread_id);
      const typical = [...runs].sort((a, b) => a.event_count - b.event_count)[runs.length >> 1];
      const events = await store.listEvents(big.thread_id, typical.run_id);
      record({
        name: `postgres: a run's events, listEvents of a ${typical.event_count.toLocaleString('en-US')}-event run (median)`,
        value: await medianMs(() => store.listEvents(big.thread_id, typical.run_id), PAGE_REPEATS),
        unit: 'ms',
        target: { atMost: 3 },
        note: events.length === Math.min(500, typical.event_count) ? undefined : `got ${events.length} events`,
      });
      const messages = await store.countMessages(big.thread_id);
      record({
        name: `postgres: countMessages of the ${bigEvents.toLocaleString('en-US')}-event thread (${messages.toLocaleString('en-US')} messages, median)`,
        value: await medianMs(() => store.countMessages(big.thread_id), PAGE_REPEATS / 4),
        unit: 'ms',
        target: { atMost: 20 },
      });
      await benchPostgresLive(store, database);
    } finally {
      await store.close();
      await database.drop();
      fs.rmSync(sidecarFolder, { recursive: true, force: true });
    }
  } finally {
    await server.stop();
  }
}
