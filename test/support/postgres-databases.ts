// Test support: DeerFlow's PostgreSQL databases, a fresh one per test on the
// run's own server (postgres-global-setup.ts), and rows written the way
// DeerFlow writes them (DbRunEventStore.put_batch on PostgreSQL: its advisory
// lock, max(seq) + 1 and its encoding in one transaction), so the postgres
// backend is tested against databases it did not create; older DeerFlow
// vintages' tables are deerflow-databases.ts's, in PostgreSQL's types.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { searchPathOption } from '../../src-main/store/postgres/connection.ts';
import { DEERFLOW_POSTGRES_DDL } from '../../src-main/store/postgres/deerflow-schema.ts';
import { eventColumns } from '../../src-main/store/deerflow-columns.ts';
import { createdAtToPg } from '../../src-main/store/postgres/encoding.ts';
import { eventToRow } from '../../src-main/store/sqlite/encoding.ts';
import { nowIso } from '../../src-shared/time.ts';
import type { EventInput } from '../../src-shared/types.ts';
import {
  eventsHaveUserId,
  FEEDBACK_DDL,
  feedbackValues,
  INSERT_FEEDBACK_SQL,
  ownerColumn,
  vintageDdl,
  type RawEvent,
  type RawRun,
  type Vintage,
  type VintageData,
} from './deerflow-databases.ts';
import { type PostgresServerAddress, postgresUrl } from './postgres-server.ts';


/** The instant deerflow-databases.ts stamps its side-table rows with. */
const STAMP = '2026-04-04T00:49:25.123456+00:00';

const POOL_SIZE = 4;

export interface TestDatabaseOptions {
  /** DeerFlow's `database.postgres_schema`: the tables go in this schema, and the URL says `?schema=`. */
  schema?: string;
  /** false: an empty database (for --init, and a database without run_events). Default true. */
  deerflowSchema?: boolean;
  /** The DeerFlow whose tables the database gets (deerflowPostgresDdl); default the current one. */
  vintage?: Vintage;
  /** Another server than the run's own (Playwright, the benchmark). */
  server?: PostgresServerAddress;
}

export interface TestDatabase {
  name: string;
  /** The SOURCE a user would open: postgresql://user:password@host:port/name[?schema=NAME]. */
  url: string;
  /** The database's own connections, on the schema when there is one. */
  pool: pg.Pool;
  query<Row extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<Row[]>;
  /** Drops the database, whoever is still connected to it. */
  drop(): Promise<void>;
}

async function runServer(): Promise<PostgresServerAddress> {
  // Imported here, not at the top: Playwright and the benchmark load this module outside vitest.
  const { inject } = await import('vitest');
  return inject('postgresServer');
}

async function onServer(server: PostgresServerAddress, sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}


/**
 * SQLite DDL as SQLAlchemy emits the same models for PostgreSQL: the integer primary key `id` a SERIAL,
 * DateTime(timezone=True) a TIMESTAMP WITH TIME ZONE; VARCHAR, TEXT, INTEGER and JSON are the same words.
 */
export function postgresDdl(sqliteDdl: readonly string[]): string {
  return sqliteDdl.map((ddl) => `${ddl.replace(/^(\tid) INTEGER NOT NULL, $/m, '$1 SERIAL NOT NULL, ').replaceAll(' DATETIME ', ' TIMESTAMP WITH TIME ZONE ')};`).join('\n\n');
}

/** DeerFlow's tables of a vintage on PostgreSQL: today's as DeerFlow emits them, an older one's from deerflow-databases.ts. */
export const deerflowPostgresDdl = (vintage: Vintage): string => (vintage === 'current' ? DEERFLOW_POSTGRES_DDL : postgresDdl(vintageDdl(vintage)));

/** DeerFlow's bootstrap: CREATE SCHEMA and the search_path when it has one, then its tables, unqualified. */
async function loadDeerFlowSchema(url: string, schema: string | undefined, vintage: Vintage): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const inSchema = schema === undefined ? '' : `CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}; SET search_path TO ${pg.escapeIdentifier(schema)};\n`;
    await client.query(inSchema + deerflowPostgresDdl(vintage));
  } finally {
    await client.end();
  }
}

/** A fresh database with a unique name, DeerFlow's tables in it unless asked otherwise. */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const { schema, deerflowSchema = true, vintage = 'current' } = options;
  const server = options.server ?? (await runServer());
  const name = `deerflow_${randomBytes(6).toString('hex')}`;
  await onServer(server, `CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  const plainUrl = postgresUrl(server, name);
  if (deerflowSchema) await loadDeerFlowSchema(plainUrl, schema, vintage);
  const pool = new pg.Pool({ connectionString: plainUrl, max: POOL_SIZE, options: schema === undefined ? undefined : searchPathOption(schema) });
  let dropped: Promise<void> | undefined;
  return {
    name,
    url: schema === undefined ? plainUrl : `${plainUrl}?schema=${encodeURIComponent(schema)}`,
    pool,
    query: async <Row extends pg.QueryResultRow>(text: string, values?: unknown[]) => (await pool.query<Row>(text, values)).rows,
    drop: () =>
      (dropped ??= (async () => {
        // pool.end() resolves before its idle connections have closed: one that DROP … FORCE ends meanwhile
        // errs, and the pool passes that on as an 'error' event, which would be uncaught.
        pool.on('error', () => {});
        await pool.end();
        await onServer(server, `DROP DATABASE ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      })()),
  };
}

/** An event as DeerFlow's put_batch takes it: its owner, when given, is stamped on the row. */
export type DeerFlowEvent = EventInput & { user_id?: string | null };

const LOCK_THREAD = { name: 'deerflow-lock-thread', text: 'SELECT pg_advisory_xact_lock(hashtext(CAST($1 AS text))::bigint)' };
const MAX_SEQ = { name: 'deerflow-max-seq', text: 'SELECT max(seq) AS max_seq FROM run_events WHERE thread_id = $1' };
/** The batch's rows in one statement (SQLAlchemy sends them as one multi-row INSERT too); values always bound. */
const INSERT_EVENTS = {
  name: 'deerflow-insert-events',
  text: `INSERT INTO run_events (thread_id, run_id, user_id, event_type, category, content, event_metadata, seq, created_at)
    SELECT thread_id, run_id, user_id, event_type, category, content, event_metadata::json, seq, created_at::timestamptz
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[])
      AS batch (thread_id, run_id, user_id, event_type, category, content, event_metadata, seq, created_at)`,
};

/** One put_batch: all of a thread's events in one transaction, under DeerFlow's lock on the thread. */
async function putBatch(client: pg.PoolClient, events: DeerFlowEvent[]): Promise<number[]> {
  const thread = events[0].thread_id;
  await client.query('BEGIN');
  try {
    await client.query({ ...LOCK_THREAD, values: [thread] });
    const [{ max_seq }] = (await client.query<{ max_seq: number | null }>({ ...MAX_SEQ, values: [thread] })).rows;
    const rows = events.map((event, i) => ({
      ...eventToRow(event, (max_seq ?? 0) + 1 + i),
      user_id: event.user_id ?? null,
      // an instant with its offset, not the SQLite column's zoneless UTC text
      created_at: event.created_at ?? nowIso(),
    }));
    const columns = ['thread_id', 'run_id', 'user_id', 'event_type', 'category', 'content', 'event_metadata', 'seq', 'created_at'] as const;
    await client.query({ ...INSERT_EVENTS, values: columns.map((column) => rows.map((row) => row[column])) });
    await client.query('COMMIT');
    return rows.map((row) => row.seq);
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/**
 * Writes events as DeerFlow does, a transaction per thread (in the order of
 * their first event); returns each event's seq, in the order given.
 */
export async function deerflowWriteEvents(pool: pg.Pool, events: DeerFlowEvent[]): Promise<number[]> {
  const byThread = Map.groupBy(events, (event) => event.thread_id);
  const seqs = new Map<DeerFlowEvent, number>();
  const client = await pool.connect();
  try {
    for (const batch of byThread.values()) {
      const written = await putBatch(client, batch);
      batch.forEach((event, i) => seqs.set(event, written[i]));
    }
  } finally {
    client.release();
  }
  return events.map((event) => seqs.get(event)!);
}

/**
 * A `runs` row as DeerFlow's RunRepository writes one, its NOT NULL columns at DeerFlow's defaults; in an
 * older vintage's table, owned by its owner column, without the columns it did not have yet.
 */
export async function deerflowWriteRun(pool: pg.Pool, run: RawRun & { created_at?: string; updated_at?: string }, vintage: Vintage = 'current'): Promise<void> {
  const current = vintage === 'current';
  const values: [string, string][] = [
    ['run_id', '$1'],
    ['thread_id', '$2'],
    [ownerColumn(vintage), "'u1'"],
    ['status', '$3'],
    ...(current ? [['operation_kind', "'run'"] as [string, string]] : []),
    ['model_name', '$4'],
    ['multitask_strategy', "'reject'"],
    ['metadata_json', "'{}'"],
    ['kwargs_json', "'{}'"],
    ['error', '$5'],
    ['message_count', '0'],
    ['total_input_tokens', '$6'],
    ['total_output_tokens', '$7'],
    ['total_tokens', '$8'],
    ['llm_call_count', '1'],
    ['lead_agent_tokens', '0'],
    ['subagent_tokens', '0'],
    ['middleware_tokens', '0'],
    ...(current ? [['token_usage_by_model', "'{}'"] as [string, string]] : []),
    ['created_at', '$9'],
    ['updated_at', '$10'],
  ];
  await pool.query({
    name: `deerflow-insert-run-${vintage}`,
    text: `INSERT INTO runs (${values.map(([column]) => column).join(', ')}) VALUES (${values.map(([, value]) => value).join(', ')})`,
    values: [run.run_id, run.thread_id, run.status, run.model_name, run.error, run.total_input_tokens, run.total_output_tokens, run.total_tokens, run.created_at ?? STAMP, run.updated_at ?? run.created_at ?? STAMP],
  });
}

export type RawThread = NonNullable<VintageData['threads']>[number] & { created_at?: string; updated_at?: string };

/** A `threads_meta` row as DeerFlow's ThreadMetaRepository writes one (owned by owner_id in the oldest vintage). */
export async function deerflowWriteThread(pool: pg.Pool, thread: RawThread, vintage: Vintage = 'current'): Promise<void> {
  await pool.query({
    name: `deerflow-insert-thread-${vintage}`,
    text: `INSERT INTO threads_meta (thread_id, ${ownerColumn(vintage)}, display_name, status, metadata_json, created_at, updated_at)
           VALUES ($1, 'u1', $2, 'idle', '{}', $3, $4)`,
    values: [thread.thread_id, thread.display_name, thread.created_at ?? STAMP, thread.updated_at ?? thread.created_at ?? STAMP],
  });
}

/**
 * run_events rows with the text DeerFlow stored (deerflow-databases.ts RawEvent: encoded content and metadata,
 * instants in SQLite's UTC text) in one statement, seqs as given; user_id only where the vintage has it.
 */
export async function deerflowWriteRows(pool: pg.Pool, vintage: Vintage, events: readonly RawEvent[]): Promise<void> {
  const columns = eventColumns(eventsHaveUserId(vintage));
  const typeOf = (column: string) => ({ event_metadata: 'json', seq: 'int', created_at: 'timestamptz' })[column] ?? 'text';
  await pool.query(
    `INSERT INTO run_events (${columns.join(', ')}) SELECT * FROM unnest(${columns.map((column, i) => `$${i + 1}::${typeOf(column)}[]`).join(', ')})`,
    columns.map((column) =>
      events.map((event) => (column === 'created_at' ? createdAtToPg(event) : column === 'user_id' ? (event.user_id ?? null) : event[column as keyof RawEvent])),
    ),
  );
}

/** A database of `vintage` holding `data` as DeerFlow wrote it: what createVintageDatabase makes in a SQLite file. */
export async function createVintageTestDatabase(vintage: Vintage, data: VintageData): Promise<TestDatabase> {
  const db = await createTestDatabase({ vintage });
  try {
    await deerflowWriteRows(db.pool, vintage, data.events);
    for (const run of data.runs ?? []) await deerflowWriteRun(db.pool, run, vintage);
    for (const thread of data.threads ?? []) await deerflowWriteThread(db.pool, thread, vintage);
    if (data.feedback) {
      await db.query(postgresDdl(FEEDBACK_DDL));
      for (const row of data.feedback) await db.query(INSERT_FEEDBACK_SQL, feedbackValues(row, STAMP));
    }
    return db;
  } catch (error) {
    await db.drop();
    throw error;
  }
}
