// What the PostgreSQL store does beyond the contract: batches larger than one
// INSERT, trace truncation as DeerFlow writes it, the NUL PostgreSQL's text
// cannot hold, imports keeping seqs, and the source's identity and info.
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import type { EventInput, RunEvent } from '../../../src-shared/types.ts';
import { importBatch } from '../../../test/support/import-batch.ts';
import { createTestDatabase, deerflowWriteEvents, deerflowWriteRun, deerflowWriteThread, type TestDatabase } from '../../../test/support/postgres-databases.ts';
import { postgresUrl } from '../../../test/support/postgres-server.ts';
import { openPostgresStore, type PostgresStore } from './postgres-store.ts';

const server = inject('postgresServer');
const event = (over: Partial<EventInput> = {}): EventInput => ({ thread_id: 't1', run_id: 'r1', event_type: 'llm.ai.response', category: 'message', content: 'hi', ...over });

let db: TestDatabase;
let store: PostgresStore;

beforeAll(async () => {
  db = await createTestDatabase();
  store = await openPostgresStore(db.url, { write: true });
});

afterAll(async () => {
  await store?.close();
  await db?.drop();
});

beforeEach(async () => {
  await db.query('DELETE FROM run_events');
});

const WAITING_ON_THREADS_META = "SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'threads_meta'::regclass";
const rowCount = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM run_events'))[0].n;

describe('the postgres store', () => {
  it('names itself by its display URL and knows the database by its oid', async () => {
    expect(store.info).toEqual({ kind: 'postgres', path: `postgresql://${server.user}@${server.host}:${server.port}/${db.name}`, readOnly: false });
    const [{ oid }] = await db.query<{ oid: string }>('SELECT oid::text FROM pg_database WHERE datname = current_database()');
    expect(store.identity).toBe(oid);
  });

  it('writes a batch larger than one INSERT in one transaction, seqs consecutive per thread across the pieces', async () => {
    const inputs = Array.from({ length: 12_001 }, (_, i) => event({ thread_id: i % 3 === 0 ? 't2' : 't1', content: `n${i}` }));
    const put = await store.putBatch(inputs);
    expect(put.filter((e) => e.thread_id === 't1').map((e) => e.seq)).toEqual(Array.from({ length: 8000 }, (_, i) => i + 1));
    expect(put.filter((e) => e.thread_id === 't2').map((e) => e.seq)).toEqual(Array.from({ length: 4001 }, (_, i) => i + 1));
    expect(await rowCount()).toBe(12_001);
    expect(await store.countMessages('t1')).toBe(8000);
    expect((await store.listMessages('t2', { limit: 1 }))[0]).toEqual(put.at(-1));
  });

  it('refuses a NUL in text content as a BAD_ARGUMENT, writing none of the batch, even when it is in the last INSERT', async () => {
    await store.put(event());
    const inputs = Array.from({ length: 11_000 }, (_, i) => event({ content: i === 10_999 ? 'a\u0000b' : `n${i}` }));
    await expect(store.putBatch(inputs)).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringContaining('PostgreSQL text cannot hold a NUL character (U+0000)') });
    await expect(store.put(event({ content: '\u0000' }))).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    expect(await rowCount()).toBe(1);
    expect((await store.put(event())).seq).toBe(2);
  });

  it("truncates a trace over 10,240 bytes as DeerFlow's writer does: a valid UTF-8 prefix, marked, in the row as returned", async () => {
    const long = 'é'.repeat(10_000);
    const put = await store.put(event({ category: 'trace', event_type: 'llm.start', content: long, metadata: { caller: 'lead_agent' } }));
    expect(Buffer.byteLength(put.content as string)).toBe(10_240);
    expect(long.startsWith(put.content as string)).toBe(true);
    expect(put.metadata).toEqual({ caller: 'lead_agent', content_truncated: true, original_byte_length: 20_000 });
    const [row] = await db.query<{ content: string; event_metadata: string }>('SELECT content, event_metadata::text FROM run_events');
    expect(row).toEqual({ content: put.content, event_metadata: '{"caller": "lead_agent", "content_truncated": true, "original_byte_length": 20000}' });
    // A message is never truncated.
    expect((await store.put(event({ content: long }))).content).toBe(long);
  });

  it('keeps a NUL inside structured content and metadata (json.dumps escapes it), and reads and counts such a row', async () => {
    const put = await store.put(event({ content: { text: 'a\u0000b' }, metadata: { note: 'x\u0000y', task_id: 'k1' } }));
    expect(put).toMatchObject({ content: { text: 'a\u0000b' }, metadata: { note: 'x\u0000y', task_id: 'k1' } });
    expect(await store.listMessages('t1')).toEqual([put]);
    expect(await store.eventCounts('t1')).toMatchObject({ by_task_id: { k1: 1 } });
    expect(await store.listEvents('t1', 'r1', { taskId: 'k1' })).toEqual([put]);
  });

  it('imports records with their seqs and owners, skipping a (thread_id, seq) the database has', async () => {
    const [first] = await store.putBatch([event({ content: 'kept' })]);
    const records: RunEvent[] = [
      { ...first, content: 'a duplicate of seq 1' },
      { ...first, seq: 7, content: 'seven', user_id: 'u9' },
      { ...first, thread_id: 't3', seq: 2, content: 'elsewhere' },
    ];
    expect(await store.importRows(importBatch(records))).toEqual({ imported: 2, duplicates: 1 });
    expect(await store.importRows(importBatch(records))).toEqual({ imported: 0, duplicates: 3 });
    expect(await db.query('SELECT thread_id, seq, content, user_id FROM run_events ORDER BY thread_id, seq')).toEqual([
      { thread_id: 't1', seq: 1, content: 'kept', user_id: null },
      { thread_id: 't1', seq: 7, content: 'seven', user_id: 'u9' },
      { thread_id: 't3', seq: 2, content: 'elsewhere', user_id: null },
    ]);
    // The next seq of a thread is above what the import gave it.
    expect((await store.put(event())).seq).toBe(8);
  });
});

describe('thread lists made at once', () => {
  it('are made one after another: a list begun before a delete cannot leave its answer to the one asked after it', async () => {
    const statements: string[] = [];
    const watched = await openPostgresStore(db.url, { write: true, onStatement: (name) => statements.push(name) });
    const holder = new pg.Client({ connectionString: db.url });
    try {
      await watched.putBatch([event({ run_id: 'r1' }), event({ run_id: 'r2' }), event({ run_id: 'r2' })]);
      await holder.connect();
      // The first list is held at threads_meta, after it read the runs, until the delete and the second list are asked.
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE threads_meta IN ACCESS EXCLUSIVE MODE');
      const before = watched.listThreads();
      await vi.waitFor(async () => expect((await db.query<{ n: number }>(WAITING_ON_THREADS_META))[0].n).toBe(1), { timeout: 10_000, interval: 20 });
      expect(await watched.deleteByRun('t1', 'r1')).toBe(1);
      const after = watched.listThreads();
      // Time enough for a list not made in turn to read its runs meanwhile.
      for (let i = 0; i < 5; i += 1) await db.query('SELECT count(*) FROM run_events');
      await holder.query('COMMIT');
      const [first, second] = await Promise.all([before, after]);
      expect(first.map((t) => t.run_count)).toEqual([2]);
      expect(second.map((t) => [t.run_count, t.event_count])).toEqual([[1, 2]]);
      expect((await watched.listThreads()).map((t) => [t.run_count, t.event_count])).toEqual([[1, 2]]);
      const looks = statements.flatMap((name, index) => (name === 'ri_live_look' ? [index] : []));
      expect(looks.length).toBeGreaterThanOrEqual(2);
      expect(looks[1]).toBeGreaterThan(statements.indexOf('ri_meta_threads'));
    } finally {
      await holder.end();
      await watched.close();
    }
  });
});

describe('a database with run_events only (no runs, no threads_meta)', () => {
  it('lists threads and runs from the events alone, with no recorded run', async () => {
    const bare = await createTestDatabase();
    try {
      await bare.query('DROP TABLE runs, threads_meta');
      const reader = await openPostgresStore(bare.url, { write: true });
      try {
        await reader.putBatch([event({ category: 'trace', event_type: 'run.start' }), event(), event({ category: 'outputs', event_type: 'run.end' })]);
        expect(await reader.listThreads()).toMatchObject([{ thread_id: 't1', display_name: null, event_count: 3, run_count: 1, last_run_status: 'success' }]);
        expect(await reader.listRuns('t1')).toMatchObject([{ run_id: 'r1', status: 'success', model_name: null, total_tokens: null }]);
        expect(await reader.recordedRun('t1', 'r1')).toBeNull();
      } finally {
        await reader.close();
      }
    } finally {
      await bare.drop();
    }
  });
});

describe('a login that may read run_events only (a debugging role)', () => {
  it('leaves runs and threads_meta unread, listing threads and runs from the events, rather than failing every list', async () => {
    const granted = await createTestDatabase();
    const role = `reader_${granted.name}`;
    try {
      await deerflowWriteEvents(granted.pool, [event({ category: 'trace', event_type: 'run.start' }), event(), event({ category: 'outputs', event_type: 'run.end' })]);
      await deerflowWriteRun(granted.pool, { run_id: 'r1', thread_id: 't1', status: 'interrupted', model_name: 'gpt-4o', error: null, total_input_tokens: 1, total_output_tokens: 2, total_tokens: 3 });
      await deerflowWriteThread(granted.pool, { thread_id: 't1', display_name: 'Hidden' });
      await granted.query(`CREATE ROLE ${role} LOGIN PASSWORD 'reader'; GRANT SELECT ON run_events TO ${role}`);
      const reader = await openPostgresStore(postgresUrl({ ...server, user: role, password: 'reader' }, granted.name));
      try {
        expect(await reader.listThreads()).toMatchObject([{ thread_id: 't1', display_name: null, event_count: 3, last_run_status: 'success' }]);
        expect(await reader.listRuns('t1')).toMatchObject([{ run_id: 'r1', status: 'success', model_name: null }]);
        expect(await reader.recordedRun('t1', 'r1')).toBeNull();
      } finally {
        await reader.close();
      }
    } finally {
      await granted.drop();
      // Roles are the server's, not the database's: dropped once nothing of theirs is left.
      const admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      await admin.query(`DROP ROLE IF EXISTS ${role}`).finally(() => admin.end());
    }
  });
});
