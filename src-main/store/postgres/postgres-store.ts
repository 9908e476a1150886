// The PostgreSQL backend (issue 13): DeerFlow's own run_events database on a
// server, read and written in its encoding, through a small pool. Read-only
// unless opened to write (the server refuses writes too: every connection's
// default transaction is read-only); each write is one transaction that
// takes DeerFlow's advisory lock per thread, so the app and a running
// DeerFlow server never give out the same seq. The schema is never changed;
// an empty database is given DeerFlow's tables only when asked to (`init`).
import pg from 'pg';
import { StoreError } from '../../../src-shared/errors.ts';
import type {
  EventCounts,
  EventInput,
  InspectorStore,
  ListEventsOptions,
  ListMessagesOptions,
  OverviewOptions,
  RecordedRun,
  RunEvent,
  RunSummary,
  SourceInfo,
  SourceIssue,
  ThreadOverview,
  ThreadSummary,
} from '../../../src-shared/types.ts';
import { NO_RECORDS, rowsRemoved, type DeletedRecords, type RunRecordCounts } from '../../../src-shared/run-records.ts';
import { DEFAULT_EVENT_LIMIT, DEFAULT_MESSAGE_LIMIT } from '../event-index.ts';
import { healthKeyAfter, type HealthReads, type HealthRow, type HealthRunsRecord } from '../health-columns.ts';
import { bucketing } from '../../../src-shared/overview-buckets.ts';
import { checkBuckets, checkMarks, emptyOverview, noMarksYet, type OverviewMarks, withMarks, withoutMarks, zeroOverview } from '../overview.ts';
import { isFailedToolResult, outcomeOf, RunFactsTally } from '../run-facts.ts';
import type { RunRecordsStore } from '../run-records.ts';
import { runKeyOf, runVersion, threadTotals, type RunRow } from '../run-rows.ts';
import { eventToRow, rowToEvent, writtenRow } from '../sqlite/encoding.ts';
import { rowsOf, type RowBatch } from '../sqlite/row-batch.ts';
import type { EventParams, EventRow } from '../sqlite/rows.ts';
import { addThreadsWithoutEvents, foldCounts, recordedRunOf, stringOrNull, summaryFromRunsRow, type CountGroup, type RecordedRunColumns, type RunsRowColumns } from '../table-values.ts';
import { checkEventInput, checkEventInputs, checkId, checkListEventsOptions, checkListMessagesOptions } from '../validate.ts';
import { ClosingClient } from './closing-client.ts';
import { negotiatedTls } from './tls-preference.ts';
import { parsePostgresSource, type PostgresSource } from './connection.ts';
import { DEERFLOW_POSTGRES_DDL } from './deerflow-schema.ts';
import { columnArrays, TYPE_PARSERS } from './encoding.ts';
import { isDroppedConnection, postgresError } from './errors.ts';
import { IdGaps, type GapRules } from './id-gaps.ts';
import type { KeptOutcome, ListVersion, SummaryFile } from './summary-file.ts';
import { readSchema } from './schema.ts';
import { NamedStatements, type NamedValues } from './named-statements.ts';
import { createSchemaSql, DATABASE_IDENTITY_SQL, healthStatements, LIVE_SQL, SIDE_TABLES_SQL, storeStatements, TRANSACTION_SQL, type PostgresSchema, type Statement, type StoreStatements } from './sql.ts';

export interface OpenPostgresOptions {
  /** Open to write (`--write`, or the app's switch to read-write); else every write is a READ_ONLY error. */
  write?: boolean;
  /** Give an empty database (or an empty or missing schema) DeerFlow's tables (`--init`); never touches one that has tables. */
  init?: boolean;
  /** A password from the app (typed, or from the keychain) when the URL has none. */
  password?: string;
  env?: NodeJS.ProcessEnv;
  /** A statement the server works on longer than this is cancelled, so a slow server never freezes the app. */
  statementTimeoutMs?: number;
  /** Told of every statement the store's pool runs, by name, with its time: what a list cost (tests, the benchmark). */
  onStatement?: (name: string, ms: number) => void;
}

/** Connections in the pool: the page's reads run side by side, while the server keeps its connections for DeerFlow. */
const POOL_SIZE = 4;
export const STATEMENT_TIMEOUT_MS = 30_000;
const INSERT_CHUNK_ROWS = 5_000;
const SESSION_SETTINGS = '-c jit=off -c work_mem=64MB';
/** Rows a look for what was added reads at most; past that, the whole table is read instead. */
const ADDED_ROWS_READ = 20_000;
/** After a whole-table read, the ids this far below its top are taken as maybe not yet committed: looked at again. */
const RECENT_IDS = 10_000;
/** An id missing this long is a rolled-back insert's, not a slow commit's. */
const GAP_RULES: GapRules = { keepMs: 60_000, most: 1_000 };
/** No page cursor reaches past this: seq is an int4. */
const SEQ_CEILING = 2 ** 31;

/** The `runs` columns the read model shows (this.sql.runsTable). */
interface RunsTableRow extends RunsRowColumns {
  run_id: string;
}


/** The thread's runs, from which its summary and its runs' listing are both made. */
type ThreadRuns = Map<string, RunRow>;


export async function openPostgresStore(source: string, options: OpenPostgresOptions = {}): Promise<PostgresStore> {
  const parsed = parsePostgresSource(source, { password: options.password, env: options.env });
  const write = options.write ?? false;
  const timeout = options.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS;
  let ssl: pg.PoolConfig['ssl'];
  try {
    ssl = await negotiatedTls(parsed, ClosingClient);
  } catch (error) {
    throw postgresError(error, parsed);
  }
  const pool = new pg.Pool({
    ...parsed.config,
    ssl,
    Client: ClosingClient,
    max: POOL_SIZE,
    idleTimeoutMillis: 10_000,
    // A script (`rpc`) exits when stdin ends, idle connections or not.
    allowExitOnIdle: true,
    statement_timeout: timeout,
    // The network's share: a server that stops answering fails the query rather than hang it.
    query_timeout: timeout + 5_000,
    types: TYPE_PARSERS,
    // The server refuses writes too unless opened to write: no bug of ours can change a database opened to read.
    // The first thread list aggregates the whole table: in memory (not a sort spilled to disk), without JIT's
    // compile time, which costs more than it saves on these short queries. For this app's sessions only.
    options: [parsed.config.options, SESSION_SETTINGS, write ? '' : '-c default_transaction_read_only=on'].filter(Boolean).join(' '),
  });
  // An idle connection the server drops (a restart) must not take the process down: the next query reconnects.
  pool.on('error', () => {});
  try {
    const tables = (await pool.query<{ events: boolean; tables: number; elsewhere: string[] | null }>(SIDE_TABLES_SQL)).rows[0];
    if (!tables.events) await initialise(pool, parsed, tables, { init: options.init ?? false, write });
    const schema = await readSchema(pool, parsed.displayUrl);
    const identity = (await pool.query<{ oid: string }>(DATABASE_IDENTITY_SQL)).rows[0]?.oid ?? '';
    // The live follower's connection is made from the source too: with the TLS this one settled on.
    return new PostgresStore(pool, { ...parsed, config: { ...parsed.config, ssl } }, { write, schema, identity, onStatement: options.onStatement });
  } catch (error) {
    await pool.end().catch(() => {});
    throw postgresError(error, parsed);
  }
}

/** DeerFlow's tables in an empty database or schema, with `init`; otherwise the error that says what is missing. */
async function initialise(pool: pg.Pool, source: PostgresSource, found: { tables: number; elsewhere: string[] | null }, { init, write }: { init: boolean; write: boolean }): Promise<void> {
  const where = source.schema === null ? '' : ` in schema "${source.schema}"`;
  const tableCount = found.tables;
  // DeerFlow's tables in another schema: the URL lacks its ?schema= (a second set of tables in public would hide them).
  if (source.schema === null && found.elsewhere !== null) {
    const names = found.elsewhere.map((s) => `"${s}"`).join(', ');
    throw new StoreError('SOURCE', `${source.displayUrl}: no run_events table; run_events is in schema ${names}: add ?schema=${encodeURIComponent(found.elsewhere[0])}`);
  }
  if (!init) {
    const hint = tableCount > 0 ? (source.schema === null ? '; if DeerFlow uses database.postgres_schema, add ?schema=NAME' : '') : '; give --init --write to create DeerFlow\'s tables in this empty database';
    throw new StoreError('SOURCE', `${source.displayUrl}: no run_events table${where}${hint}`);
  }
  if (tableCount > 0) throw new StoreError('SOURCE', `${source.displayUrl}: has tables but no run_events${where}; --init only sets up an empty database`);
  // Creating tables is a write: a server opened to read is not given any.
  if (!write) throw new StoreError('READ_ONLY', `${source.displayUrl}: --init creates DeerFlow's tables, a write; give --write too`);
  const client = await pool.connect();
  try {
    await client.query(TRANSACTION_SQL.write);
    // As DeerFlow does for postgres_schema: the schema first, then the unqualified tables land in it through the search_path.
    if (source.schema !== null) await client.query(createSchemaSql(source.schema));
    await client.query(DEERFLOW_POSTGRES_DDL);
    await client.query(TRANSACTION_SQL.commit);
  } catch (error) {
    await client.query(TRANSACTION_SQL.rollback).catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

interface StoreShape extends Pick<OpenPostgresOptions, 'onStatement'> {
  write: boolean;
  /** What the database's tables have: which statements the store runs. */
  schema: PostgresSchema;
  identity: string;
}

export class PostgresStore implements InspectorStore, RunRecordsStore {
  /** Its path is the source's display URL (never the password). */
  readonly info: SourceInfo & { path: string };
  /** The database's oid: a database dropped and made again under the same name is another source. */
  readonly identity: string;
  private readonly pool: pg.Pool;
  private readonly source: PostgresSource;
  private readonly schema: PostgresSchema;
  private readonly sql: StoreStatements;
  /** Slow ones logged by name, each time; the onStatement observer told of every one. */
  private readonly statements: NamedStatements;
  /** Highest seq a deleted run took with it, per thread, so the next seq stays above it while the process lives (guarantee 8). */
  private readonly deletedHighWater = new Map<string, number>();
  /** Every thread's runs as of a table version (top id and row count); null until first listed. */
  private summary: KeptList | null = null;
  /** The last thread list, as made: answered again while nothing commits. */
  private listed: ThreadSummary[] | null = null;
  /** Threads to read again at the next list: the live follower's word, or the app's own deletes. */
  private readonly expired = new Set<string>();
  /** The list being made: one at a time, so a list begun before a change cannot be kept over one made after it. */
  private listing: Promise<unknown> = Promise.resolve();
  /** What each run's events say about it, kept while its count and seq range are unchanged. */
  private readonly runFacts = new Map<string, { version: string; facts: RunFactsTally }>();
  /** Each listed thread's last run's status from its events, by `thread\nrun`. */
  private readonly outcomes = new Map<string, KeptOutcome>();
  /** Where the summary is kept between sessions (keepSummaryIn); null: for this session only. */
  private summaryFile: SummaryFile | null = null;
  private readonly overviewMarks = new Map<string, OverviewMarks>();
  private closed = false;

  constructor(pool: pg.Pool, source: PostgresSource, shape: StoreShape) {
    this.pool = pool;
    this.source = source;
    this.schema = shape.schema;
    this.sql = storeStatements(shape.schema);
    this.identity = shape.identity;
    this.statements = new NamedStatements({ onStatement: shape.onStatement });
    this.info = { kind: 'postgres', path: source.displayUrl, readOnly: !shape.write };
  }

  /**
   * A connection of its own to this source, not connected yet, that never writes: the live follower's
   * (src-main/live/postgres-follower.ts), so its polls never wait behind the page's reads in the pool and
   * its end is its own. The login (the password), TLS, schema and type parsers stay in here; `settings`
   * are further server settings for this connection alone.
   */
  liveClient({ statementTimeoutMs, settings }: { statementTimeoutMs: number; settings: Record<string, string> }): pg.Client {
    const options = [this.source.config.options, '-c default_transaction_read_only=on', ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`)];
    return new pg.Client({
      ...this.source.config,
      application_name: `${this.source.config.application_name ?? 'run-inspector'} (live)`,
      statement_timeout: statementTimeoutMs,
      query_timeout: statementTimeoutMs + 5_000,
      types: TYPE_PARSERS,
      options: options.filter(Boolean).join(' '),
    });
  }

  /** The store health check's reads (health-columns.ts HealthReads), through this store's pool: the server's work, a page per call. */
  healthReads(): HealthReads {
    const sql = healthStatements(this.schema);
    return {
      threads: async () => (await this.query<{ thread_id: string }>(sql.threads)).map((row) => row.thread_id),
      page: (thread, after, limit) => this.query<HealthRow>(sql.threadEvents, { thread, ...healthKeyAfter(after), limit }),
      runsRows: async (thread) => {
        if (thread !== undefined && sql.threadRunsRows) return this.query<HealthRunsRecord>(sql.threadRunsRows, { thread });
        return sql.runsRows ? this.query<HealthRunsRecord>(sql.runsRows) : [];
      },
      metaThreads: async () => (sql.metaThreads ? (await this.query<{ thread_id: string }>(sql.metaThreads)).map((row) => row.thread_id) : null),
    };
  }

  /** A named statement (prepared once per connection) with its values bound by name. */
  private async execute<R extends pg.QueryResultRow>(statement: Statement, values: NamedValues = {}, client: pg.Pool | pg.PoolClient = this.pool): Promise<pg.QueryResult<R>> {
    try {
      // A read on a pooled connection the server dropped since (a restart, an idle timeout) is asked once more, on a new one.
      return await this.statements.run<R>(client, statement, values, client === this.pool ? isDroppedConnection : undefined);
    } catch (error) {
      throw postgresError(error, this.source);
    }
  }

  private async query<R extends pg.QueryResultRow>(statement: Statement, values: NamedValues = {}, client: pg.Pool | pg.PoolClient = this.pool): Promise<R[]> {
    return (await this.execute<R>(statement, values, client)).rows;
  }

  /** How many rows a write changed. */
  private async changed(statement: Statement, values: NamedValues, client: pg.PoolClient): Promise<number> {
    return (await this.execute(statement, values, client)).rowCount ?? 0;
  }

  private assertWritable(): void {
    if (this.closed) throw new StoreError('SOURCE', `${this.source.displayUrl} is closed`);
    if (this.info.readOnly) {
      throw new StoreError('READ_ONLY', `${this.source.displayUrl} is open read-only; open it with --write (in the app: switch this source to read-write) to change it`);
    }
  }

  /** One transaction, READ WRITE, holding DeerFlow's lock of each thread it writes (taken in one order, so two writers never deadlock). */
  private async transaction<T>(threads: Iterable<string>, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    this.assertWritable();
    return this.onOneConnection(TRANSACTION_SQL.write, async (client) => {
      for (const thread of [...new Set(threads)].sort()) await this.query(this.sql.lockThread, { thread }, client);
      return work(client);
    });
  }

  /** Reads that must agree with each other: one snapshot of the database (REPEATABLE READ), on one connection. */
  private inSnapshot<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.onOneConnection(TRANSACTION_SQL.snapshot, work);
  }

  /** `work` in one transaction begun by `begin`, committed, or rolled back when it fails; a connection the server dropped is taken once more. */
  private async onOneConnection<T>(begin: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      try {
        await client.query(begin);
      } catch (error) {
        if (!isDroppedConnection(error)) throw error;
        client.release(true);
        client = await this.pool.connect();
        await client.query(begin);
      }
      const result = await work(client);
      await client.query(TRANSACTION_SQL.commit);
      return result;
    } catch (error) {
      await client?.query(TRANSACTION_SQL.rollback).catch(() => {});
      throw postgresError(error, this.source);
    } finally {
      client?.release();
    }
  }

  /** max(seq) + 1 per thread under its lock (as DeerFlow), above any seq a deleted run had here; then consecutive. */
  private async allocate(client: pg.PoolClient, inputs: readonly EventInput[]): Promise<EventParams[]> {
    const next = new Map<string, number>();
    for (const thread of new Set(inputs.map((i) => i.thread_id))) {
      const [row] = await this.query<{ seq: number | null }>(this.sql.maxSeq, { thread }, client);
      next.set(thread, Math.max(row?.seq ?? 0, this.deletedHighWater.get(thread) ?? 0) + 1);
    }
    return inputs.map((input) => {
      const seq = next.get(input.thread_id)!;
      next.set(input.thread_id, seq + 1);
      return eventToRow(input, seq);
    });
  }

  private async insert(client: pg.PoolClient, rows: readonly EventParams[]): Promise<RunEvent[]> {
    for (let at = 0; at < rows.length; at += INSERT_CHUNK_ROWS) await this.query(this.sql.insertRows, columnArrays(rows.slice(at, at + INSERT_CHUNK_ROWS)), client);
    // Decoding what was written makes the returned record exactly what a later query returns.
    return rows.map((row) => rowToEvent({ ...writtenRow(row, this.schema.userId), created_at: `${row.created_at}+00:00` }));
  }

  async put(event: EventInput): Promise<RunEvent> {
    const input = checkEventInput(event);
    const [written] = await this.transaction([input.thread_id], async (client) => this.insert(client, await this.allocate(client, [input])));
    return written;
  }

  async putBatch(events: EventInput[]): Promise<RunEvent[]> {
    const inputs = checkEventInputs(events);
    if (inputs.length === 0) return [];
    return this.transaction(
      inputs.map((i) => i.thread_id),
      async (client) => this.insert(client, await this.allocate(client, inputs)),
    );
  }

  async putIfAbsent(event: EventInput): Promise<{ event: RunEvent; created: boolean }> {
    const input = checkEventInput(event);
    return this.transaction([input.thread_id], async (client) => {
      const [existing] = await this.query<EventRow>(this.sql.firstOfType, { thread: input.thread_id, run: input.run_id, type: input.event_type }, client);
      if (existing) return { event: rowToEvent(existing), created: false };
      const [written] = await this.insert(client, await this.allocate(client, [input]));
      return { event: written, created: true };
    });
  }

  /**
   * Import: an import's rows, read and encoded as for SQLite (row-batch.ts), keep their seq and owner; a
   * (thread_id, seq) the database has is skipped. One transaction per batch.
   */
  async importRows(batch: RowBatch): Promise<{ imported: number; duplicates: number }> {
    const rows = rowsOf(batch);
    if (rows.length === 0) return { imported: 0, duplicates: 0 };
    const imported = await this.transaction(
      rows.map((r) => r.thread_id),
      async (client) => {
        let written = 0;
        for (let at = 0; at < rows.length; at += INSERT_CHUNK_ROWS) written += await this.changed(this.sql.importRows, columnArrays(rows.slice(at, at + INSERT_CHUNK_ROWS)), client);
        return written;
      },
    );
    return { imported, duplicates: rows.length - imported };
  }

  private async page(forward: Statement, backward: Statement, values: NamedValues, { limit, afterSeq, beforeSeq }: ListMessagesOptions): Promise<RunEvent[]> {
    const window = { ...values, after: afterSeq ?? 0, before: beforeSeq ?? SEQ_CEILING, limit: limit ?? null };
    if (afterSeq !== undefined) return (await this.query<EventRow>(forward, window)).map(rowToEvent);
    return (await this.query<EventRow>(backward, window)).map(rowToEvent).reverse();
  }

  async listMessages(threadId: string, options?: ListMessagesOptions): Promise<RunEvent[]> {
    const thread = checkId(threadId, 'threadId');
    const { limit = DEFAULT_MESSAGE_LIMIT, ...cursors } = checkListMessagesOptions(options);
    return this.page(this.sql.messagesForward, this.sql.messagesBackward, { thread }, { limit, ...cursors });
  }

  async listMessagesByRun(threadId: string, runId: string, options?: ListMessagesOptions): Promise<RunEvent[]> {
    const thread = checkId(threadId, 'threadId');
    const run = checkId(runId, 'runId');
    return this.page(this.sql.runMessagesForward, this.sql.runMessagesBackward, { thread, run }, checkListMessagesOptions(options));
  }

  async listEvents(threadId: string, runId: string, options?: ListEventsOptions): Promise<RunEvent[]> {
    const thread = checkId(threadId, 'threadId');
    const run = checkId(runId, 'runId');
    const { eventTypes, taskId, limit = DEFAULT_EVENT_LIMIT, afterSeq } = checkListEventsOptions(options);
    const values = { thread, run, after: afterSeq ?? 0, types: eventTypes ?? null, task: taskId ?? null, limit };
    return (await this.query<EventRow>(this.sql.events, values)).map(rowToEvent);
  }

  async countMessages(threadId: string): Promise<number> {
    const thread = checkId(threadId, 'threadId');
    return (await this.query<{ n: number }>(this.sql.countMessages, { thread }))[0]?.n ?? 0;
  }

  async deleteByThread(threadId: string): Promise<number> {
    return (await this.removeThread(threadId, false)).events;
  }

  async deleteByRun(threadId: string, runId: string): Promise<number> {
    return (await this.removeRun(threadId, runId, false)).events;
  }

  /** Counted whether or not the source is open to write: a read-only server is switched to read-write before it deletes. */
  async deletableRecords(threadId: string, runId?: string): Promise<RunRecordCounts | null> {
    const thread = checkId(threadId, 'threadId');
    const run = runId === undefined ? null : checkId(runId, 'runId');
    if (!this.sql.records) return null;
    const [counts] = await this.query<RunRecordCounts>(this.sql.records.counts, { thread, run });
    return counts;
  }

  async deleteWithRecords(threadId: string, runId?: string): Promise<DeletedRecords> {
    return runId === undefined ? this.removeThread(threadId, true) : this.removeRun(threadId, runId, true);
  }

  /** The run records that go with a delete's events, in its transaction: when asked for and the database keeps them. */
  private async removeRecords(client: pg.PoolClient, thread: string, run: string | null, withRecords: boolean): Promise<Omit<DeletedRecords, 'events'>> {
    const records = this.sql.records;
    if (!withRecords || !records) return NO_RECORDS;
    const scope = { thread, run };
    const removed = (statement: Statement | null) => (statement ? this.changed(statement, scope, client) : 0);
    return { runs: await removed(records.deleteRuns), feedback: await removed(records.deleteFeedback), threadsMeta: await removed(records.deleteThreadMeta) };
  }

  private async removeThread(threadId: string, withRecords: boolean): Promise<DeletedRecords> {
    const thread = checkId(threadId, 'threadId');
    const removed = await this.transaction([thread], async (client) => {
      const events = await this.changed(this.sql.deleteThread, { thread }, client);
      return { events, ...(await this.removeRecords(client, thread, null, withRecords)) };
    });
    this.deletedHighWater.delete(thread);
    this.overviewMarks.delete(thread);
    this.forgetInSummary(thread, rowsRemoved(removed));
    return removed;
  }

  private async removeRun(threadId: string, runId: string, withRecords: boolean): Promise<DeletedRecords> {
    const thread = checkId(threadId, 'threadId');
    const run = checkId(runId, 'runId');
    const { highest, removed } = await this.transaction([thread], async (client) => {
      const [top] = await this.query<{ seq: number | null }>(this.sql.maxSeq, { thread }, client);
      const events = await this.changed(this.sql.deleteRun, { thread, run }, client);
      return { highest: top?.seq ?? 0, removed: { events, ...(await this.removeRecords(client, thread, run, withRecords)) } };
    });
    if (removed.events > 0) this.deletedHighWater.set(thread, Math.max(highest, this.deletedHighWater.get(thread) ?? 0));
    this.forgetInSummary(thread, rowsRemoved(removed));
    return removed;
  }

  /**
   * Every thread's runs. The first call reads the whole table once; later
   * ones ask first whether anything committed at all (the server's snapshot,
   * which reads no table). When something did, they read the threads of rows
   * added since (by the primary key: above the top id seen, and in the ids
   * seen missing below it, as a SERIAL id shows at commit, not in order) and
   * those the follower or the app's own deletes named, then check the table's
   * row count against the list's: a count that does not add up (a delete by
   * another connection) reads the whole table again, as does a table made anew.
   */
  private async threadRuns(): Promise<{ threads: Map<string, ThreadRuns>; unchanged: boolean }> {
    const known = this.summary ?? this.keptSummary();
    // Taken out: those named while this list is made (their change may be after its snapshot) are read at the next.
    const expired = [...this.expired];
    this.expired.clear();
    // A look, what was added and the count in one snapshot: a row committed meanwhile is in all of them or none.
    const fresh = await this.inSnapshot(async (client) => {
      const [look] = await this.query<ChangeLook>(LIVE_SQL.look, {}, client);
      if (known && known.version.events === look.events) {
        if (known.version.snapshot === look.snapshot && expired.length === 0) return null;
        const updated = await this.updated(known, look, expired, client);
        if (updated) return updated;
      }
      return this.readWhole(look, client);
    }).catch((error: unknown) => {
      for (const thread of expired) this.expired.add(thread);
      throw error;
    });
    if (fresh === null) {
      this.summary = known;
      return { threads: known!.threads, unchanged: true };
    }
    this.summary = fresh.summary;
    this.keep(fresh.changed);
    return { threads: fresh.summary.threads, unchanged: false };
  }

  /**
   * The kept list brought up to date: the rows added since, found by id, added to their runs; the threads
   * expired read again. null when that does not add up to the table's count (another connection deleted),
   * or more was added than a look reads (an import: one pass over the table costs less).
   */
  private async updated(known: KeptList, look: ChangeLook, expired: readonly string[], client: pg.PoolClient): Promise<{ summary: KeptList; changed: string[] } | null> {
    const { ids } = known.version;
    const found = await this.query<{ id: number; thread_id: string }>(LIVE_SQL.eventsAdded, { top: ids.top, limit: ADDED_ROWS_READ, ...ids.bounds }, client);
    const above = found.filter((row) => row.id > ids.top);
    if (above.length >= ADDED_ROWS_READ) return null;
    const [{ rows }] = await this.query<{ rows: number }>(LIVE_SQL.eventTotal, {}, client);
    const rereading = new Set(expired);
    const threads = new Map(known.threads);
    for (const thread of expired) threads.delete(thread);
    for (const [thread, runs] of groupRuns(await this.query<RunRow>(this.sql.runsOfThreads, { threads: expired }, client))) threads.set(thread, runs);
    // Rows only ever added to a run: its figures grow by theirs, without reading the rows it had (a 200k-event thread's).
    const added = await this.query<RunRow>(this.sql.runsOfIds, { ids: found.filter((row) => !rereading.has(row.thread_id)).map((row) => row.id) }, client);
    for (const row of added) threads.set(row.thread_id, withAdded(threads.get(row.thread_id), row));
    if (eventsIn(threads) !== rows) return null;
    const seen = found.map((row) => row.id).sort((a, b) => a - b);
    const reached = above.reduce((top, row) => Math.max(top, row.id), ids.top);
    const version = { snapshot: look.snapshot, events: look.events, ids: ids.after(seen, reached, Date.now(), GAP_RULES) };
    return { summary: { version, threads }, changed: [...new Set([...added.map((row) => row.thread_id), ...expired])] };
  }

  /** Every run of the table, in one pass; the ids near its top that are missing are kept as gaps (maybe not yet committed). */
  private async readWhole(look: ChangeLook, client: pg.PoolClient): Promise<{ summary: KeptList; changed: null }> {
    let top = 0;
    await client.query(TRANSACTION_SQL.wholeTable);
    const runs = (await this.query<RunRow & { top_id: number }>(this.sql.allRuns, {}, client)).map(({ top_id, ...run }) => {
      top = Math.max(top, top_id);
      return run;
    });
    const from = Math.max(0, top - RECENT_IDS);
    const present = (await this.query<{ id: number }>(this.sql.idsAbove, { from }, client)).map((row) => row.id).sort((a, b) => a - b);
    const version = { snapshot: look.snapshot, events: look.events, ids: new IdGaps(from).after(present, top, Date.now(), GAP_RULES) };
    return { summary: { version, threads: groupRuns(runs) }, changed: null };
  }

  /** The follower's word: these threads changed (null: any of them may have). The next list reads them again. */
  expire(threadIds: readonly string[] | null): void {
    if (threadIds === null) this.summary = null;
    else for (const thread of threadIds) this.expired.add(thread);
  }

  /**
   * Keeps the thread list in the source's sidecar (summary-file.ts), so the
   * next session reads only what changed since; the session calls it once,
   * before the first list.
   */
  keepSummaryIn(file: SummaryFile): void {
    this.summaryFile = file;
  }

  private keptSummary(): KeptList | null {
    const kept = this.guarded(() => this.summaryFile?.load() ?? null);
    if (!kept) return null;
    for (const [key, outcome] of kept.outcomes) this.outcomes.set(key, outcome);
    return { version: kept.version, threads: groupRuns(kept.runs) };
  }

  /** The summary into its file: the runs of the changed threads, or (null) all of them. */
  private keep(changed: readonly string[] | null): void {
    const summary = this.summary;
    if (!this.summaryFile || !summary) return;
    const runsOf = (threads: Iterable<string>) => [...threads].flatMap((t) => [...(summary.threads.get(t)?.values() ?? [])]);
    const runs = changed === null ? [...summary.threads.values()].flatMap((r) => [...r.values()]) : runsOf(changed);
    this.guarded(() => this.summaryFile?.save(summary.version, runs, changed, this.outcomes));
  }

  /** The summary file is a cache: when it cannot be read or written, the thread list is made without it. */
  private guarded<T>(work: () => T): T | null {
    try {
      return work();
    } catch {
      this.summaryFile?.close();
      this.summaryFile = null;
      return null;
    }
  }

  /** The app's own delete (of events or run records): its thread is read again at the next list (its rows and name then). */
  private forgetInSummary(thread: string, removed: number): void {
    if (removed > 0) this.expired.add(thread);
  }

  listThreads(): Promise<ThreadSummary[]> {
    const list = this.listing.then(() => this.listThreadsInTurn());
    this.listing = list.catch(() => {});
    return list;
  }

  private async listThreadsInTurn(): Promise<ThreadSummary[]> {
    const { threads, unchanged } = await this.threadRuns();
    // Nothing committed anywhere since the last list: its names and statuses are as they were too.
    if (unchanged && this.listed) return structuredClone(this.listed);
    const totals = new Map([...threads].map(([thread, runs]) => [thread, threadTotals(runs.values())]));
    const lastRuns = [...totals.values()].flatMap(({ lastRun }) => (lastRun ? [lastRun] : []));
    // Two of the pool's connections at once.
    const [names, statuses] = await Promise.all([this.displayNames(), this.runStatuses(lastRuns)]);
    const summaries: ThreadSummary[] = [...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([thread, { lastRun, ...counts }]) => ({
      thread_id: thread,
      display_name: names.get(thread) ?? null,
      ...counts,
      last_run_status: lastRun ? (statuses.get(runKeyOf(lastRun)) ?? null) : null,
    }));
    addThreadsWithoutEvents(summaries, names);
    this.listed = summaries;
    return structuredClone(summaries);
  }

  /** threads_meta's display names, by thread; none without the table. */
  private async displayNames(): Promise<Map<string, string | null>> {
    if (!this.sql.metaThreads) return new Map();
    const rows = await this.query<{ thread_id: string; display_name: string | null }>(this.sql.metaThreads);
    return new Map(rows.map((row) => [row.thread_id, stringOrNull(row.display_name)]));
  }

  /** Each run's status: its `runs` row's, else what its last lifecycle event says (kept while the run is unchanged); by `thread\nrun`. */
  private async runStatuses(runs: readonly RunRow[]): Promise<Map<string, string | null>> {
    const table = await this.runsTableRows(runs.map((r) => r.run_id));
    const stale = runs.filter((r) => !table.get(r.run_id)?.status && this.outcomes.get(runKeyOf(r))?.version !== runVersion(r));
    if (stale.length > 0) {
      const found = new Map<string, RunEvent>();
      for (const row of await this.query<EventRow>(this.sql.runOutcomes, { threads: stale.map((r) => r.thread_id), runs: stale.map((r) => r.run_id) })) {
        found.set(runKeyOf(row), rowToEvent(row));
      }
      const fresh = new Map<string, KeptOutcome>();
      for (const run of stale) fresh.set(runKeyOf(run), { version: runVersion(run), status: outcomeOf(found.get(runKeyOf(run))).status ?? null });
      for (const [key, outcome] of fresh) this.outcomes.set(key, outcome);
      this.guarded(() => this.summaryFile?.saveOutcomes(fresh));
    }
    return new Map(
      runs.map((r) => {
        const key = runKeyOf(r);
        return [key, stringOrNull(table.get(r.run_id)?.status) ?? this.outcomes.get(key)?.status ?? null];
      }),
    );
  }

  private async runsTableRows(runIds: readonly string[]): Promise<Map<string, RunsTableRow>> {
    if (!this.sql.runsTable || runIds.length === 0) return new Map();
    return new Map((await this.query<RunsTableRow>(this.sql.runsTable, { runs: runIds })).map((r) => [r.run_id, r]));
  }

  /**
   * What a thread's runs' events say (outcome, figures, usage), read for the
   * runs whose count or seq range changed since last read, in one query, and
   * kept; by run id.
   */
  private async factsOf(thread: string, runs: readonly RunRow[]): Promise<Map<string, RunFactsTally>> {
    const found = new Map<string, RunFactsTally>();
    const stale: RunRow[] = [];
    for (const run of runs) {
      const kept = this.runFacts.get(runKeyOf(run));
      if (kept?.version === runVersion(run)) found.set(run.run_id, kept.facts);
      else stale.push(run);
    }
    if (stale.length === 0) return found;
    const events = await this.query<EventRow>(this.sql.runFactEvents, { thread, runs: stale.map((r) => r.run_id) });
    const byRun = new Map<string, RunFactsTally>();
    for (const row of events) {
      const key = runKeyOf(row);
      let tally = byRun.get(key);
      if (!tally) byRun.set(key, (tally = new RunFactsTally()));
      tally.add(rowToEvent(row));
    }
    for (const run of stale) {
      const key = runKeyOf(run);
      const facts = byRun.get(key) ?? new RunFactsTally();
      this.runFacts.set(key, { version: runVersion(run), facts });
      found.set(run.run_id, facts);
    }
    return found;
  }

  async listRuns(threadId: string): Promise<RunSummary[]> {
    const thread = checkId(threadId, 'threadId');
    const rows = await this.query<RunRow>(this.sql.runsOfThreads, { threads: [thread] });
    rows.sort((a, b) => a.first_seq - b.first_seq);
    const table = await this.runsTableRows(rows.map((r) => r.run_id));
    const facts = await this.factsOf(thread, rows);
    return rows.map((row) => {
      const { outcome, calls, usage } = facts.get(row.run_id)!;
      const summary = {
        run_id: row.run_id,
        message_count: row.message_count,
        event_count: row.event_count,
        first_created_at: row.first_created_at,
        last_created_at: row.last_created_at,
        first_seq: row.first_seq,
        last_seq: row.last_seq,
        ...calls,
      };
      // DeerFlow's runs table is the authority where it has the run.
      const run = table.get(row.run_id);
      if (run) return { ...summary, ...summaryFromRunsRow(run, outcome) };
      return { ...summary, ...outcome, stop_reason: null, model_name: usage.model, total_tokens: usage.tokens };
    });
  }

  async recordedRun(threadId: string, runId: string): Promise<RecordedRun | null> {
    const thread = checkId(threadId, 'threadId');
    const run = checkId(runId, 'runId');
    if (!this.sql.recordedRun) return null;
    const [row] = await this.query<RecordedRunColumns>(this.sql.recordedRun, { thread, run });
    return row ? recordedRunOf(row) : null;
  }

  async threadOverview(threadId: string, buckets: number, options?: OverviewOptions): Promise<ThreadOverview> {
    const thread = checkId(threadId, 'threadId');
    const wanted = checkBuckets(buckets);
    const marks = checkMarks(options);
    const [range] = await this.query<{ first_seq: number | null; last_seq: number | null; event_count: number }>(this.sql.threadRange, { thread });
    if (!range || range.first_seq === null || range.last_seq === null) return emptyOverview();
    const cut = bucketing(range.first_seq, range.last_seq, wanted);
    const overview = zeroOverview(cut);
    const { events, messages } = overview.buckets;
    for (const row of await this.query<{ bucket: number; events: number; messages: number }>(this.sql.overviewCounts, { thread, first: cut.first, last: cut.last, width: cut.width })) {
      events[row.bucket] = row.events;
      messages[row.bucket] = row.messages;
    }
    const found = marks === false ? null : await this.marksOf(thread, { first: range.first_seq, last: range.last_seq, count: range.event_count }, marks === 'kept');
    return found ? withMarks(overview, cut, found) : withoutMarks(overview);
  }

  /**
   * A thread's errors and failed tool calls, kept: events are only ever added
   * above the highest seq and deleted, so when the events added since are
   * exactly those above the last seq read, only they are read; else the
   * whole thread again — unless `onlyKept`, which answers null instead.
   */
  private async marksOf(thread: string, now: Pick<OverviewMarks, 'first' | 'last' | 'count'>, onlyKept: boolean): Promise<OverviewMarks | null> {
    const known = this.overviewMarks.get(thread);
    const onlyAdded =
      known !== undefined &&
      known.first === now.first &&
      now.last >= known.last &&
      ((await this.query<{ n: number }>(this.sql.countAfter, { thread, after: known.last }))[0]?.n ?? 0) === now.count - known.count;
    if (!onlyAdded && onlyKept) return null;
    const marks: OverviewMarks = onlyAdded ? known : noMarksYet(now);
    if (marks.last < now.last) {
      const rows = await this.query<{ seq: number; error: boolean; event_type: string; content: string }>(this.sql.overviewMarks, { thread, after: marks.last, last: now.last });
      rows.sort((a, b) => a.seq - b.seq);
      for (const row of rows) {
        if (row.error) marks.errors.push(row.seq);
        if (isFailedToolResult(row)) marks.toolErrors.push(row.seq);
      }
    }
    marks.last = now.last;
    marks.count = now.count;
    this.overviewMarks.set(thread, marks);
    return marks;
  }

  async eventCounts(threadId: string, runId?: string): Promise<EventCounts> {
    const thread = checkId(threadId, 'threadId');
    if (runId === undefined) return foldCounts(await this.query<CountGroup>(this.sql.threadCounts, { thread }));
    const run = checkId(runId, 'runId');
    return foldCounts(await this.query<CountGroup>(this.sql.runCounts, { thread, run }));
  }

  async getEvent(threadId: string, seq: number): Promise<RunEvent | null> {
    const thread = checkId(threadId, 'threadId');
    if (!Number.isSafeInteger(seq)) return null;
    const [row] = await this.query<EventRow>(this.sql.getEvent, { thread, seq });
    return row ? rowToEvent(row) : null;
  }

  async sourceIssues(): Promise<SourceIssue[]> {
    return [];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.summaryFile?.close();
    await this.pool.end();
  }
}

/** Every thread's runs, as of a version of the table. */
interface KeptList {
  version: ListVersion;
  threads: Map<string, ThreadRuns>;
}

/** What says whether anything may have changed (LIVE_SQL.look). */
interface ChangeLook {
  snapshot: string;
  events: string | null;
}

const eventsIn = (threads: ReadonlyMap<string, ThreadRuns>) => {
  let events = 0;
  for (const runs of threads.values()) for (const run of runs.values()) events += run.event_count;
  return events;
};

/** A thread's runs with the figures of rows added to one of them folded in. */
function withAdded(runs: ThreadRuns | undefined, added: RunRow): ThreadRuns {
  const next = new Map(runs);
  const had = next.get(added.run_id);
  const earliest = (a: string | null, b: string | null) => (a === null ? b : b === null || a < b ? a : b);
  const latest = (a: string | null, b: string | null) => (a === null ? b : b === null || a > b ? a : b);
  next.set(
    added.run_id,
    had
      ? {
          ...had,
          event_count: had.event_count + added.event_count,
          message_count: had.message_count + added.message_count,
          first_seq: Math.min(had.first_seq, added.first_seq),
          last_seq: Math.max(had.last_seq, added.last_seq),
          first_created_at: earliest(had.first_created_at, added.first_created_at),
          last_created_at: latest(had.last_created_at, added.last_created_at),
        }
      : added,
  );
  return next;
}

function groupRuns(rows: readonly RunRow[]): Map<string, ThreadRuns> {
  const threads = new Map<string, ThreadRuns>();
  for (const row of rows) {
    let runs = threads.get(row.thread_id);
    if (!runs) threads.set(row.thread_id, (runs = new Map()));
    runs.set(row.run_id, row);
  }
  return threads;
}
