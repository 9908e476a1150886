// Every SQL statement of the PostgreSQL backend. Each is a named statement
// (prepared once per pooled connection, then reused) taking bound values
// only; those that differ by what the database has (its DeerFlow vintage:
// schema.ts) are built once when the store opens. DeerFlow's indexes serve
// every hot query (checked with EXPLAIN in query-plans.test.ts):
// ix_events_thread_cat_seq the message pages and counts, ix_events_run a
// run's events, uq_events_thread_seq a seq.
import { OUTCOME_TYPES } from '../../../src-shared/run-status.ts';
import { eventColumns, recordedRunSql, runsSummarySql, type RunsDialect, type RunsTable } from '../deerflow-columns.ts';
import { healthColumnsSql, healthKeysetSql } from '../health-columns.ts';
import { ACTIVE_RUN_SQL, activeRunsSql, runsByThread } from '../run-records.ts';
import { ERROR_CATEGORY, ERROR_EVENT_TYPES } from '../overview.ts';
import { AI_MESSAGE_TYPES, TOOL_RESULT_TYPE } from '../run-facts.ts';

export interface Statement {
  name: string;
  text: string;
}

const statement = (name: string, text: string): Statement => ({ name: `ri_${name}`, text });

/** Constant strings of ours as a SQL list (never a caller's value: those are bound). */
const sqlList = (values: readonly string[]) => values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ');

/** The event types a run's figures and outcome are read from (run-facts.ts decides in JS what each says). */
export const RUN_FACT_TYPES: readonly string[] = [...AI_MESSAGE_TYPES, TOOL_RESULT_TYPE, ...OUTCOME_TYPES];

/**
 * A json column as -> and ->> can read it. json.dumps writes a NUL as \u0000, which the json type stores but its
 * operators refuse to decode (the whole statement fails: one such row broke a thread's counts and the thread list);
 * a value with one is read with U+FFFD in its place. The replacement keeps the text valid JSON: every match is an escape.
 */
const readableJson = (column: string) => `(CASE WHEN strpos(${column}::text, '\\u0000') = 0 THEN ${column} ELSE replace(${column}::text, '\\u0000', '\\ufffd')::json END)`;

/** The metadata's task_id when it is a string (as the other backends take it: a number or null is no task), else null. */
const taskIdSql = (metadata: string) => `CASE WHEN json_typeof(${metadata} -> 'task_id') = 'string' THEN ${metadata} ->> 'task_id' END`;

/** Counts by category, event type and task_id of the rows the condition picks, each row's metadata decoded once. */
const countsSql = (where: string) =>
  `SELECT category, event_type, ${taskIdSql('metadata')} AS task_id, count(*) AS n
     FROM (SELECT category, event_type, ${readableJson('event_metadata')} AS metadata FROM run_events WHERE ${where}) AS e
     GROUP BY 1, 2, 3`;

/** overview.ts isErrorEvent. */
const errorEventSql = `(category = '${ERROR_CATEGORY}' OR event_type IN (${sqlList(ERROR_EVENT_TYPES)}))`;

/** A thread's messages: a seek on ix_events_thread_cat_seq (thread_id, category, seq). */
const THREAD_MESSAGES = "thread_id = $thread AND category = 'message'";
/**
 * A run's messages: a seek on ix_events_run (thread_id, run_id, seq), the category tested on its rows. IS TRUE keeps
 * ix_events_thread_cat_seq from serving it: in a generic plan (a named statement's after five executions) the two
 * cost the same without the values, and that one reads every message of the thread to find one run's.
 */
const RUN_MESSAGES = "thread_id = $thread AND run_id = $run AND (category = 'message') IS TRUE";

/** Each run_events column's array of an insert's rows (encoding.ts columnArrays). */
const ROW_ARRAYS: Record<string, string> = {
  thread_id: '$threads::text[]',
  run_id: '$runs::text[]',
  user_id: '$users::text[]',
  event_type: '$types::text[]',
  category: '$categories::text[]',
  content: '$contents::text[]',
  event_metadata: '$metadata::json[]',
  seq: '$seqs::int[]',
  created_at: '$stamps::timestamptz[]',
};

/** An insert's rows in one statement: the arrays of the columns given, unnested in step, as `r`; `ordinality` adds each row's place as `n`. */
const unnestedRows = (columns: readonly string[], ordinality = false) =>
  `unnest(${columns.map((c) => ROW_ARRAYS[c]).join(', ')})${ordinality ? ' WITH ORDINALITY' : ''} AS r (${[...columns, ...(ordinality ? ['n'] : [])].join(', ')})`;

/** The `runs` statements in PostgreSQL's words. */
const RUNS_DIALECT: RunsDialect = {
  param: (name) => `$${name}`,
  metadataField: (field) => `${readableJson('metadata_json')} ->> '${field}'`,
};

/** A run's counts, seq range and time span (run-rows.ts RunRow), over the rows a WHERE picks. */
const RUN_AGGREGATES = `SELECT thread_id, run_id, count(*) AS event_count, count(*) FILTER (WHERE category = 'message') AS message_count,
  min(seq) AS first_seq, max(seq) AS last_seq, min(created_at) AS first_created_at, max(created_at) AS last_created_at FROM run_events`;

/** What an existing database's tables have (schema.ts reads it at open): which statements the store runs. */
export interface PostgresSchema {
  /** run_events.user_id exists (databases from mid-April 2026 on). */
  userId: boolean;
  /** A unique index on exactly (thread_id, seq): uq_events_thread_seq, absent in the oldest vintage. */
  uniqueThreadSeq: boolean;
  /** `runs`, when it exists with a run_id column and the login may read it. */
  runs: RunsTable | null;
  /** threads_meta has thread_id and display_name, and the login may read it. */
  threadsMeta: boolean;
  /** DeerFlow's feedback table, with thread_id and run_id, and the login may read it (run-records.ts). */
  feedback: boolean;
}

/** A thread's rows (`$run` null), or one run's, in a run-records table. */
const RECORD_SCOPE = 'thread_id = $thread AND ($run::text IS NULL OR run_id = $run::text)';
const META_SCOPE = 'thread_id = $thread AND $run::text IS NULL';

/**
 * DeerFlow's run records beside the events, as a DeerFlow-style delete takes them with them
 * (run-records.ts): a thread's (`$run` null) or one run's; the threads_meta row with a thread only.
 * Null where the database has no runs table that names each row's thread.
 */
function recordStatements(schema: PostgresSchema) {
  if (!runsByThread(schema.runs)) return null;
  return {
    counts: statement(
      'record_counts',
      `SELECT count(*) AS runs, ${activeRunsSql(schema.runs)} AS active,
         ${schema.threadsMeta ? `(SELECT count(*) FROM threads_meta WHERE ${META_SCOPE})` : '0'} AS "threadsMeta",
         ${schema.feedback ? `(SELECT count(*) FROM feedback WHERE ${RECORD_SCOPE})` : 'NULL::bigint'} AS feedback
       FROM runs WHERE ${RECORD_SCOPE}`,
    ),
    deleteRuns: statement('delete_runs', `DELETE FROM runs WHERE ${RECORD_SCOPE}`),
    deleteFeedback: schema.feedback ? statement('delete_feedback', `DELETE FROM feedback WHERE ${RECORD_SCOPE}`) : null,
    deleteThreadMeta: schema.threadsMeta ? statement('delete_thread_meta', `DELETE FROM threads_meta WHERE ${META_SCOPE}`) : null,
  };
}

/** The store's statements for a database of this vintage (schema.ts): the run_events columns it has, its runs and threads_meta. */
export function storeStatements(schema: PostgresSchema) {
  const written = eventColumns(schema.userId);
  // What a record is read from. created_at and event_metadata come back as text (encoding.ts).
  const columns = written.join(', ');
  /** Seq bounds are bigint so the page cursors' defaults (above any int4) compare without overflow, still on the index. */
  const page = (name: string, scope: string, order: 'ASC' | 'DESC') =>
    statement(
      name,
      `SELECT ${columns} FROM run_events WHERE ${scope} AND seq > $after::bigint AND seq < $before::bigint
       ORDER BY seq ${order} LIMIT $limit::bigint`,
    );
  return {
    /** DeerFlow's own allocation lock (runtime/events/store/db.py): the app and a DeerFlow server never give out the same seq. */
    lockThread: statement('lock_thread', 'SELECT pg_advisory_xact_lock(hashtext(CAST($thread AS text))::bigint)'),
    maxSeq: statement('max_seq', 'SELECT max(seq) AS seq FROM run_events WHERE thread_id = $thread'),
    insertRows: statement('insert_rows', `INSERT INTO run_events (${columns}) SELECT * FROM ${unnestedRows(written)}`),
    /**
     * An import's rows: a (thread_id, seq) the database has is skipped, so importing twice adds nothing; by
     * uq_events_thread_seq, or in a vintage without it (before mid-April 2026) by looking, under the thread's
     * lock, the first of the import's own duplicates kept.
     */
    importRows: schema.uniqueThreadSeq
      ? statement('import_rows', `INSERT INTO run_events (${columns}) SELECT * FROM ${unnestedRows(written)} ON CONFLICT (thread_id, seq) DO NOTHING`)
      : statement(
          'import_rows',
          `INSERT INTO run_events (${columns})
           SELECT ${columns} FROM (SELECT DISTINCT ON (thread_id, seq) * FROM ${unnestedRows(written, true)} ORDER BY thread_id, seq, n) AS r
           WHERE NOT EXISTS (SELECT 1 FROM run_events e WHERE e.thread_id = r.thread_id AND e.seq = r.seq)
           ORDER BY n`,
        ),
    firstOfType: statement(
      'first_of_type',
      `SELECT ${columns} FROM run_events WHERE thread_id = $thread AND run_id = $run AND event_type = $type ORDER BY seq LIMIT 1`,
    ),
    messagesForward: page('messages_forward', THREAD_MESSAGES, 'ASC'),
    messagesBackward: page('messages_backward', THREAD_MESSAGES, 'DESC'),
    runMessagesForward: page('run_messages_forward', RUN_MESSAGES, 'ASC'),
    runMessagesBackward: page('run_messages_backward', RUN_MESSAGES, 'DESC'),
    // DeerFlow filters task_id in SQL before LIMIT so task pages stay complete.
    events: statement(
      'events',
      `SELECT ${columns} FROM run_events WHERE thread_id = $thread AND run_id = $run AND seq > $after::bigint
         AND ($types::text[] IS NULL OR event_type = ANY($types::text[]))
         AND ($task::text IS NULL OR ${taskIdSql(readableJson('event_metadata'))} = $task::text)
       ORDER BY seq LIMIT $limit::bigint`,
    ),
    countMessages: statement('count_messages', `SELECT count(*) AS n FROM run_events WHERE thread_id = $thread AND category = 'message'`),
    getEvent: statement('get_event', `SELECT ${columns} FROM run_events WHERE thread_id = $thread AND seq = $seq::bigint LIMIT 1`),
    deleteThread: statement('delete_thread', 'DELETE FROM run_events WHERE thread_id = $thread'),
    deleteRun: statement('delete_run', 'DELETE FROM run_events WHERE thread_id = $thread AND run_id = $run'),
    /** The ids above one, by the primary key: after a whole-table read, which recent ids were there. */
    idsAbove: statement('ids_above', 'SELECT id FROM run_events WHERE id > $from::bigint'),
    /**
     * Every run of every thread, or of the threads given: counts, seq range and time span, in one pass; with
     * each run's top id, so the table version the summary is as of comes from the same snapshot.
     */
    allRuns: statement(
      'all_runs',
      `SELECT thread_id, run_id, count(*) AS event_count, count(*) FILTER (WHERE category = 'message') AS message_count,
         min(seq) AS first_seq, max(seq) AS last_seq, min(created_at) AS first_created_at, max(created_at) AS last_created_at, max(id) AS top_id
       FROM run_events GROUP BY thread_id, run_id`,
    ),
    runsOfThreads: statement('runs_of_threads', `${RUN_AGGREGATES} WHERE thread_id = ANY($threads::text[]) GROUP BY thread_id, run_id`),
    /** The same of the rows given by id (the primary key): what rows added since a list add to its runs. */
    runsOfIds: statement('runs_of_ids', `${RUN_AGGREGATES} WHERE id = ANY($ids::bigint[]) GROUP BY thread_id, run_id`),
    /**
     * The events the outcome and figures of a thread's runs come from (run-facts.ts decides in JS what each
     * says); of the tool results only those that may have failed: the LIKE skips those that cannot say so.
     */
    runFactEvents: statement(
      'run_fact_events',
      `SELECT ${columns} FROM run_events
       WHERE thread_id = $thread AND run_id = ANY($runs::text[]) AND event_type IN (${sqlList(RUN_FACT_TYPES)})
         AND (event_type <> '${TOOL_RESULT_TYPE}' OR content LIKE '%error%')`,
    ),
    /** The last lifecycle event of each run given (thread i with run i), a seek per run on ix_events_run: what the thread list's statuses come from. */
    runOutcomes: statement(
      'run_outcomes',
      `SELECT o.* FROM unnest($threads::text[], $runs::text[]) AS k(thread_id, run_id)
       CROSS JOIN LATERAL (SELECT ${columns} FROM run_events e
         WHERE e.thread_id = k.thread_id AND e.run_id = k.run_id AND e.event_type IN (${sqlList(OUTCOME_TYPES)}) ORDER BY e.seq DESC LIMIT 1) o`,
    ),
    metaThreads: schema.threadsMeta ? statement('meta_threads', 'SELECT thread_id, display_name FROM threads_meta ORDER BY thread_id') : null,
    /** The `runs` rows of these runs: what the read model shows of them, NULL in a column the vintage lacks. */
    runsTable: schema.runs ? statement('runs_table', runsSummarySql(schema.runs, RUNS_DIALECT, 'run_id = ANY($runs::text[])')) : null,
    recordedRun: schema.runs ? statement('recorded_run', recordedRunSql(schema.runs, RUNS_DIALECT)) : null,
    records: recordStatements(schema),
    /** One pass for the three breakdowns; only a string task_id counts. */
    threadCounts: statement('thread_counts', countsSql('thread_id = $thread')),
    runCounts: statement('run_counts', countsSql('thread_id = $thread AND run_id = $run')),
    threadRange: statement(
      'thread_range',
      'SELECT min(seq) AS first_seq, max(seq) AS last_seq, count(*) AS event_count FROM run_events WHERE thread_id = $thread',
    ),
    countAfter: statement('count_after', 'SELECT count(*) AS n FROM run_events WHERE thread_id = $thread AND seq > $after::bigint'),
    overviewCounts: statement(
      'overview_counts',
      `SELECT (seq - $first::bigint) / $width::bigint AS bucket, count(*) AS events, count(*) FILTER (WHERE category = 'message') AS messages
       FROM run_events WHERE thread_id = $thread AND seq >= $first::bigint AND seq <= $last::bigint GROUP BY 1`,
    ),
    /**
     * A thread's candidate marks above a seq: its errors, and the tool results that may have failed (the LIKE
     * skips those that cannot say so; run-facts' isFailedToolResult decides in JS, content being any text).
     */
    overviewMarks: statement(
      'overview_marks',
      `SELECT seq, ${errorEventSql} AS error, event_type, content FROM run_events
       WHERE thread_id = $thread AND seq > $after::bigint AND seq <= $last::bigint
         AND (${errorEventSql} OR (event_type = '${TOOL_RESULT_TYPE}' AND content LIKE '%error%'))`,
    ),
  };
}

export type StoreStatements = ReturnType<typeof storeStatements>;

/** Whether the open database has run_events, and DeerFlow's other tables or another schema's run_events when it has none. */
export const SIDE_TABLES_SQL = `SELECT to_regclass('run_events') IS NOT NULL AS events,
  (SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()) AS tables, current_schema() AS schema,
  (SELECT array_agg(schemaname::text ORDER BY schemaname) FROM pg_tables WHERE tablename = 'run_events') AS elsewhere`;

/** A table's columns, found as the statements find it (the search_path): null without the table. */
const columnsOf = (table: string, condition = 'true') =>
  `(SELECT array_agg(attname::text) FROM pg_attribute WHERE attrelid = to_regclass('${table}') AND attnum > 0 AND NOT attisdropped AND ${condition})`;

/**
 * What DeerFlow's tables have, in one query at open (schema.ts): the columns of run_events, and of runs,
 * threads_meta and feedback where the login may read them; and whether a unique index is on exactly (thread_id, seq).
 */
export const SCHEMA_SQL = `SELECT ${columnsOf('run_events')} AS run_events,
  ${columnsOf('runs', "has_table_privilege(attrelid, 'SELECT')")} AS runs,
  ${columnsOf('threads_meta', "has_table_privilege(attrelid, 'SELECT')")} AS threads_meta,
  ${columnsOf('feedback', "has_table_privilege(attrelid, 'SELECT')")} AS feedback,
  EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = to_regclass('run_events') AND i.indisunique AND i.indnatts = 2
    AND i.indpred IS NULL AND i.indexprs IS NULL
    AND (SELECT array_agg(attname::text ORDER BY attname) FROM pg_attribute WHERE attrelid = i.indrelid AND attnum = ANY (i.indkey::int2[])) = ARRAY['seq', 'thread_id']
  ) AS unique_thread_seq`;

/** The store's transactions: a write (under DeerFlow's locks), and reads that must see one snapshot. */
export const TRANSACTION_SQL = {
  write: 'BEGIN READ WRITE',
  snapshot: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  /**
   * Before a pass over the whole table, in its transaction only: the planner's default costs keep the
   * aggregate of every run on one core, though the workers' partial aggregates cost less than their rows.
   */
  wholeTable: 'SET LOCAL parallel_setup_cost = 0; SET LOCAL parallel_tuple_cost = 0',
} as const;

/** DeerFlow's bootstrap for postgres_schema, before its tables: the schema, if it is not there. */
export const createSchemaSql = (schema: string) => `CREATE SCHEMA IF NOT EXISTS "${schema.replaceAll('"', '""')}"`;

/** An identity of the database that survives a restart and changes when it is dropped and made again. */
export const DATABASE_IDENTITY_SQL = `SELECT oid::text AS oid FROM pg_database WHERE datname = current_database()`;

/** What the read model shows of a runs row, hashed whole (its json columns, which have no hash, left out). */
const RUN_COLUMNS = 'status, stop_reason, model_name, error, total_input_tokens, total_output_tokens, total_tokens, updated_at';

/**
 * A side table (a row per run or thread) as the live follower reads it whole: each row as its key, its
 * thread and a hash of the three and the columns given (hash_record, PostgreSQL 14+: no value is turned
 * into text), and all of them as one mark, the count and the sum of those hashes (which any row added,
 * deleted or changed moves, in whichever order; the follower makes it from the rows the same way).
 */
function keyedRows(name: string, table: string, key: string, columns: string): { rows: Statement; mark: Statement } {
  return {
    rows: statement(`live_${name}_rows`, `SELECT ${key} AS key, thread_id, hash_record(ROW(${key}, thread_id, ${columns})) AS version FROM ${table}`),
    mark: statement(`live_${name}_mark`, `SELECT count(*) || ' ' || coalesce(sum(hash_record(ROW(${key}, thread_id, ${columns}))), 0) AS mark FROM ${table}`),
  };
}

/**
 * The live follower's statements (src-main/live/postgres-changes.ts), on a connection of its own; `look`
 * and `eventsAdded` also tell the store's thread list what changed since it was made. Every
 * second: `look`, which reads no table. When the server committed anything: the rows above the highest
 * id seen and in the ids seen missing (the primary key), and the active runs (uq_runs_thread_active, a
 * partial index). Now and then, each spaced so it takes a small share of the server's time: a census
 * of run_events (an index-only scan), and the side tables' marks (read whole).
 */
export const LIVE_SQL = {
  /**
   * What says whether anything may have changed: the cluster's snapshot (any commit anywhere moves it;
   * reading it takes no lock and no transaction id), the tables' oids (created, dropped, made again; run_events'
   * file too, which a TRUNCATE makes anew without counting a delete), and
   * run_events' delete and update counters (the statistics: a hint, up to 10 s late).
   */
  look: statement(
    'live_look',
    `SELECT pg_current_snapshot()::text AS snapshot, to_regclass('run_events')::oid || ':' || pg_relation_filenode(to_regclass('run_events')) AS events,
       to_regclass('runs')::oid::text AS runs, to_regclass('threads_meta')::oid::text AS threads_meta,
       (coalesce(pg_stat_get_tuples_deleted(to_regclass('run_events')), 0) + coalesce(pg_stat_get_tuples_updated(to_regclass('run_events')), 0))::text AS rewrites`,
  ),
  eventsTop: statement('live_events_top', 'SELECT coalesce(max(id), 0) AS top FROM run_events'),
  /** Rows above `top` (at most `limit`) and in the id ranges seen missing (a SERIAL id becomes visible at commit, not in order). */
  eventsAdded: statement(
    'live_events_added',
    `(SELECT id, thread_id, seq FROM run_events WHERE id > $top::bigint ORDER BY id LIMIT $limit::bigint)
     UNION ALL
     SELECT e.id, e.thread_id, e.seq FROM unnest($firsts::bigint[], $lasts::bigint[]) AS gap (first_id, last_id)
       CROSS JOIN LATERAL (SELECT id, thread_id, seq FROM run_events WHERE id BETWEEN gap.first_id AND gap.last_id) AS e`,
  ),
  /** The table's rows (an index-only scan of its smallest index): rows deleted, or committed in no gap kept, change it. */
  eventTotal: statement('live_event_total', 'SELECT count(*) AS rows FROM run_events'),
  /** Each thread's rows and the sum of their seqs: one pass over the table, read only when the census does not add up. */
  eventThreads: statement('live_event_threads', 'SELECT thread_id, count(*) AS rows, sum(seq) AS seqs FROM run_events GROUP BY thread_id'),
  activeRuns: statement('live_active_runs', `SELECT run_id AS key, thread_id, hash_record(ROW(${RUN_COLUMNS})) AS version FROM runs WHERE ${ACTIVE_RUN_SQL}`),
  runs: keyedRows('runs', 'runs', 'run_id', RUN_COLUMNS),
  threads: keyedRows('threads', 'threads_meta', 'thread_id', 'display_name, status, updated_at'),
};

/**
 * The store health check's reads (src-main/health/postgres-source.ts), through the store's pool. A thread's
 * events a page at a time in keyset order (health-columns.ts healthKeysetSql), health-columns.ts' columns:
 * the check never holds one long query over a big thread.
 */
export function healthStatements(schema: PostgresSchema) {
  const runs = schema.runs;
  const runsColumn = (column: string) => (runs?.columns.has(column) ? column : 'NULL');
  const runsRows = `SELECT run_id, ${runsColumn('thread_id')} AS thread_id, ${runsColumn('status')}::text AS status FROM runs`;
  const keyset = healthKeysetSql(schema.uniqueThreadSeq, (name) => `$${name}::${name === 'run' ? 'text' : 'bigint'}`, 'id');
  return {
    threads: statement('health_threads', 'SELECT DISTINCT thread_id FROM run_events ORDER BY thread_id'),
    threadEvents: statement(
      'health_thread_events',
      `SELECT id, ${healthColumnsSql((column, text) => `strpos(${column}::text, '${text}') > 0`)}
       FROM run_events WHERE thread_id = $thread AND seq > 0 AND ${keyset} LIMIT $limit::bigint`,
    ),
    runsRows: runs ? statement('health_runs_rows', runsRows) : null,
    threadRunsRows: runs?.columns.has('thread_id') ? statement('health_thread_runs_rows', `${runsRows} WHERE thread_id = $thread`) : null,
    metaThreads: schema.threadsMeta ? statement('health_meta_threads', 'SELECT thread_id FROM threads_meta') : null,
  };
}
