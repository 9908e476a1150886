// Every SQL statement of the sqlite backend. Statements are prepared once
// when the database opens (which ones depends on the database's vintage) and
// take bound values only.
import type Database from 'better-sqlite3';
import type { SqliteSchema } from './schema.ts';

/**
 * What SQLAlchemy emits for DeerFlow's `RunEventRow` on SQLite (`create_all`),
 * as it lands in sqlite_master, so DeerFlow opens our files as its own.
 */
export const RUN_EVENTS_DDL: readonly string[] = [
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

export const TABLE_COLUMNS_SQL = 'SELECT name, "notnull", dflt_value, pk FROM pragma_table_info(?)';

/** A run_events row as SQLite returns it (a foreign writer may have stored any type). */
export interface EventRow {
  thread_id: string;
  run_id: string;
  user_id?: string | null;
  event_type: string;
  category: string;
  content: unknown;
  event_metadata: unknown;
  seq: number;
  created_at: unknown;
}

/** The values of one insert, already in DeerFlow's encoding. */
export interface EventParams {
  thread_id: string;
  run_id: string;
  user_id: string | null;
  event_type: string;
  category: string;
  content: string;
  event_metadata: string;
  seq: number;
  created_at: string;
}

/** Cursor window: seq > after AND seq < before; limit -1 is SQLite's "no limit". */
export interface Window {
  after: number;
  before: number;
  limit: number;
}

export interface ThreadRow {
  thread_id: string;
  event_count: number;
  message_count: number;
  run_count: number;
  first_created_at: unknown;
  last_created_at: unknown;
}

export interface RunRow {
  run_id: string;
  event_count: number;
  message_count: number;
  first_created_at: unknown;
  last_created_at: unknown;
}

/** A `runs` row; columns the database lacks come back NULL. */
export interface RunsTableRow {
  run_id: string;
  status: unknown;
  model_name: unknown;
  error: unknown;
  total_tokens: unknown;
}

export interface CountRow {
  key: unknown;
  n: number;
}

type S<P extends unknown[] | object, R = unknown> = Database.Statement<P extends unknown[] ? P : [P], R>;

export interface Statements {
  maxSeq: S<[string], number | null>;
  insert: S<EventParams>;
  /** Insert unless the thread already has that seq: import keeps given seqs and skips duplicates, with or without the unique constraint. */
  insertIfNew: S<EventParams>;
  firstOfType: S<[string, string, string], EventRow>;
  messagesForward: S<Window & { thread: string }, EventRow>;
  messagesBackward: S<Window & { thread: string }, EventRow>;
  runMessagesForward: S<Window & { thread: string; run: string }, EventRow>;
  runMessagesBackward: S<Window & { thread: string; run: string }, EventRow>;
  events: S<{ thread: string; run: string; after: number; types: string | null; task: string | null; limit: number }, EventRow>;
  countMessages: S<[string], number>;
  getEvent: S<[string, number], EventRow>;
  deleteThread: S<[string]>;
  deleteRun: S<[string, string]>;
  threads: S<[], ThreadRow>;
  metaThreads: S<[], { thread_id: string; display_name: unknown }> | null;
  runs: S<{ thread: string }, RunRow>;
  lastOutcome: S<[string, string], EventRow>;
  runsTable: S<[string], RunsTableRow> | null;
  threadCounts: CountStatements<{ thread: string }>;
  runCounts: CountStatements<{ thread: string; run: string }>;
}

export interface CountStatements<P extends object> {
  byCategory: S<P, CountRow>;
  byEventType: S<P, CountRow>;
  byTaskId: S<P, CountRow>;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

function countStatements<P extends object>(db: Database.Database, where: string): CountStatements<P> {
  return {
    byCategory: db.prepare(`SELECT category AS key, count(*) AS n FROM run_events WHERE ${where} GROUP BY category`),
    byEventType: db.prepare(`SELECT event_type AS key, count(*) AS n FROM run_events WHERE ${where} GROUP BY event_type`),
    // LIKE skips the JSON parse for rows that cannot have the key; json_valid
    // first because one malformed row would otherwise fail the whole query.
    byTaskId: db.prepare(
      `SELECT json_extract(event_metadata, '$.task_id') AS key, count(*) AS n FROM run_events
       WHERE ${where} AND event_metadata LIKE '%task_id%'
         AND CASE WHEN json_valid(event_metadata) THEN json_type(event_metadata, '$.task_id') END = 'text'
       GROUP BY key`,
    ),
  };
}

/** `runs.total_tokens`, or the sum of its parts in vintages without it. */
function totalTokensExpression(columns: ReadonlySet<string>): string {
  if (columns.has('total_tokens')) return 'total_tokens';
  const parts = ['total_input_tokens', 'total_output_tokens'].filter((c) => columns.has(c));
  return parts.length ? parts.map((c) => `coalesce(${c}, 0)`).join(' + ') : 'NULL';
}

export function prepareStatements(db: Database.Database, schema: SqliteSchema): Statements {
  const written = ['thread_id', 'run_id', ...(schema.userId ? ['user_id'] : []), 'event_type', 'category', 'content', 'event_metadata', 'seq', 'created_at'];
  const columns = written.join(', ');
  const values = written.map((c) => `@${c}`).join(', ');
  const select = `SELECT ${columns} FROM run_events`;
  const eventsWindow = <P extends Window>(scope: string, order: 'ASC' | 'DESC') =>
    db.prepare<[P], EventRow>(`${select} WHERE ${scope} AND category = 'message' AND seq > @after AND seq < @before ORDER BY seq ${order} LIMIT @limit`);
  const runs = schema.runs;
  const runsColumn = (c: string) => (runs?.columns.has(c) ? quote(c) : 'NULL');

  return {
    maxSeq: db.prepare<[string], number | null>('SELECT max(seq) FROM run_events WHERE thread_id = ?').pluck(),
    insert: db.prepare(`INSERT INTO run_events (${columns}) VALUES (${values})`),
    insertIfNew: db.prepare(
      `INSERT INTO run_events (${columns}) SELECT ${values}
       WHERE NOT EXISTS (SELECT 1 FROM run_events WHERE thread_id = @thread_id AND seq = @seq)`,
    ),
    firstOfType: db.prepare(`${select} WHERE thread_id = ? AND run_id = ? AND event_type = ? ORDER BY seq LIMIT 1`),
    messagesForward: eventsWindow('thread_id = @thread', 'ASC'),
    messagesBackward: eventsWindow('thread_id = @thread', 'DESC'),
    runMessagesForward: eventsWindow('thread_id = @thread AND run_id = @run', 'ASC'),
    runMessagesBackward: eventsWindow('thread_id = @thread AND run_id = @run', 'DESC'),
    // DeerFlow filters task_id in SQL before LIMIT so task pages stay complete.
    events: db.prepare(
      `${select} WHERE thread_id = @thread AND run_id = @run AND seq > @after
         AND (@types IS NULL OR event_type IN (SELECT value FROM json_each(@types)))
         AND (@task IS NULL OR CASE WHEN json_valid(event_metadata) THEN json_extract(event_metadata, '$.task_id') END = @task)
       ORDER BY seq LIMIT @limit`,
    ),
    countMessages: db.prepare<[string], number>("SELECT count(*) FROM run_events WHERE thread_id = ? AND category = 'message'").pluck(),
    getEvent: db.prepare(`${select} WHERE thread_id = ? AND seq = ? LIMIT 1`),
    deleteThread: db.prepare('DELETE FROM run_events WHERE thread_id = ?'),
    deleteRun: db.prepare('DELETE FROM run_events WHERE thread_id = ? AND run_id = ?'),
    // Two covering-index scans (counts and seq span on (thread_id, category,
    // seq); distinct runs on (thread_id, run_id, seq)), then one seek per end.
    threads: db.prepare(
      `WITH t AS (
         SELECT thread_id, count(*) AS event_count, sum(category = 'message') AS message_count, min(seq) AS lo, max(seq) AS hi
         FROM run_events GROUP BY thread_id),
       r AS (SELECT thread_id, count(DISTINCT run_id) AS run_count FROM run_events GROUP BY thread_id)
       SELECT t.thread_id, t.event_count, t.message_count, r.run_count,
         (SELECT created_at FROM run_events e WHERE e.thread_id = t.thread_id AND e.seq = t.lo LIMIT 1) AS first_created_at,
         (SELECT created_at FROM run_events e WHERE e.thread_id = t.thread_id AND e.seq = t.hi LIMIT 1) AS last_created_at
       FROM t JOIN r ON r.thread_id = t.thread_id ORDER BY t.thread_id`,
    ),
    metaThreads: schema.threadsMeta ? db.prepare('SELECT thread_id, display_name FROM threads_meta ORDER BY thread_id') : null,
    runs: db.prepare(
      `WITH r AS (SELECT run_id, count(*) AS event_count, min(seq) AS lo, max(seq) AS hi FROM run_events WHERE thread_id = @thread GROUP BY run_id),
       m AS (SELECT run_id, count(*) AS n FROM run_events WHERE thread_id = @thread AND category = 'message' GROUP BY run_id)
       SELECT r.run_id, r.event_count, coalesce(m.n, 0) AS message_count,
         (SELECT created_at FROM run_events e WHERE e.thread_id = @thread AND e.run_id = r.run_id AND e.seq = r.lo LIMIT 1) AS first_created_at,
         (SELECT created_at FROM run_events e WHERE e.thread_id = @thread AND e.run_id = r.run_id AND e.seq = r.hi LIMIT 1) AS last_created_at
       FROM r LEFT JOIN m ON m.run_id = r.run_id ORDER BY r.lo`,
    ),
    // The event types statusFromEvents (event-index.ts) reads a run's outcome from.
    lastOutcome: db.prepare(
      `${select} WHERE thread_id = ? AND run_id = ? AND event_type IN ('run.end', 'run_end', 'run.error', 'run_error') ORDER BY seq DESC LIMIT 1`,
    ),
    runsTable: runs
      ? db.prepare(
          `SELECT run_id, ${runsColumn('status')} AS status, ${runsColumn('model_name')} AS model_name, ${runsColumn('error')} AS error,
             ${totalTokensExpression(runs.columns)} AS total_tokens
           FROM runs WHERE run_id IN (SELECT value FROM json_each(?))`,
        )
      : null,
    threadCounts: countStatements(db, 'thread_id = @thread'),
    runCounts: countStatements(db, 'thread_id = @thread AND run_id = @run'),
  };
}
