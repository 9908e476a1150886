// Every SQL statement of the sqlite backend but the schema's introspection
// (schema.ts). Statements are prepared once when the database opens (which
// ones depends on the database's vintage) and take bound values only.
import type Database from 'better-sqlite3';
import { SLOW_QUERY_MS, slowQuery } from '../../debug-log.ts';
import { HUMAN_MESSAGE_SIGNS } from '../../../src-shared/message-model.ts';
import { OUTCOME_TYPES } from '../../../src-shared/run-status.ts';
import { NULL_SPAN, ROW_TEXT_COLUMNS, type RowBatch } from './row-batch.ts';
import { AI_MESSAGE_TYPES, TOOL_RESULT_TYPE } from '../run-facts.ts';
import { ERROR_CATEGORY, ERROR_EVENT_TYPES } from '../overview.ts';
import { eventColumns, quoteIdentifier as quote, recordedRunSql, runsSummarySql, type RunsDialect } from '../deerflow-columns.ts';
import { healthColumnsSql, healthKeysetSql, type HealthRow } from '../health-columns.ts';
import type {
  CountRow,
  EventParams,
  EventRow,
  ExportRow,
  ExportRunRow,
  ExportWindow,
  OverviewMarkRow,
  OverviewRow,
  RecordedRunRow,
  RunFactsRow,
  RunRow,
  RunsTableRow,
  SpanRow,
  TableMarkRow,
  ThreadRangeRow,
  UsageRow,
} from './rows.ts';
import type { SqliteSchema } from './schema.ts';
import type { DeletedRecords, RunRecordCounts } from '../../../src-shared/run-records.ts';
import { activeRunsSql, runsByThread } from '../run-records.ts';

/**
 * What SQLAlchemy emits for DeerFlow's `RunEventRow` on SQLite (`create_all`),
 * as it lands in sqlite_master, so DeerFlow opens our files as its own.
 */
export const RUN_EVENTS_DDL: readonly string[] = [
  // The table first, then its indexes: an import into a new database creates these last.
  `CREATE TABLE run_events (
\tid INTEGER NOT NULL, 
\tthread_id VARCHAR(64) NOT NULL, 
\trun_id VARCHAR(64) NOT NULL, 
\tuser_id VARCHAR(64), 
\tevent_type VARCHAR(32) NOT NULL, 
\tcategory VARCHAR(16) NOT NULL, 
\tcontent TEXT NOT NULL, 
\tevent_metadata JSON NOT NULL, 
\tseq INTEGER NOT NULL, 
\tcreated_at DATETIME NOT NULL, 
\tPRIMARY KEY (id), 
\tCONSTRAINT uq_events_thread_seq UNIQUE (thread_id, seq)
)`,
  'CREATE INDEX ix_events_run ON run_events (thread_id, run_id, seq)',
  'CREATE INDEX ix_events_thread_cat_seq ON run_events (thread_id, category, seq)',
  'CREATE INDEX ix_run_events_user_id ON run_events (user_id)',
];

/**
 * A bound value the query planner does not look at. SQLite's planner reads the value bound to a
 * `col = ?` (is it 0 or 1?) and to `LIMIT ?`, and marks the statement to be prepared again when
 * that binding changes; better-sqlite3 clears the bindings after every run, which counts as one,
 * so each call of a read parsed and planned its statement anew (a fifth of a 16-row run's read,
 * and the most of it in a process woken for each request). `+?` is the same value with no
 * affinity, as a bare parameter has none, so the comparison is unchanged; the index is named, so
 * is the plan.
 */
const unplanned = (name: string) => `+@${name}`;
/** A thread's rows, and a run's. */
const threadIs = `thread_id = ${unplanned('thread')}`;
const runIs = `${threadIs} AND run_id = ${unplanned('run')}`;

/** Cursor window: seq > after AND seq < before; limit -1 is SQLite's "no limit". */
export interface Window {
  after: number;
  before: number;
  limit: number;
}

type S<P extends unknown[] | object, R = unknown> = Database.Statement<P extends unknown[] ? P : [P], R>;

export interface Statements {
  maxSeq: S<[string], number | null>;
  /** Inserts one row; returns the values it got in the extra columns (their defaults), or undefined when the table has none. */
  insert: (row: EventParams) => Record<string, unknown> | undefined;
  /**
   * Inserts the rows whose (thread_id, seq) the database does not have yet
   * (import keeps seqs; duplicates are skipped with or without the unique
   * constraint); returns how many were written.
   */
  insertBatch: (batch: RowBatch) => number;
  firstOfType: S<[string, string, string], EventRow>;
  messagesForward: S<Window & { thread: string }, EventRow>;
  messagesBackward: S<Window & { thread: string }, EventRow>;
  runMessagesForward: S<Window & { thread: string; run: string }, EventRow>;
  runMessagesBackward: S<Window & { thread: string; run: string }, EventRow>;
  /** A run's events of every type; filteredEvents with a filter, whose clauses cost a sixth more per row even when empty. */
  events: S<Window & { thread: string; run: string }, EventRow>;
  filteredEvents: S<Window & { thread: string; run: string; types: string | null; task: string | null }, EventRow>;
  countMessages: S<[string], number>;
  getEvent: S<[string, number], EventRow>;
  /** Deletes a thread's rows; returns how many. */
  deleteThread: (thread: string) => number;
  deleteRun: (thread: string, run: string) => number;
  metaThreads: S<[], { thread_id: string; display_name: unknown }> | null;
  runs: S<{ thread: string }, RunRow>;
  /** A run's span and figures: reads every row of it. */
  runSpan: S<[string, string], RunFactsRow>;
  lastOutcome: S<[string, string], EventRow>;
  runUsage: S<[string, string], UsageRow>;
  /** Rows for a JSON array of run ids. */
  runsTable: S<[string], RunsTableRow> | null;
  recordedRun: S<{ thread: string; run: string }, RecordedRunRow> | null;
  threadCounts: S<{ thread: string }, CountRow>;
  runCounts: S<{ thread: string; run: string }, CountRow>;
  threadRange: S<{ thread: string }, ThreadRangeRow>;
  /** How many of a thread's events have a seq above `after`. */
  countAfter: S<{ thread: string; after: number }, number>;
  /** The overview strip's events and messages of a thread's seqs from `first` to `last`, in buckets of `width` seqs: from an index alone. */
  overviewCounts: S<{ thread: string; first: number; last: number; width: number }, OverviewRow>;
  /** The errors and failed tool calls of a thread with seqs above `after`, up to `last`: reads every row of them. */
  overviewMarks: S<{ thread: string; after: number; last: number }, OverviewMarkRow>;
  /**
   * The highest rowid, and every row with a rowid from `from` (exclusive) to `to` in rowid order:
   * the whole-table marks pass, a page at a time. Prepared on first use: a run_events view has no rowid.
   */
  maxRowId: () => S<[], number | null>;
  tableMarks: () => S<{ from: number; to: number }, TableMarkRow>;
}

const IMPORT_CHUNK_ROWS = 50;

/** The run_events columns this app reads and writes, in the vintage's set. */
const writtenColumns = (schema: SqliteSchema) => eventColumns(schema.userId);

/** What a record is read from: the known columns, then the extra ones (none in DeerFlow's databases so far). */
const recordColumns = (schema: SqliteSchema) => [...writtenColumns(schema), ...schema.extraColumns.map((c) => quote(c.name))].join(', ');

/** A statement prepared the first time it is needed, then reused. */
function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

/** Constant strings of ours as a SQL list (never a caller's value: those are bound). */
const sqlList = (values: readonly string[]) => values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ');

/**
 * Without ANALYZE statistics (which we may not add to a foreign file) SQLite
 * prefers the unique (thread_id, seq) index and filters category or run row
 * by row; naming the right index keeps pages proportional to what they return.
 */
const indexedBy = (index: string | null) => (index ? `INDEXED BY ${quote(index)}` : '');

/** The `runs` statements in SQLite's words. */
const RUNS_DIALECT: RunsDialect = {
  param: (name) => `@${name}`,
  metadataField: (field) => `CASE WHEN json_valid(metadata_json) THEN metadata_json ->> '$.${field}' END`,
};

/**
 * One pass for all three breakdowns. The LIKE skips JSON parsing for rows
 * that cannot have a task_id; json_valid comes first because one malformed
 * row would otherwise fail the whole query.
 */
const countsSql = (from: string, where: string) =>
  `SELECT category, event_type,
     CASE WHEN event_metadata LIKE '%task_id%' THEN
       CASE WHEN json_valid(event_metadata) THEN
         CASE WHEN json_type(event_metadata, '$.task_id') = 'text' THEN json_extract(event_metadata, '$.task_id') END
       END
     END AS task_id,
     count(*) AS n
   FROM ${from} WHERE ${where} GROUP BY 1, 2, 3`;

/**
 * run-facts' rules in SQL. A message is an object or its JSON text, so one
 * whose text does not start with `{` is none (messageObject); json_valid
 * before any other JSON function, inside CASE, which SQLite evaluates in order.
 */
const asMessage = (expression: string, extraFilter = '') =>
  `CASE WHEN content LIKE '{%'${extraFilter} THEN CASE WHEN json_valid(content) THEN ${expression} END END`;

/** isFailedToolResult: 1 for a tool result whose status is error, else 0 or NULL. The LIKE skips parsing results that cannot say it. */
const failedToolResultSql = `CASE WHEN event_type = '${TOOL_RESULT_TYPE}' THEN ${asMessage(`json_extract(content, '$.status') = 'error'`, ` AND content LIKE '%error%'`)} END`;

/** toolCallsOf(...).length of an AI message: the objects in its tool_calls array. */
const toolCallCountSql = `CASE WHEN event_type IN (${sqlList(AI_MESSAGE_TYPES)}) THEN ${asMessage(
  `CASE WHEN json_type(content, '$.tool_calls') = 'array' THEN (SELECT count(*) FROM json_each(content, '$.tool_calls') WHERE type = 'object') END`,
  ` AND content LIKE '%tool_calls%'`,
)} END`;

/** overview.ts isErrorEvent. */
const errorEventSql = `(category = '${ERROR_CATEGORY}' OR event_type IN (${sqlList(ERROR_EVENT_TYPES)}))`;

/** An overview mark row's `error` and `tool_error` (OverviewMarkRow). */
const markColumnsSql = `${errorEventSql} AS error, coalesce(${failedToolResultSql}, 0) AS tool_error`;

export function prepareStatements(db: Database.Database, schema: SqliteSchema): Statements {
  const written = writtenColumns(schema);
  const columns = written.join(', ');
  const placeholders = written.map(() => '?').join(', ');
  const extras = schema.extraColumns.map((c) => quote(c.name)).join(', ');
  const selected = recordColumns(schema);
  const byCategory = `run_events ${indexedBy(schema.indexes.threadCategorySeq)}`;
  const byRun = `run_events ${indexedBy(schema.indexes.threadRunSeq)}`;
  const page = <P extends Window>(from: string, scope: string, order: 'ASC' | 'DESC') =>
    db.prepare<[P], EventRow>(
      `SELECT ${selected} FROM ${from} WHERE ${scope} AND category = 'message' AND seq > @after AND seq < @before ORDER BY seq ${order} LIMIT ${unplanned('limit')}`,
    );
  const runs = schema.runs;

  // Positional binding: measurably faster than named for an import's million rows.
  const valuesOf = schema.userId
    ? (r: EventParams) => [r.thread_id, r.run_id, r.user_id, r.event_type, r.category, r.content, r.event_metadata, r.seq, r.created_at]
    : (r: EventParams) => [r.thread_id, r.run_id, r.event_type, r.category, r.content, r.event_metadata, r.seq, r.created_at];
  // Writes are prepared on first use: SQLite refuses to even prepare them
  // when run_events is a view, which is still worth reading.
  // The extra columns are left to their defaults, which the record must show as a later query will.
  const insert = once(() => db.prepare(`INSERT INTO run_events (${columns}) VALUES (${placeholders})${extras ? ` RETURNING ${extras}` : ''}`));
  const insertBatch = batchInserter(db, schema);
  const deleteThread = once(() => db.prepare('DELETE FROM run_events WHERE thread_id = ?'));
  const deleteRun = once(() => db.prepare(`DELETE FROM ${byRun} WHERE thread_id = ? AND run_id = ?`));

  return timedByName({
    // Bounded so a text seq another writer left (sorted after all numbers) is not taken for the highest.
    maxSeq: db.prepare<[string], number | null>(`SELECT max(seq) FROM run_events WHERE thread_id = ? AND seq > 0 AND seq <= ${Number.MAX_SAFE_INTEGER}`).pluck(),
    insert: extras
      ? (r) => insert().get(valuesOf(r)) as Record<string, unknown>
      : (r) => {
          insert().run(valuesOf(r));
          return undefined;
        },
    insertBatch,
    firstOfType: db.prepare(`SELECT ${selected} FROM ${byRun} WHERE thread_id = ? AND run_id = ? AND event_type = ? ORDER BY seq LIMIT 1`),
    messagesForward: page(byCategory, threadIs, 'ASC'),
    messagesBackward: page(byCategory, threadIs, 'DESC'),
    runMessagesForward: page(byRun, runIs, 'ASC'),
    runMessagesBackward: page(byRun, runIs, 'DESC'),
    events: db.prepare(`SELECT ${selected} FROM ${byRun} WHERE ${runIs} AND seq > @after AND seq < @before ORDER BY seq LIMIT ${unplanned('limit')}`),
    // DeerFlow filters task_id in SQL before LIMIT so task pages stay complete.
    filteredEvents: db.prepare(
      `SELECT ${selected} FROM ${byRun} WHERE ${runIs} AND seq > @after AND seq < @before
         AND (@types IS NULL OR event_type IN (SELECT value FROM json_each(@types)))
         AND (@task IS NULL OR CASE WHEN json_valid(event_metadata) THEN json_extract(event_metadata, '$.task_id') END = @task)
       ORDER BY seq LIMIT ${unplanned('limit')}`,
    ),
    countMessages: db.prepare<[string], number>(`SELECT count(*) FROM ${byCategory} WHERE thread_id = ? AND category = 'message'`).pluck(),
    getEvent: db.prepare(`SELECT ${selected} FROM run_events WHERE thread_id = ? AND seq = ? LIMIT 1`),
    deleteThread: (thread) => deleteThread().run(thread).changes,
    deleteRun: (thread, run) => deleteRun().run(thread, run).changes,
    metaThreads: schema.threadsMeta ? db.prepare('SELECT thread_id, display_name FROM threads_meta ORDER BY thread_id') : null,
    // Counts and seq range from the indexes alone; the span (runSpan) reads the rows.
    runs: db.prepare(
      `WITH r AS (SELECT run_id, count(*) AS event_count, min(seq) AS first_seq, max(seq) AS last_seq FROM ${byRun} WHERE thread_id = @thread GROUP BY run_id),
       m AS (SELECT run_id, count(*) AS n FROM ${byCategory} WHERE thread_id = @thread AND category = 'message' GROUP BY run_id)
       SELECT r.run_id, r.event_count, coalesce(m.n, 0) AS message_count, r.first_seq, r.last_seq
       FROM r LEFT JOIN m ON m.run_id = r.run_id ORDER BY r.first_seq`,
    ),
    runSpan: db.prepare(
      `SELECT min(created_at) AS first_created_at, max(created_at) AS last_created_at,
         total(event_type IN (${sqlList(AI_MESSAGE_TYPES)})) AS llm_calls,
         total(${toolCallCountSql}) AS tool_calls,
         total(${failedToolResultSql}) AS tool_errors
       FROM ${byRun} WHERE thread_id = ? AND run_id = ?`,
    ),
    lastOutcome: db.prepare(
      `SELECT ${columns} FROM ${byRun} WHERE thread_id = ? AND run_id = ? AND event_type IN (${sqlList(OUTCOME_TYPES)}) ORDER BY seq DESC LIMIT 1`,
    ),
    // The parts of a message aiUsageOf (run-facts.ts) reads; json_valid first, as one malformed row would fail the query.
    runUsage: db.prepare(
      `SELECT seq,
         CASE WHEN json_valid(content) THEN content -> '$.usage_metadata' END AS usage_metadata,
         CASE WHEN json_valid(content) THEN content -> '$.response_metadata' END AS response_metadata,
         CASE WHEN json_valid(event_metadata) THEN event_metadata -> '$.usage' END AS usage,
         CASE WHEN json_valid(event_metadata) THEN event_metadata -> '$.model_name' END AS model_name
       FROM ${byRun} WHERE thread_id = ? AND run_id = ? AND event_type IN (${sqlList(AI_MESSAGE_TYPES)})`,
    ),
    runsTable: runs ? db.prepare(runsSummarySql(runs, RUNS_DIALECT, 'run_id IN (SELECT value FROM json_each(?))')) : null,
    recordedRun: runs ? db.prepare(recordedRunSql(runs, RUNS_DIALECT)) : null,
    threadCounts: db.prepare(countsSql('run_events', 'thread_id = @thread')),
    runCounts: db.prepare(countsSql(byRun, 'thread_id = @thread AND run_id = @run')),
    threadRange: db.prepare(
      `SELECT min(seq) AS first_seq, max(seq) AS last_seq, count(*) AS event_count
       FROM run_events WHERE thread_id = @thread AND seq > 0 AND seq <= ${Number.MAX_SAFE_INTEGER}`,
    ),
    countAfter: db.prepare<[{ thread: string; after: number }], number>(
      `SELECT count(*) FROM run_events WHERE thread_id = @thread AND seq > @after AND seq <= ${Number.MAX_SAFE_INTEGER}`,
    ).pluck(),
    // A bound number is a REAL, so the bucket's division casts both sides to have it be an integer one.
    overviewCounts: db.prepare(
      `SELECT (seq - CAST(@first AS INTEGER)) / CAST(@width AS INTEGER) AS bucket, count(*) AS events, total(category = 'message') AS messages
       FROM ${byCategory} WHERE thread_id = @thread AND seq >= @first AND seq <= @last GROUP BY bucket`,
    ),
    overviewMarks: db.prepare(
      `SELECT seq, ${markColumnsSql}
       FROM run_events WHERE thread_id = @thread AND seq > @after AND seq <= @last AND (${errorEventSql} OR ${failedToolResultSql})`,
    ),
    maxRowId: once(() => db.prepare<[], number | null>('SELECT max(rowid) FROM run_events').pluck()),
    // The table in rowid order reads pages one after another, not a b-tree seek per row.
    tableMarks: once(() =>
      db.prepare<[{ from: number; to: number }], TableMarkRow>(
        `SELECT thread_id, seq, ${markColumnsSql}
         FROM run_events WHERE rowid > @from AND rowid <= @to AND seq > 0 AND seq <= ${Number.MAX_SAFE_INTEGER}`,
      ),
    ),
  });
}

/** One row as the kept thread summary counts it in: [rowid, thread_id, run_id, seq, category, created_at], as stored. */
export type SummaryRow = [number, unknown, unknown, number, unknown, unknown];

/** The kept thread summary's reads (kept-threads.ts). */
export interface SummaryStatements {
  /** Changes when another connection commits (SQLite's data_version; the connection's own commits leave it). */
  dataVersion: S<[], number>;
  /** The rows with a rowid in (from, to], in rowid order: pages of the table one after another. Prepared on first use: a view has no rowid. */
  rowsAbove: () => S<{ from: number; to: number }, SummaryRow>;
  /** Every row, for a run_events view: no rowid to start from. */
  allRows: S<[], SummaryRow>;
  /** A thread's rows, counted in an index. */
  threadEvents: S<[string], number>;
  /** 1 when the run has a row: a seek. */
  runExists: S<[string, string], number>;
  /** A run's earliest and latest created_at: reads every row of it. */
  runStamps: S<[string, string], SpanRow>;
  /** A thread's messages with seqs in (after, before) that may be human (message-model.ts HUMAN_MESSAGE_SIGNS), in seq order. */
  humanCandidates: S<{ thread: string; after: number; before: number; limit: number }, EventRow>;
  /** The `runs` status of each run of a JSON array of run ids (only it: the list shows nothing else of the row); null without the column. */
  runStatuses: S<[string], { run_id: unknown; status: unknown }> | null;
}

export function prepareSummaryStatements(db: Database.Database, schema: SqliteSchema): SummaryStatements {
  const columns = 'thread_id, run_id, seq, category, created_at';
  const { eventTypes, roleNames } = HUMAN_MESSAGE_SIGNS;
  const mayBeHuman = [`event_type IN (${sqlList(eventTypes)})`, ...roleNames.map((name) => `content LIKE '%${name}%'`)].join(' OR ');
  return timedByName({
    dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
    rowsAbove: once(() => db.prepare<[{ from: number; to: number }], SummaryRow>(`SELECT rowid, ${columns} FROM run_events WHERE rowid > @from AND rowid <= @to`).raw()),
    allRows: db.prepare<[], SummaryRow>(`SELECT 0, ${columns} FROM run_events`).raw(),
    threadEvents: db.prepare<[string], number>('SELECT count(*) FROM run_events WHERE thread_id = ?').pluck(),
    runExists: db.prepare<[string, string], number>(`SELECT 1 FROM run_events ${indexedBy(schema.indexes.threadRunSeq)} WHERE thread_id = ? AND run_id = ? LIMIT 1`).pluck(),
    runStamps: db.prepare(
      `SELECT min(created_at) AS first_created_at, max(created_at) AS last_created_at FROM run_events ${indexedBy(schema.indexes.threadRunSeq)} WHERE thread_id = ? AND run_id = ?`,
    ),
    humanCandidates: db.prepare(
      `SELECT ${recordColumns(schema)} FROM run_events ${indexedBy(schema.indexes.threadCategorySeq)}
       WHERE thread_id = @thread AND category = 'message' AND seq > @after AND seq < @before AND (${mayBeHuman}) ORDER BY seq LIMIT @limit`,
    ),
    runStatuses: schema.runs?.columns.has('status') ? db.prepare('SELECT run_id, status FROM runs WHERE run_id IN (SELECT value FROM json_each(?))') : null,
  });
}

/** A thread's rows (`run` null), or one run's, in a run-records table. */
const RECORD_SCOPE = 'thread_id = @thread AND (@run IS NULL OR run_id = @run)';

/**
 * DeerFlow's run records beside the events, as a DeerFlow-style delete takes them with them
 * (run-records.ts): a thread's (`run` null) or one run's; the threads_meta row with a thread only.
 */
export interface RecordStatements {
  counts: (scope: { thread: string; run: string | null }) => RunRecordCounts;
  /** Inside the events' delete transaction. */
  remove: (scope: { thread: string; run: string | null }) => Omit<DeletedRecords, 'events'>;
}

/** Null where the database has no runs table that names each row's thread. The deletes are prepared on first use, like every write. */
export function prepareRecordStatements(db: Database.Database, schema: SqliteSchema): RecordStatements | null {
  if (!runsByThread(schema.runs)) return null;
  const metaScope = 'thread_id = @thread AND @run IS NULL';
  const counts = db.prepare<[{ thread: string; run: string | null }], RunRecordCounts>(
    `SELECT count(*) AS runs, ${activeRunsSql(schema.runs)} AS active,
       ${schema.threadsMeta ? `(SELECT count(*) FROM threads_meta WHERE ${metaScope})` : '0'} AS threadsMeta,
       ${schema.feedback ? `(SELECT count(*) FROM feedback WHERE ${RECORD_SCOPE})` : 'NULL'} AS feedback
     FROM runs WHERE ${RECORD_SCOPE}`,
  );
  const deleteRuns = once(() => db.prepare(`DELETE FROM runs WHERE ${RECORD_SCOPE}`));
  const deleteFeedback = schema.feedback ? once(() => db.prepare(`DELETE FROM feedback WHERE ${RECORD_SCOPE}`)) : null;
  const deleteThreadMeta = schema.threadsMeta ? once(() => db.prepare(`DELETE FROM threads_meta WHERE ${metaScope}`)) : null;
  return timedByName<RecordStatements>({
    counts: (scope) => counts.get(scope)!,
    remove: (scope) => ({
      runs: deleteRuns().run(scope).changes,
      feedback: deleteFeedback?.().run(scope).changes ?? 0,
      threadsMeta: deleteThreadMeta?.().run(scope).changes ?? 0,
    }),
  });
}

const isStatement = (value: unknown): value is Database.Statement =>
  typeof value === 'object' && value !== null && typeof (value as Database.Statement).all === 'function' && typeof (value as Database.Statement).source === 'string';

/** Statements already timed: one prepared on first use comes back from its function at every call. */
const timedStatements = new WeakSet<Database.Statement>();

/**
 * `call` timed under `name`: one slower than SLOW_QUERY_MS is a debug line (debug-log.ts). A
 * performance.now() pair per call and nothing allocated (`arguments` is passed on as it is). A
 * statement it returns (one prepared on first use) is timed by the same name.
 */
function timedCall<F extends (...args: never[]) => unknown>(name: string, call: F): F {
  return function (this: unknown) {
    const started = performance.now();
    try {
      const result = call.apply(this, arguments as unknown as Parameters<F>);
      if (isStatement(result)) timeStatement(name, result);
      return result;
    } finally {
      const ms = performance.now() - started;
      if (ms > SLOW_QUERY_MS) slowQuery(name, ms);
    }
  } as F;
}

/** The statement's runs (all, get, run) timed under `name`; iterate steps outside its call, so it is not. */
function timeStatement(name: string, statement: Database.Statement): void {
  if (timedStatements.has(statement)) return;
  timedStatements.add(statement);
  statement.all = timedCall(name, statement.all);
  statement.get = timedCall(name, statement.get);
  statement.run = timedCall(name, statement.run);
}

/**
 * Every statement of `statements` timed by its key (issue 14; Signal logs a query slower than
 * 40 ms), and every function (a write, a statement prepared on first use) as a whole.
 */
function timedByName<T extends object>(statements: T): T {
  const entries = statements as Record<string, unknown>;
  for (const [name, value] of Object.entries(entries)) {
    if (isStatement(value)) timeStatement(name, value);
    else if (typeof value === 'function') entries[name] = timedCall(name, value as (...args: never[]) => unknown);
  }
  return statements;
}

/** Another database of this app's making (an import's own), attached to copy its events. */
export const ATTACH_IMPORTED_SQL = 'ATTACH DATABASE ? AS imported';
export const DETACH_IMPORTED_SQL = 'DETACH DATABASE imported';

/** Every event of the attached database into this one's run_events, skipping (thread_id, seq) it has. */
export function copyImportedSql(schema: SqliteSchema): string {
  const columns = writtenColumns(schema).join(', ');
  const from = `SELECT ${columns} FROM imported.run_events AS e`;
  return schema.uniqueThreadSeq
    ? `INSERT OR IGNORE INTO main.run_events (${columns}) ${from} ORDER BY e.id`
    : `INSERT INTO main.run_events (${columns}) ${from}
       WHERE NOT EXISTS (SELECT 1 FROM main.run_events AS m WHERE m.thread_id = e.thread_id AND m.seq = e.seq) ORDER BY e.id`;
}

/**
 * Import's insert of a RowBatch. Values bind as views of the batch's bytes,
 * cast to TEXT (the same stored text as a bound string, for a fraction of the
 * cost). Many rows per statement where the unique constraint skips
 * duplicates (twice the speed); the oldest vintage, without it, checks row
 * by row. Prepared on first use, like every write.
 *
 * An extra column gets the record's value of that key, JSON text turned
 * back into SQLite's type of it (a string is text, a number a number, null
 * NULL, an object its JSON text), or its default when the record has no such
 * key (that takes the value twice, once to tell) or, in a NOT NULL column,
 * when it is null (which INSERT OR IGNORE would otherwise drop the row for).
 */
function batchInserter(db: Database.Database, schema: SqliteSchema): (batch: RowBatch) => number {
  const columns = writtenColumns(schema);
  const names = [...columns, ...schema.extraColumns.map((c) => quote(c.name))].join(', ');
  // Where each bound value comes from: a text value of the row (its index), or (-1) its seq.
  const sources = columns.map((name) => ROW_TEXT_COLUMNS.indexOf(name as (typeof ROW_TEXT_COLUMNS)[number]));
  const expressions: string[] = sources.map((source) => (source < 0 ? '?' : 'CAST(? AS TEXT)'));
  schema.extraColumns.forEach((column, k) => {
    const source = ROW_TEXT_COLUMNS.length + k;
    const value = "json_extract(CAST(? AS TEXT), '$')";
    if (column.default === null) {
      sources.push(source);
      expressions.push(value);
    } else if (column.notNull) {
      sources.push(source);
      expressions.push(`coalesce(${value}, (${column.default}))`);
    } else {
      sources.push(source, source);
      expressions.push(`CASE WHEN ? IS NULL THEN (${column.default}) ELSE ${value} END`);
    }
  });
  const row = `(${expressions.join(', ')})`;
  const width = sources.length;
  const chunk = once(() => db.prepare(`INSERT OR IGNORE INTO run_events (${names}) VALUES ${Array(IMPORT_CHUNK_ROWS).fill(row).join(', ')}`));
  const single = once(() =>
    schema.uniqueThreadSeq
      ? db.prepare(`INSERT OR IGNORE INTO run_events (${names}) VALUES ${row}`)
      : db.prepare(
          `INSERT INTO run_events (${names}) SELECT ${row.slice(1, -1)}
           WHERE NOT EXISTS (SELECT 1 FROM run_events WHERE thread_id = CAST(? AS TEXT) AND seq = ?)`,
        ),
  );
  const chunkValues: unknown[] = new Array(IMPORT_CHUNK_ROWS * width);
  const rowValues: unknown[] = new Array(schema.uniqueThreadSeq ? width : width + 2);

  /** Row r's values into `into` from `at`. */
  const fill = (batch: RowBatch, r: number, into: unknown[], at: number) => {
    const { buffer, byteOffset } = batch.bytes;
    const rowSpans = r * batch.columns * 2;
    for (let c = 0; c < width; c++) {
      const source = sources[c];
      if (source < 0) {
        into[at + c] = batch.seqs[r];
      } else {
        const at2 = rowSpans + source * 2;
        const start = batch.spans[at2];
        // A plain view: subarray() would look up a species constructor for every value.
        into[at + c] = start === NULL_SPAN ? null : new Uint8Array(buffer, byteOffset + start, batch.spans[at2 + 1] - start);
      }
    }
  };

  return (batch) => {
    let written = 0;
    let r = 0;
    if (schema.uniqueThreadSeq) {
      for (; r + IMPORT_CHUNK_ROWS <= batch.rows; r += IMPORT_CHUNK_ROWS) {
        for (let k = 0; k < IMPORT_CHUNK_ROWS; k++) fill(batch, r + k, chunkValues, k * width);
        written += chunk().run(chunkValues).changes;
      }
    }
    for (; r < batch.rows; r++) {
      fill(batch, r, rowValues, 0);
      if (!schema.uniqueThreadSeq) {
        rowValues[width] = rowValues[0];
        rowValues[width + 1] = batch.seqs[r];
      }
      written += single().run(rowValues).changes;
    }
    return written;
  };
}

/** An export's reads (SqliteStore.exportReader), in ix_events_run's order. */
export interface ExportStatements {
  /** Every run, in (thread_id, run_id) order: from the index alone. */
  runs: S<[], ExportRunRow>;
  /** One thread's runs, in run_id order. */
  threadRuns: S<[string], ExportRunRow>;
  /**
   * The next `limit` rows after the window's start, up to its last run: one
   * seek, then the index in order, so a page costs what it returns however
   * deep in the table it starts. Every row is read, whatever its seq (the
   * caller skips those a listing would not show), so the cursor moves on.
   */
  rows: S<ExportWindow & { limit: number }, ExportRow>;
}

/** What SqliteStore.exportReader gives an export: ExportStatements' reads, failures as the store's errors. */
export interface ExportReader {
  /** The runs of one thread, or of every thread. */
  runs(threadId?: string): ExportRunRow[];
  page(window: ExportWindow, limit: number): ExportRow[];
}

/** Prepared when an export asks (a database without ix_events_run has none: SqliteStore.exportReader). */
export function prepareExportStatements(db: Database.Database, schema: SqliteSchema): ExportStatements {
  const byRun = `run_events ${indexedBy(schema.indexes.threadRunSeq)}`;
  const listed = `sum(seq > 0 AND seq <= ${Number.MAX_SAFE_INTEGER}) AS listed`;
  return timedByName({
    runs: db.prepare(`SELECT thread_id, run_id, ${listed} FROM ${byRun} GROUP BY thread_id, run_id ORDER BY thread_id, run_id`),
    threadRuns: db.prepare(`SELECT thread_id, run_id, ${listed} FROM ${byRun} WHERE thread_id = ? GROUP BY run_id ORDER BY run_id`),
    // Row values, both bounds on the index: with `thread_id = ?` instead SQLite seeks to the
    // thread's first row for every page (a thread of 200,000 events read 20 times over).
    rows: db.prepare(
      `SELECT rowid AS row_key, ${writtenColumns(schema).join(', ')} FROM ${byRun}
       WHERE (thread_id, run_id, seq, rowid) > (@thread, @run, @seq, @row_key) AND (thread_id, run_id) <= (@last_thread, @last_run)
       ORDER BY thread_id, run_id, seq, rowid LIMIT @limit`,
    ),
  });
}

/** A `runs` row as the health check reads it; NULL where the vintage lacks the column. */
export interface HealthRunsRow {
  run_id: string;
  thread_id: string | null;
  status: unknown;
}

/** The store health check's reads (src-main/health/sqlite-source.ts), on a read-only connection of its own. */
export interface HealthStatements {
  /** The threads with events and how many each has, in id order: from an index. */
  threads: S<[], { thread_id: string; events: number }>;
  /** A page of a thread's events with a listed seq, in keyset order (health-columns.ts healthKeysetSql), health-columns.ts' columns. */
  threadEvents: S<{ thread: string; run: string; seq: number; id: number; limit: number }, HealthRow>;
  /** Every `runs` row, or a thread's where the table records threads; null without the table. */
  runsRows: S<[], HealthRunsRow> | null;
  threadRunsRows: S<[string], HealthRunsRow> | null;
  /** The threads threads_meta has a row for; null without the table. */
  metaThreads: S<[], string> | null;
}

export function prepareHealthStatements(db: Database.Database, schema: SqliteSchema): HealthStatements {
  const runs = schema.runs;
  const runsColumn = (column: string) => (runs?.columns.has(column) ? column : 'NULL');
  const runsRows = `SELECT run_id, ${runsColumn('thread_id')} AS thread_id, ${runsColumn('status')} AS status FROM runs`;
  return timedByName({
    threads: db.prepare<[], { thread_id: string; events: number }>('SELECT thread_id, count(*) AS events FROM run_events GROUP BY thread_id ORDER BY thread_id'),
    // A view has no rowid to page by (nor an index): its source reads a thread in one page (sqlite-source.ts).
    threadEvents: db.prepare(
      `SELECT ${schema.eventsView ? '0' : 'rowid'} AS id, ${healthColumnsSql((column, text) => `instr(${column}, '${text}') > 0`)}
       FROM run_events WHERE thread_id = @thread AND seq > 0 AND seq <= ${Number.MAX_SAFE_INTEGER}
         AND ${schema.eventsView ? 'seq > @seq ORDER BY seq' : healthKeysetSql(schema.uniqueThreadSeq, (name) => `@${name}`, 'rowid')} LIMIT @limit`,
    ),
    runsRows: runs ? db.prepare<[], HealthRunsRow>(runsRows) : null,
    threadRunsRows: runs?.columns.has('thread_id') ? db.prepare<[string], HealthRunsRow>(`${runsRows} WHERE thread_id = ?`) : null,
    metaThreads: schema.threadsMeta ? db.prepare<[], string>('SELECT thread_id FROM threads_meta').pluck() : null,
  });
}
