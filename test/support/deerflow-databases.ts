// Test support: DeerFlow databases of each vintage, built with raw SQL exactly
// as DeerFlow (SQLAlchemy create_all + DbRunEventStore) writes them, so the
// sqlite backend is tested against files it did not create.
import Database from 'better-sqlite3';
import { eventColumns } from '../../src-main/store/deerflow-columns.ts';
import { runsDdl, threadsMetaDdl, type DeerFlowRunRow } from '../../src-main/store/sqlite/deerflow-side-tables.ts';
import type { EventParams } from '../../src-main/store/sqlite/rows.ts';
import { RUN_EVENTS_DDL } from '../../src-main/store/sqlite/sql.ts';

export type Vintage = 'current' | 'before-may-2026' | 'before-mid-april-2026';

/** run_events before mid-April 2026: no user_id, no unique (thread_id, seq). */
const OLDEST_RUN_EVENTS_DDL = [
  `CREATE TABLE run_events (
\tid INTEGER NOT NULL, 
\tthread_id VARCHAR(64) NOT NULL, 
\trun_id VARCHAR(64) NOT NULL, 
\tevent_type VARCHAR(32) NOT NULL, 
\tcategory VARCHAR(16) NOT NULL, 
\tcontent TEXT NOT NULL, 
\tevent_metadata JSON NOT NULL, 
\tseq INTEGER NOT NULL, 
\tcreated_at DATETIME NOT NULL, 
\tPRIMARY KEY (id)
)`,
  'CREATE INDEX ix_events_run ON run_events (thread_id, run_id, seq)',
  'CREATE INDEX ix_events_thread_cat_seq ON run_events (thread_id, category, seq)',
];

export function vintageDdl(vintage: Vintage): string[] {
  const owner = vintage === 'before-mid-april-2026' ? 'owner_id' : 'user_id';
  const events = vintage === 'before-mid-april-2026' ? OLDEST_RUN_EVENTS_DDL : RUN_EVENTS_DDL;
  return [...events, ...runsDdl(owner), ...threadsMetaDdl(owner)];
}

/** Columns a later DeerFlow might add to run_events: nullable, with a default, NOT NULL with a default. */
export const LATER_COLUMNS_SQL = `
  ALTER TABLE run_events ADD COLUMN extra_col TEXT;
  ALTER TABLE run_events ADD COLUMN score REAL DEFAULT 1.5;
  ALTER TABLE run_events ADD COLUMN tier VARCHAR(16) NOT NULL DEFAULT 'free';`;

/** A run_events row as DeerFlow stored it: content and metadata already in its text encoding; no user_id in the oldest vintage. */
export type RawEvent = Omit<EventParams, 'user_id'> & Partial<Pick<EventParams, 'user_id'>>;

/** The runs columns a test sets; createVintageDatabase fills the others. */
export type RawRun = Pick<DeerFlowRunRow, 'run_id' | 'thread_id' | 'status' | 'model_name' | 'error' | 'total_input_tokens' | 'total_output_tokens' | 'total_tokens'>;

/** A `feedback` row's keys: DeerFlow's rating of a run (feedback/model.py). */
export interface RawFeedback {
  feedback_id: string;
  thread_id: string;
  run_id: string;
}

export interface VintageData {
  events: RawEvent[];
  runs?: RawRun[];
  threads?: { thread_id: string; display_name: string | null }[];
  /** Rows of DeerFlow's feedback table, which the database gets only when given these. */
  feedback?: RawFeedback[];
}

/** DeerFlow's `feedback` table as SQLAlchemy emits its FeedbackRow on SQLite. */
export const FEEDBACK_DDL = [
  `CREATE TABLE feedback (
\tfeedback_id VARCHAR(64) NOT NULL, 
\trun_id VARCHAR(64) NOT NULL, 
\tthread_id VARCHAR(64) NOT NULL, 
\tuser_id VARCHAR(64), 
\tmessage_id VARCHAR(64), 
\trating INTEGER NOT NULL, 
\tcomment TEXT, 
\tcreated_at DATETIME NOT NULL, 
\tPRIMARY KEY (feedback_id), 
\tCONSTRAINT uq_feedback_thread_run_user UNIQUE (thread_id, run_id, user_id)
)`,
  'CREATE INDEX ix_feedback_run_id ON feedback (run_id)',
  'CREATE INDEX ix_feedback_thread_id ON feedback (thread_id)',
  'CREATE INDEX ix_feedback_user_id ON feedback (user_id)',
];

/** A thumbs-up from 'u1', as DeerFlow's FeedbackRepository writes one (positional: the PostgreSQL helper binds the same values). */
export const INSERT_FEEDBACK_SQL = "INSERT INTO feedback (feedback_id, run_id, thread_id, user_id, rating, created_at) VALUES ($1, $2, $3, 'u1', 1, $4)";
export const feedbackValues = (row: RawFeedback, stamp: string) => [row.feedback_id, row.run_id, row.thread_id, stamp];

const STAMP = '2026-04-04 00:49:25.123456';

/** The column runs and threads_meta name a row's owner by. */
export const ownerColumn = (vintage: Vintage) => (vintage === 'before-mid-april-2026' ? 'owner_id' : 'user_id');

/** run_events has user_id from mid-April 2026 on. */
export const eventsHaveUserId = (vintage: Vintage) => vintage !== 'before-mid-april-2026';

const insertRunSql = (owner: string) =>
  `INSERT INTO runs (run_id, thread_id, ${owner}, status, model_name, multitask_strategy, metadata_json, kwargs_json, error, message_count,
           total_input_tokens, total_output_tokens, total_tokens, llm_call_count, lead_agent_tokens, subagent_tokens, middleware_tokens, created_at, updated_at)
         VALUES (@run_id, @thread_id, 'u1', @status, @model_name, 'reject', '{}', '{}', @error, 0,
           @total_input_tokens, @total_output_tokens, @total_tokens, 1, 0, 0, 0, '${STAMP}', '${STAMP}')`;

/** Adds `runs` rows to a database createVintageDatabase made, as DeerFlow writes them beside its events. */
export function insertRuns(file: string, vintage: Vintage, runs: RawRun[]): void {
  const db = new Database(file);
  try {
    const insert = db.prepare(insertRunSql(ownerColumn(vintage)));
    for (const run of runs) insert.run(run);
  } finally {
    db.close();
  }
}

/** Creates a DeerFlow database of `vintage` at `file`, in `journalMode` (DeerFlow itself runs WAL). */
export function createVintageDatabase(file: string, vintage: Vintage, data: VintageData, journalMode: 'delete' | 'wal' = 'delete'): void {
  const db = new Database(file);
  try {
    db.pragma(`journal_mode = ${journalMode}`);
    const owner = ownerColumn(vintage);
    db.transaction(() => {
      for (const ddl of vintageDdl(vintage)) db.exec(ddl);
      const columns = eventColumns(eventsHaveUserId(vintage));
      const insertEvent = db.prepare(`INSERT INTO run_events (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
      for (const e of data.events) insertEvent.run({ user_id: null, ...e });
      const insertRun = db.prepare(insertRunSql(owner));
      for (const r of data.runs ?? []) insertRun.run(r);
      const insertThread = db.prepare(
        `INSERT INTO threads_meta (thread_id, ${owner}, display_name, status, metadata_json, created_at, updated_at)
         VALUES (@thread_id, 'u1', @display_name, 'idle', '{}', '${STAMP}', '${STAMP}')`,
      );
      for (const t of data.threads ?? []) insertThread.run(t);
      if (data.feedback) {
        for (const ddl of FEEDBACK_DDL) db.exec(ddl);
        const insertFeedback = db.prepare(INSERT_FEEDBACK_SQL.replace(/\$\d/g, '?'));
        for (const row of data.feedback) insertFeedback.run(...feedbackValues(row, STAMP));
      }
    })();
  } finally {
    db.close();
  }
}

/** sqlite_master, to prove a foreign file's schema is untouched. */
export function schemaOf(file: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all();
  } finally {
    db.close();
  }
}

/** The header's journal mode, read without changing it. */
export function journalModeOf(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return String(db.pragma('journal_mode', { simple: true }));
  } finally {
    db.close();
  }
}

export function rawRows(file: string, sql = 'SELECT * FROM run_events ORDER BY thread_id, seq'): Record<string, unknown>[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare<[], Record<string, unknown>>(sql).all();
  } finally {
    db.close();
  }
}

export function execSql(file: string, sql: string): void {
  const db = new Database(file);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}
