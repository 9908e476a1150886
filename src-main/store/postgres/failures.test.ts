// What goes wrong with a server, as the store reports it: a server that
// cannot be reached, a refused login, a missing database, a database that is
// not DeerFlow's (and --init), writes to a store opened to read, and a
// statement the server takes too long over.
import net from 'node:net';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { EventInput } from '../../../src-shared/types.ts';
import { importBatch } from '../../../test/support/import-batch.ts';
import { createTestDatabase, deerflowWriteEvents, type TestDatabase } from '../../../test/support/postgres-databases.ts';
import { postgresUrl } from '../../../test/support/postgres-server.ts';
import { openPostgresStore, type PostgresStore } from './postgres-store.ts';

const server = inject('postgresServer');
const event = (over: Partial<EventInput> = {}): EventInput => ({ thread_id: 't1', run_id: 'r1', event_type: 'llm.ai.response', category: 'message', content: 'hi', ...over });

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function database(options?: Parameters<typeof createTestDatabase>[0]): Promise<TestDatabase> {
  const db = await createTestDatabase(options);
  cleanups.push(() => db.drop());
  return db;
}

async function open(url: string, options?: Parameters<typeof openPostgresStore>[1]): Promise<PostgresStore> {
  const store = await openPostgresStore(url, options);
  cleanups.push(() => store.close());
  return store;
}

/** A loopback port nothing listens on: bound, then closed, so a connect is refused at once. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The error a promise rejects with (the test fails if it resolves). */
async function failureOf(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error as Error & { code?: string },
  );
  expect(outcome, 'expected a rejection').not.toBeNull();
  return outcome!;
}

/** The names of the tables a database has, schema-qualified. */
const tablesOf = (db: TestDatabase) =>
  db.query<{ name: string }>("SELECT schemaname || '.' || tablename AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1").then((rows) => rows.map((r) => r.name));

describe('a server that cannot be used', () => {
  it('names host:port and what failed when nothing listens there, at once (a refused connection, no timeout)', async () => {
    const port = await closedPort();
    const started = performance.now();
    const error = await failureOf(openPostgresStore(`postgresql://someone:secret-pw@127.0.0.1:${port}/events`));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error).toMatchObject({ code: 'SOURCE' });
    expect(error.message).toBe(`postgresql://someone@127.0.0.1:${port}/events: cannot reach the server at 127.0.0.1:${port} (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port})`);
    expect(error.message).not.toContain('secret-pw');
  });

  it('makes a wrong password AUTH, naming the user and the server, never the password', async () => {
    const url = postgresUrl({ ...server, password: 'definitely-not-it' }, 'postgres');
    const error = await failureOf(openPostgresStore(url));
    expect(error.code).toBe('AUTH');
    expect(error.message).toContain(`postgresql://${server.user}@${server.host}:${server.port}/postgres: the server at ${server.host}:${server.port} refused the login`);
    expect(error.message).toContain(`user "${server.user}"`);
    expect(error.message).not.toContain('definitely-not-it');
    expect(error.message).not.toContain(server.password);
  });

  it('asks for a password (AUTH) when none is given and the server wants one', async () => {
    const url = `postgresql://${server.user}@${server.host}:${server.port}/postgres`;
    const error = await failureOf(openPostgresStore(url, { env: {} }));
    expect(error).toMatchObject({ code: 'AUTH', message: expect.stringContaining('the server asks for a password') });
    // The password the app gives (a prompt, the keychain) is used when the URL has none.
    const store = await open(url, { env: {}, password: server.password, init: false }).catch((e: Error) => e);
    expect(store).toMatchObject({ code: 'SOURCE', message: expect.stringContaining('no run_events table') });
  });

  it('names a database the server does not have', async () => {
    const url = postgresUrl(server, 'no_such_database');
    const error = await failureOf(openPostgresStore(url));
    expect(error).toMatchObject({ code: 'SOURCE', message: expect.stringContaining(`database "no_such_database" does not exist on the server at ${server.host}:${server.port}`) });
    expect(error.message).not.toContain(server.password);
  });
});

describe("a database that is not DeerFlow's", () => {
  it('refuses an empty database without --init, and gives it DeerFlow\'s tables and alembic_version row with it', async () => {
    const db = await database({ deerflowSchema: false });
    await expect(openPostgresStore(db.url)).rejects.toMatchObject({ code: 'SOURCE', message: expect.stringMatching(/: no run_events table; give --init --write to create DeerFlow's tables in this empty database$/) });
    expect(await tablesOf(db)).toEqual([]);
    // Creating tables is a write: --init alone, on a server opened to read, makes none.
    await expect(openPostgresStore(db.url, { init: true })).rejects.toMatchObject({ code: 'READ_ONLY', message: expect.stringContaining('give --write too') });
    expect(await tablesOf(db)).toEqual([]);
    const store = await open(db.url, { write: true, init: true });
    expect(await tablesOf(db)).toEqual(['public.alembic_version', 'public.run_events', 'public.runs', 'public.threads_meta']);
    expect(await db.query('SELECT version_num FROM alembic_version')).toEqual([{ version_num: '0013_mcp_task_notifications' }]);
    // The very DDL DeerFlow's own bootstrap runs: its indexes and constraints included.
    expect((await db.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'run_events' ORDER BY 1")).map((r) => r.indexname)).toEqual([
      'ix_events_run',
      'ix_events_thread_cat_seq',
      'ix_run_events_user_id',
      'run_events_pkey',
      'uq_events_thread_seq',
    ]);
    expect((await store.put(event())).seq).toBe(1);
    // Opened again, it is DeerFlow's database: --init changes nothing more.
    await store.close();
    const again = await open(db.url, { write: true, init: true });
    expect(await again.countMessages('t1')).toBe(1);
    expect(await db.query('SELECT count(*)::int AS n FROM alembic_version')).toEqual([{ n: 1 }]);
  });

  it('refuses a database with tables but no run_events, with or without --init, and leaves it untouched', async () => {
    const db = await database({ deerflowSchema: false });
    await db.query("CREATE TABLE checkpoints (id int PRIMARY KEY, body text); INSERT INTO checkpoints VALUES (1, 'langgraph')");
    await expect(openPostgresStore(db.url)).rejects.toMatchObject({ code: 'SOURCE', message: expect.stringContaining('no run_events table; if DeerFlow uses database.postgres_schema, add ?schema=NAME') });
    await expect(openPostgresStore(db.url, { write: true, init: true })).rejects.toMatchObject({
      code: 'SOURCE',
      message: expect.stringContaining('has tables but no run_events; --init only sets up an empty database'),
    });
    expect(await tablesOf(db)).toEqual(['public.checkpoints']);
    expect(await db.query('SELECT * FROM checkpoints')).toEqual([{ id: 1, body: 'langgraph' }]);
  });

  it('names the columns a run_events without DeerFlow\'s shape lacks', async () => {
    const db = await database({ deerflowSchema: false });
    await db.query('CREATE TABLE run_events (id serial PRIMARY KEY, thread_id text, run_id text, seq int)');
    await expect(openPostgresStore(db.url)).rejects.toMatchObject({
      code: 'SOURCE',
      message: expect.stringContaining('run_events has no event_type, category, content, event_metadata, created_at column'),
    });
  });
});

describe('a store opened to read (the default)', () => {
  let db: TestDatabase;
  let store: PostgresStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    await deerflowWriteEvents(db.pool, [event(), event({ run_id: 'r2', content: 'second' })]);
    store = await openPostgresStore(db.url);
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  const rowsNow = () => db.query('SELECT id, thread_id, run_id, seq, content FROM run_events ORDER BY id');

  it('says so in its info, and refuses every write with READ_ONLY naming the source and the way to write', async () => {
    expect(store.info).toEqual({ kind: 'postgres', path: `postgresql://${server.user}@${server.host}:${server.port}/${db.name}`, readOnly: true });
    const before = await rowsNow();
    const writes: [string, () => Promise<unknown>][] = [
      ['put', () => store.put(event())],
      ['putBatch', () => store.putBatch([event(), event({ thread_id: 't2' })])],
      ['putIfAbsent', () => store.putIfAbsent(event({ event_type: 'run.start', category: 'trace' }))],
      ['deleteByThread', () => store.deleteByThread('t1')],
      ['deleteByRun', () => store.deleteByRun('t1', 'r1')],
      ['importRows', async () => store.importRows(importBatch([{ ...(await store.listMessages('t1'))[0], seq: 99 }]))],
    ];
    for (const [name, write] of writes) {
      const error = await failureOf(write());
      expect(error.code, name).toBe('READ_ONLY');
      expect(error.message, name).toBe(`${store.info.path} is open read-only; open it with --write (in the app: switch this source to read-write) to change it`);
    }
    expect(await rowsNow()).toEqual(before);
    expect((await store.listMessages('t1')).map((e) => e.content)).toEqual(['hi', 'second']);
  });

  it("has connections the server itself keeps read-only: a raw INSERT through the store's pool is refused", async () => {
    // The pool is the store's own (private): reached here only to prove the server refuses, whatever the store's code does.
    const pool = (store as unknown as { pool: pg.Pool }).pool;
    const before = await rowsNow();
    const refused = await failureOf(pool.query("INSERT INTO run_events (thread_id, run_id, event_type, category, content, event_metadata, seq, created_at) VALUES ('t1', 'r1', 'x', 'message', 'sneaked in', '{}', 50, now())"));
    expect(refused).toMatchObject({ code: '25006', message: 'cannot execute INSERT in a read-only transaction' });
    await expect(pool.query('DELETE FROM run_events')).rejects.toMatchObject({ code: '25006' });
    expect((await pool.query<{ default_transaction_read_only: string }>('SHOW default_transaction_read_only')).rows).toEqual([{ default_transaction_read_only: 'on' }]);
    expect(await rowsNow()).toEqual(before);
  });
});

describe('a statement the server takes too long over', () => {
  let db: TestDatabase;
  let blocker: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    await deerflowWriteEvents(db.pool, [event()]);
    blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
  });
  afterAll(async () => {
    await blocker?.end();
    await db?.drop();
  });

  it('is cancelled after statementTimeoutMs with a SOURCE error saying so, and the store stays usable', async () => {
    const store = await open(db.url, { statementTimeoutMs: 300 });
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE run_events IN ACCESS EXCLUSIVE MODE');
    try {
      const started = performance.now();
      const error = await failureOf(store.listMessages('t1'));
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(error).toMatchObject({ code: 'SOURCE' });
      expect(error.message).toBe(`${store.info.path}: the server at ${server.host}:${server.port} took too long to answer (canceling statement due to statement timeout); try again`);
    } finally {
      await blocker.query('ROLLBACK');
    }
    expect((await store.listMessages('t1')).map((e) => e.content)).toEqual(['hi']);
    expect(await store.countMessages('t1')).toBe(1);
  });

  it("gives up a write waiting for a DeerFlow writer's lock on the thread, writes nothing, and writes once it is free", async () => {
    const store = await open(db.url, { write: true, statementTimeoutMs: 300 });
    await blocker.query('BEGIN');
    await blocker.query('SELECT pg_advisory_xact_lock(hashtext(CAST($1 AS text))::bigint)', ['t1']);
    try {
      const error = await failureOf(store.put(event({ content: 'blocked' })));
      expect(error).toMatchObject({ code: 'SOURCE', message: expect.stringContaining('took too long to answer') });
      // Another thread's lock is not held: its writes go through meanwhile.
      expect((await store.put(event({ thread_id: 't2', content: 'elsewhere' }))).seq).toBe(1);
    } finally {
      await blocker.query('ROLLBACK');
    }
    expect(await db.query("SELECT count(*)::int AS n FROM run_events WHERE content = 'blocked'")).toEqual([{ n: 0 }]);
    expect((await store.put(event({ content: 'after' }))).seq).toBe(2);
  });
});

describe('a connection the server dropped', () => {
  it('asks a read again on a new connection, when the server ended the pooled ones (a restart)', async () => {
    const db = await database();
    await deerflowWriteEvents(db.pool, [event(), event({ thread_id: 't2' })]);
    const store = await open(db.url);
    // Every connection of the pool busy once, then idle: each is one the server ends below.
    await Promise.all([1, 2, 3, 4].map(() => store.countMessages('t1')));
    const ended = await db.query<{ ended: boolean }>(
      "SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'run-inspector'",
    );
    expect(ended.length).toBeGreaterThan(0);
    expect(await Promise.all([1, 2, 3, 4].map(() => store.countMessages('t1')))).toEqual([1, 1, 1, 1]);
    expect((await store.listThreads()).map((t) => t.thread_id)).toEqual(['t1', 't2']);
  });
});
