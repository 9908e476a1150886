// The test PostgreSQL server and its helpers are what every postgres test
// stands on: the server is real and shared by the run, a test database holds
// DeerFlow's schema where DeerFlow puts it, and the raw writer allocates seqs
// under DeerFlow's lock.
import { statSync } from 'node:fs';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { DEERFLOW_POSTGRES_DDL } from '../../src-main/store/postgres/deerflow-schema.ts';
import { pythonJson } from '../../src-main/store/python-json.ts';
import { threadsMetaDdl } from '../../src-main/store/sqlite/deerflow-side-tables.ts';
import { RUN_EVENTS_DDL } from '../../src-main/store/sqlite/sql.ts';
import { vintageDdl } from './deerflow-databases.ts';
import {
  createTestDatabase,
  createVintageTestDatabase,
  deerflowPostgresDdl,
  deerflowWriteEvents,
  deerflowWriteRun,
  deerflowWriteThread,
  postgresDdl,
  type DeerFlowEvent,
  type TestDatabase,
} from './postgres-databases.ts';

const server = inject('postgresServer');
const opened: TestDatabase[] = [];

async function database(options?: Parameters<typeof createTestDatabase>[0]): Promise<TestDatabase> {
  const created = await createTestDatabase(options);
  opened.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((created) => created.drop()));
});

async function connected<T>(config: pg.ClientConfig, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

const event = (thread: string, n: number, extra: Partial<DeerFlowEvent> = {}): DeerFlowEvent => ({
  thread_id: thread,
  run_id: 'run-1',
  event_type: 'llm.ai.response',
  category: 'message',
  content: `message ${n}`,
  ...extra,
});

describe("the run's PostgreSQL server", () => {
  it('is PostgreSQL 15 on loopback, its superuser known by a scram password', async () => {
    const answer = await connected({ connectionString: server.url }, async (client) =>
      (await client.query<{ version: string; user: string; listen: string }>("SELECT version(), current_user AS user, current_setting('listen_addresses') AS listen")).rows[0],
    );
    expect(answer.version).toMatch(/^PostgreSQL 15\./);
    expect(answer).toMatchObject({ user: server.user, listen: '127.0.0.1' });
    await expect(connected({ host: server.host, port: server.port, user: server.user, password: `${server.password}x`, database: 'postgres' }, async () => 'in')).rejects.toMatchObject({ code: '28P01' });
  });

  it('runs as an unprivileged user: the current one, or another when that is root', async () => {
    // the owner of this connection's backend process, while it is connected
    const owner = await connected({ connectionString: server.url }, async (client) => statSync(`/proc/${(await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid}`).uid);
    const me = process.getuid!();
    expect(owner).not.toBe(0);
    expect(owner === me).toBe(me !== 0);
  });
});

describe('createTestDatabase', () => {
  const tablesIn = (created: TestDatabase, schema: string) =>
    created.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema]).then((rows) => rows.map((row) => row.table_name));

  it("makes a fresh database holding DeerFlow's tables and indexes", async () => {
    const created = await database();
    expect(created.url).toBe(`postgresql://${server.user}:${server.password}@${server.host}:${server.port}/${created.name}`);
    expect(await tablesIn(created, 'public')).toEqual(['alembic_version', 'run_events', 'runs', 'threads_meta']);
    const indexes = await created.query<{ indexname: string; indexdef: string }>("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'");
    const definition = new Map(indexes.map((index) => [index.indexname, index.indexdef]));
    expect(definition.get('uq_events_thread_seq')).toContain('UNIQUE INDEX uq_events_thread_seq ON public.run_events USING btree (thread_id, seq)');
    expect(definition.get('ix_events_run')).toContain('(thread_id, run_id, seq)');
    expect(definition.get('ix_events_thread_cat_seq')).toContain('(thread_id, category, seq)');
    expect(definition.get('uq_runs_thread_active')).toMatch(/^CREATE UNIQUE INDEX uq_runs_thread_active ON public\.runs .*\(thread_id\) WHERE .*status.*'pending'.*'running'/);
    const types = await created.query<{ column_name: string; data_type: string }>(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'run_events' AND column_name IN ('event_metadata', 'created_at') ORDER BY column_name",
    );
    expect(types).toEqual([
      { column_name: 'created_at', data_type: 'timestamp with time zone' },
      { column_name: 'event_metadata', data_type: 'json' },
    ]);
    expect(await created.query('SELECT version_num FROM alembic_version')).toEqual([{ version_num: '0013_mcp_task_notifications' }]);
  });

  it('gives every test its own database', async () => {
    const [first, second] = await Promise.all([database(), database()]);
    expect(first.name).not.toBe(second.name);
    await deerflowWriteEvents(first.pool, [event('t1', 1)]);
    expect(await second.query('SELECT * FROM run_events')).toEqual([]);
  });

  it("puts the tables in a named schema, as DeerFlow's postgres_schema does, and the URL says so", async () => {
    const created = await database({ schema: 'deer flow' });
    expect(created.url).toMatch(new RegExp(`/${created.name}\\?schema=deer%20flow$`));
    expect(await tablesIn(created, 'deer flow')).toEqual(['alembic_version', 'run_events', 'runs', 'threads_meta']);
    expect(await tablesIn(created, 'public')).toEqual([]);
    await deerflowWriteEvents(created.pool, [event('t1', 1)]);
    expect(await created.query('SELECT thread_id FROM "deer flow".run_events')).toEqual([{ thread_id: 't1' }]);
  });

  it('makes an empty database when asked for no schema', async () => {
    const created = await database({ deerflowSchema: false });
    expect(await tablesIn(created, 'public')).toEqual([]);
  });

  it('drops the database though a connection to it is still open', async () => {
    const created = await createTestDatabase();
    const lingering = new pg.Client({ connectionString: created.url });
    lingering.on('error', () => {}); // the drop ends its session
    await lingering.connect();
    await created.drop();
    const left = await connected({ connectionString: server.url }, async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [created.name])).rows);
    expect(left).toEqual([]);
  });
});

describe('deerflowWriteEvents', () => {
  it("stores DeerFlow's encoding: json.dumps metadata text, structured content marked, created_at as the instant given", async () => {
    const created = await database();
    const content = { type: 'ai', content: '你好 "quoted"' };
    const metadata = { zeta: 1, alpha: ['é', null] };
    await deerflowWriteEvents(created.pool, [event('t1', 1, { content, metadata, created_at: '2026-04-04T08:49:25.123456+08:00', user_id: 'u7' })]);
    const [row] = await created.query<Record<string, unknown>>(
      "SELECT content, event_metadata::text AS metadata, seq, user_id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS utc FROM run_events",
    );
    expect(row).toEqual({
      content: pythonJson(content),
      metadata: pythonJson({ ...metadata, content_is_json: true, content_is_dict: true }),
      seq: 1,
      user_id: 'u7',
      utc: '2026-04-04 00:49:25.123456',
    });
    expect(row.metadata).toBe('{"zeta": 1, "alpha": ["é", null], "content_is_json": true, "content_is_dict": true}');
  });

  it('numbers each thread on its own, a transaction per thread', async () => {
    const created = await database();
    expect(await deerflowWriteEvents(created.pool, [event('t1', 1), event('t2', 1), event('t1', 2)])).toEqual([1, 1, 2]);
    expect(await deerflowWriteEvents(created.pool, [event('t2', 2)])).toEqual([2]);
  });

  it('gives concurrent writers on one thread distinct consecutive seqs', async () => {
    const created = await database();
    const writers = [0, 1, 2, 3].map((writer) => deerflowWriteEvents(created.pool, [1, 2, 3, 4, 5].map((n) => event('t1', writer * 10 + n))));
    const written = await Promise.all(writers);
    expect(written.flat().toSorted((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (const seqs of written) expect(seqs).toEqual(Array.from({ length: 5 }, (_, i) => seqs[0] + i));
  });

  it("waits for DeerFlow's advisory lock on the thread, then numbers after what its holder wrote", async () => {
    const created = await database();
    const holder = await created.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(hashtext(CAST($1 AS text))::bigint)', ['t1']);
      const waiting = deerflowWriteEvents(created.pool, [event('t1', 2)]);
      await expect.poll(async () => (await created.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).length).toBe(1);
      await holder.query(
        "INSERT INTO run_events (thread_id, run_id, event_type, category, content, event_metadata, seq, created_at) VALUES ('t1', 'run-1', 'x', 'message', '', '{}', 1, now())",
      );
      await holder.query('COMMIT');
      expect(await waiting).toEqual([2]);
    } finally {
      holder.release();
    }
  });
});

describe('deerflowWriteRun and deerflowWriteThread', () => {
  it("fill DeerFlow's NOT NULL columns, and the schema's one-active-run rule holds", async () => {
    const created = await database();
    const run = { run_id: 'r1', thread_id: 't1', status: 'running', model_name: 'm', error: null, total_input_tokens: 3, total_output_tokens: 4, total_tokens: 7 };
    await deerflowWriteRun(created.pool, run);
    await deerflowWriteThread(created.pool, { thread_id: 't1', display_name: 'Named' });
    const [stored] = await created.query("SELECT status, operation_kind, multitask_strategy, total_tokens, token_usage_by_model::text AS usage, created_at = '2026-04-04T00:49:25.123456+00:00' AS stamped FROM runs");
    expect(stored).toEqual({ status: 'running', operation_kind: 'run', multitask_strategy: 'reject', total_tokens: 7, usage: '{}', stamped: true });
    expect(await created.query('SELECT thread_id, display_name, status FROM threads_meta')).toEqual([{ thread_id: 't1', display_name: 'Named', status: 'idle' }]);
    await expect(deerflowWriteRun(created.pool, { ...run, run_id: 'r2', status: 'pending' })).rejects.toMatchObject({ code: '23505', constraint: 'uq_runs_thread_active' });
  });
});

describe("older DeerFlow vintages' tables on PostgreSQL", () => {
  const columnsOf = (created: TestDatabase, table: string) =>
    created
      .query<{ column_name: string; data_type: string; column_default: string | null }>(
        "SELECT column_name, data_type, column_default FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
        [table],
      )
      .then((rows) => rows.map((row) => `${row.column_name} ${row.data_type}${row.column_default?.startsWith('nextval(') ? ' serial' : ''}`));

  it("translates SQLite's DDL as SQLAlchemy emits the same models for PostgreSQL: today's run_events and threads_meta are DeerFlow's own, byte for byte", () => {
    expect(DEERFLOW_POSTGRES_DDL).toContain(`${postgresDdl(RUN_EVENTS_DDL)}\n`);
    expect(DEERFLOW_POSTGRES_DDL).toContain(`${postgresDdl(threadsMetaDdl('user_id'))}\n`);
    expect(deerflowPostgresDdl('current')).toBe(DEERFLOW_POSTGRES_DDL);
    expect(deerflowPostgresDdl('before-may-2026')).toBe(postgresDdl(vintageDdl('before-may-2026')));
  });

  it('makes the oldest vintage: run_events without user_id or a unique (thread_id, seq), runs and threads_meta owned by owner_id', async () => {
    const created = await database({ vintage: 'before-mid-april-2026' });
    expect(await columnsOf(created, 'run_events')).toEqual([
      'id integer serial',
      'thread_id character varying',
      'run_id character varying',
      'event_type character varying',
      'category character varying',
      'content text',
      'event_metadata json',
      'seq integer',
      'created_at timestamp with time zone',
    ]);
    const indexes = await created.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'run_events' ORDER BY indexname");
    expect(indexes.map((index) => index.indexname)).toEqual(['ix_events_run', 'ix_events_thread_cat_seq', 'run_events_pkey']);
    expect(await columnsOf(created, 'runs')).toContain('owner_id character varying');
    expect(await columnsOf(created, 'runs')).not.toContain('stop_reason character varying');
    expect(await columnsOf(created, 'threads_meta')).toContain('owner_id character varying');
  });

  it("fills a vintage's database with rows as given: DeerFlow's text, its instants, seqs and owners", async () => {
    const created = await createVintageTestDatabase('before-mid-april-2026', {
      events: [
        { thread_id: 't1', run_id: 'r1', event_type: 'x', category: 'message', content: 'hi', event_metadata: '{"a": 1}', seq: 5, created_at: '2026-04-04 00:49:25.123456' },
      ],
      runs: [{ run_id: 'r1', thread_id: 't1', status: 'success', model_name: 'm', error: null, total_input_tokens: 1, total_output_tokens: 2, total_tokens: 3 }],
      threads: [{ thread_id: 't1', display_name: 'Old' }],
    });
    opened.push(created);
    expect(await created.query("SELECT id, seq, content, event_metadata::text AS metadata, (created_at AT TIME ZONE 'UTC')::text AS utc FROM run_events")).toEqual([
      { id: 1, seq: 5, content: 'hi', metadata: '{"a": 1}', utc: '2026-04-04 00:49:25.123456' },
    ]);
    expect(await created.query('SELECT run_id, owner_id, total_tokens FROM runs')).toEqual([{ run_id: 'r1', owner_id: 'u1', total_tokens: 3 }]);
    expect(await created.query('SELECT thread_id, owner_id, display_name FROM threads_meta')).toEqual([{ thread_id: 't1', owner_id: 'u1', display_name: 'Old' }]);
  });
});
