// What an existing DeerFlow database has: its vintage decides which columns
// we read and write and which indexes the queries name. Only reads.
import type Database from 'better-sqlite3';
import { StoreError } from '../../../src-shared/errors.ts';
import { hasThreadsMeta, missingEventColumns, REQUIRED_EVENT_COLUMNS, runsTableOf, type RunsTable } from '../deerflow-columns.ts';
import { hasFeedback } from '../run-records.ts';
import { sniffSqliteHeader } from './header.ts';

// What run_events, its indexes and the side tables have: read once, at open.
const TABLE_COLUMNS_SQL = 'SELECT name, "notnull", dflt_value, pk FROM pragma_table_info(?)';
const EVENTS_TYPE_SQL = "SELECT type FROM sqlite_master WHERE name = 'run_events' COLLATE NOCASE";
const INDEX_LIST_SQL = "SELECT name, \"unique\" FROM pragma_index_list('run_events')";
const INDEX_COLUMNS_SQL = 'SELECT name FROM pragma_index_info(?) ORDER BY seqno';

/**
 * Names a record already uses for its own keys: a column so named (a
 * `metadata` column, say) cannot be shown beside them. `__proto__` as a key
 * would set the record's prototype.
 */
const RECORD_KEYS: ReadonlySet<string> = new Set(['thread_id', 'run_id', 'user_id', 'event_type', 'category', 'content', 'metadata', 'seq', 'created_at', '__proto__']);

/** A run_events column this app does not know (a later DeerFlow's): its values are shown as extra keys of each record. */
export interface ExtraColumn {
  name: string;
  /** Its DEFAULT clause's SQL text, as the table declares it; null when it has none (the default is NULL). */
  default: string | null;
  notNull: boolean;
}

export interface SqliteSchema {
  /** run_events is a view: readable, never written. */
  eventsView: boolean;
  /** run_events.user_id exists (databases from mid-April 2026 on). */
  userId: boolean;
  /** A unique index on exactly (thread_id, seq): uq_events_thread_seq, absent in the oldest vintage. */
  uniqueThreadSeq: boolean;
  /** Names of the indexes the queries rely on (DeerFlow's ix_events_thread_cat_seq and ix_events_run), when present. */
  indexes: { threadCategorySeq: string | null; threadRunSeq: string | null };
  /** NOT NULL columns without a default that this app does not know how to fill: inserts would fail. */
  unfillableColumns: string[];
  /** The other columns, in table order, except the row's key (`id`) and names RECORD_KEYS holds. */
  extraColumns: ExtraColumn[];
  /** `runs`, when it exists with a run_id column. */
  runs: RunsTable | null;
  /** threads_meta has thread_id and display_name. */
  threadsMeta: boolean;
  /** DeerFlow's feedback table, with thread_id and run_id (run-records.ts). */
  feedback: boolean;
}

/** A file that exists must be a SQLite database before anything opens it. */
export function assertSqliteFile(path: string): void {
  let kind: ReturnType<typeof sniffSqliteHeader>;
  try {
    kind = sniffSqliteHeader(path);
  } catch (error) {
    throw new StoreError('SOURCE', `${path}: cannot be read as a database (${(error as Error).message})`);
  }
  if (kind === 'empty') throw new StoreError('SOURCE', `${path}: is an empty file, not a SQLite database`);
  if (kind === 'other') throw new StoreError('SOURCE', `${path}: is not a SQLite database`);
}

interface ColumnInfo {
  name: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}

function tableColumns(db: Database.Database, table: string): ColumnInfo[] {
  return db.prepare<[string], ColumnInfo>(TABLE_COLUMNS_SQL).all(table);
}

interface IndexInfo {
  name: string;
  unique: number;
  columns: string;
}

function tableIndexes(db: Database.Database): IndexInfo[] {
  const columnsOf = db.prepare<[string], string>(INDEX_COLUMNS_SQL).pluck();
  return db
    .prepare<[], { name: string; unique: number }>(INDEX_LIST_SQL)
    .all()
    .map(({ name, unique }) => ({ name, unique, columns: columnsOf.all(name).join(',') }));
}

/** Reads what an existing database has; a missing run_events table or column is a SOURCE error naming the file and what is missing. */
export function detectSchema(db: Database.Database, path: string): SqliteSchema {
  let events: ColumnInfo[];
  try {
    events = tableColumns(db, 'run_events');
  } catch (error) {
    throw new StoreError('SOURCE', `${path}: cannot read the database schema (${(error as Error).message})`);
  }
  if (events.length === 0) throw new StoreError('SOURCE', `${path}: has no run_events table`);
  const names = new Set(events.map((c) => c.name));
  const missing = missingEventColumns(names);
  if (missing.length > 0) {
    throw new StoreError('SOURCE', `${path}: table run_events lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  }
  const written = new Set<string>([...REQUIRED_EVENT_COLUMNS, 'user_id']);
  const unknown = events.filter((c) => !c.pk && !written.has(c.name));
  const unfillableColumns = unknown.filter((c) => c.notnull && c.dflt_value === null).map((c) => c.name);
  const extraColumns = unknown.filter((c) => !RECORD_KEYS.has(c.name)).map((c) => ({ name: c.name, default: c.dflt_value, notNull: c.notnull !== 0 }));

  const indexes = tableIndexes(db);
  const indexOn = (columns: string) => indexes.find((i) => `${i.columns},`.startsWith(`${columns},`))?.name ?? null;

  const runsColumns = new Set(tableColumns(db, 'runs').map((c) => c.name));
  const metaColumns = new Set(tableColumns(db, 'threads_meta').map((c) => c.name));
  return {
    eventsView: db.prepare<[], string>(EVENTS_TYPE_SQL).pluck().get() === 'view',
    userId: names.has('user_id'),
    uniqueThreadSeq: indexes.some((i) => i.unique && i.columns === 'thread_id,seq'),
    indexes: { threadCategorySeq: indexOn('thread_id,category,seq'), threadRunSeq: indexOn('thread_id,run_id,seq') },
    unfillableColumns,
    extraColumns,
    runs: runsTableOf(runsColumns),
    threadsMeta: hasThreadsMeta(metaColumns),
    feedback: hasFeedback(new Set(tableColumns(db, 'feedback').map((c) => c.name))),
  };
}
