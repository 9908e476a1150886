// Which threads a commit by another connection changed, table by table, read
// by the database follower inside its one short read transaction per change.
// run_events: the rows past the highest rowid seen name the threads that
// grew; when they do not explain the table's count (a delete) or the row the
// last look saw highest is gone or another (its rowid freed and handed out
// again), a per-thread count read from an index names the threads that lost
// rows, and the rows above the highest row the last look marked that is
// still as it was name those that may have rows written again (LastRow).
// runs and threads_meta (DeerFlow updates a run's status and a thread's name
// in commits of their own): a count, the highest rowid and the latest
// updated_at say whether they changed, then the rows past either say whose;
// an update stamped no later than the latest (a future-dated row, a clock set
// back, another stamp format) is missed by them, so the runs running or
// pending are kept too, and a run that left them, joined them or changed
// status names its thread.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ACTIVE_RUN_SQL } from '../store/run-records.ts';
import type { SideRowsRemoved } from './follower.ts';

/** One table's changes since the last look. */
export interface TableChanges {
  /**
   * The threads whose rows changed since the last call ([] when none did); null when which ones cannot be told cheaply.
   * `removed`: side-table rows the app itself deleted since (their threads it has announced).
   */
  changedThreads(removed?: SideRowsRemoved): string[] | null;
}

export interface ThreadCount {
  thread_id: unknown;
  n: number;
}

const countsOf = (rows: ThreadCount[]) => new Map(rows.map((row) => [String(row.thread_id), row.n]));

/** Threads whose count differs between two per-thread counts. */
function differingThreads(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): string[] {
  const changed = [...after].filter(([thread, n]) => before.get(thread) !== n).map(([thread]) => thread);
  for (const thread of before.keys()) if (!after.has(thread)) changed.push(thread);
  return changed;
}

/** A row as far as telling it from another written at its rowid needs: its rowid, and a digest of all of it. */
export type RowMark = [rowId: number, digest: string];

/**
 * The highest rowid a look read up to (0: the table was empty), and marks of the rows at and below
 * it: each of the highest TOP_MARKS rows there, then the nearest ones at or below steps that double.
 * SQLite hands out the rowid above the highest there is, so once rows at the top went, the next rows
 * get their rowids again, as far down as rows were freed: a mark's row gone or another says rows
 * went, and the highest mark still as it was bounds the rowids handed out again (the table's highest
 * rowid never fell below a row that stayed). Every row above it among the top rows marked is one
 * written since; further down, a row between two marks may be one that stayed. A row written again
 * exactly as it was (every column, its created_at to the microsecond) passes for one that stayed,
 * hiding what was written again under it, as an UPDATE in place would.
 */
export interface LastRow {
  rowId: number;
  /** Highest first. */
  marks: RowMark[];
}

/** The rows marked one by one below a look's highest: more than a delete at the top and a write after it usually take. */
const TOP_MARKS = 16;

/** A run with rows at rowids that may have been handed out again. */
export interface RewrittenRun {
  thread: string;
  run: string;
}

/** `row`: [rowid, ...every column]. */
const digestOf = (row: unknown[]) => createHash('sha1').update(JSON.stringify(row)).digest('base64');
const markOf = (row: unknown[]): RowMark => [Number(row[0]), digestOf(row)];

/** What a look that counted the rows added since `last` expects of the table: its row count and each thread's (undefined: unknown). */
export interface ExpectedRows {
  total: number | undefined;
  counts: () => ReadonlyMap<string, number>;
}

/**
 * run_events looked at by rowid and through its (thread_id, …) indexes, for
 * the database follower and the kept thread summary (the sqlite store's).
 */
export class EventTable {
  private readonly highestRowId: Database.Statement<[], number | null>;
  private readonly rowCount: Database.Statement<[], number>;
  /** [rowid, ...every column]: `SELECT rowid` alone is named `id` where that column is the rowid. */
  private readonly rowAt: Database.Statement<[number], unknown[]>;
  private readonly rowAtOrBelow: Database.Statement<[number], unknown[]>;
  private readonly topRowsAtOrBelow: Database.Statement<[number], unknown[]>;
  /** Rows per thread with a rowid in (from, to]: a range of the table's own b-tree. */
  private readonly addedRows: Database.Statement<[{ from: number; to: number }], ThreadCount>;
  /** The runs with rows with a rowid in (from, to]. */
  private readonly runsBetween: Database.Statement<[{ from: number; to: number }], { thread_id: unknown; run_id: unknown }>;
  /** Rows per thread, from a (thread_id, …) index alone. */
  private readonly threadCounts: Database.Statement<[], ThreadCount>;

  constructor(db: Database.Database) {
    this.highestRowId = db.prepare<[], number | null>('SELECT max(rowid) FROM run_events').pluck();
    this.rowCount = db.prepare<[], number>('SELECT count(*) FROM run_events').pluck();
    this.rowAt = db.prepare<[number], unknown[]>('SELECT rowid, * FROM run_events WHERE rowid = ?').raw();
    const atOrBelow = (limit: number) => db.prepare<[number], unknown[]>(`SELECT rowid, * FROM run_events WHERE rowid <= ? ORDER BY rowid DESC LIMIT ${limit}`).raw();
    this.rowAtOrBelow = atOrBelow(1);
    this.topRowsAtOrBelow = atOrBelow(TOP_MARKS);
    this.addedRows = db.prepare('SELECT thread_id, count(*) AS n FROM run_events WHERE rowid > @from AND rowid <= @to GROUP BY thread_id');
    this.runsBetween = db.prepare('SELECT DISTINCT thread_id, run_id FROM run_events WHERE rowid > @from AND rowid <= @to');
    this.threadCounts = db.prepare('SELECT thread_id, count(*) AS n FROM run_events GROUP BY thread_id');
  }

  maxRowId(): number {
    return this.highestRowId.get() ?? 0;
  }

  total(): number {
    return this.rowCount.get()!;
  }

  /** Where a look stands having read every row up to `upTo`: the highest rowid there, and its marks. Read in the look's transaction. */
  lastRow(upTo = this.maxRowId()): LastRow {
    const marks = this.topRowsAtOrBelow.all(upTo).map(markOf);
    // Below them, one at each step: some log2 of the table's rows in all.
    for (let step = TOP_MARKS; marks.length >= TOP_MARKS; step *= 2) {
      const row = this.rowAtOrBelow.get(marks.at(-1)![0] - step);
      if (!row) break;
      marks.push(markOf(row));
    }
    return { rowId: upTo, marks };
  }

  /**
   * The runs with rows at rowids `last` saw that may have been handed out again since: those above
   * the highest mark still as it was, up to `last`'s rowid (none when the row seen highest is still
   * there). A run without such rows can only have lost rows since; rows above `last` are the
   * caller's to read as added.
   */
  rewrittenRuns(last: LastRow): RewrittenRun[] {
    const stayed = last.marks.find(([rowId, digest]) => {
      const row = this.rowAt.get(rowId);
      return row !== undefined && digestOf(row) === digest;
    });
    const from = stayed?.[0] ?? 0;
    if (from === last.rowId) return [];
    return this.runsBetween.all({ from, to: last.rowId }).map((row) => ({ thread: String(row.thread_id), run: String(row.run_id) }));
  }

  addedByThread(from: number, to: number): ThreadCount[] {
    return this.addedRows.all({ from, to });
  }

  countsByThread(): Map<string, number> {
    return countsOf(this.threadCounts.all());
  }

  /**
   * The threads rows went from, or were written again in (a thread deleted
   * and re-created at once), since a look, by any connection, once the rows
   * added past it are counted in `expected` and `rewritten` is what
   * rewrittenRuns says of the look: none when no rowid was handed out again
   * and the row count is as expected (the common case, an agent appending);
   * otherwise those whose count differs from a per-thread count read from an
   * index (returned too), and those with runs written again (their count may
   * be as it was).
   */
  deletedOrRewritten(rewritten: readonly RewrittenRun[], expected: ExpectedRows): { threads: string[]; counts: Map<string, number> | null; total: number } {
    const total = this.total();
    if (rewritten.length === 0 && total === expected.total) return { threads: [], counts: null, total };
    const counts = this.countsByThread();
    return { threads: [...new Set([...differingThreads(expected.counts(), counts), ...rewritten.map((run) => run.thread)])], counts, total };
  }
}

class EventRowChanges implements TableChanges {
  private readonly table: EventTable;
  private last: LastRow;
  private lastTotal: number;
  private counts: Map<string, number>;

  constructor(db: Database.Database) {
    this.table = new EventTable(db);
    this.last = this.table.lastRow();
    this.lastTotal = this.table.total();
    this.counts = this.table.countsByThread();
  }

  changedThreads(): string[] {
    const maxRowId = this.table.maxRowId();
    const added = maxRowId > this.last.rowId ? this.table.addedByThread(this.last.rowId, maxRowId) : [];
    let addedRows = 0;
    for (const row of added) {
      this.counts.set(String(row.thread_id), (this.counts.get(String(row.thread_id)) ?? 0) + row.n);
      addedRows += row.n;
    }
    const { threads, counts, total } = this.table.deletedOrRewritten(this.table.rewrittenRuns(this.last), { total: this.lastTotal + addedRows, counts: () => this.counts });
    if (counts) this.counts = counts;
    this.last = this.table.lastRow(maxRowId);
    this.lastTotal = total;
    return [...new Set([...added.map((row) => String(row.thread_id)), ...threads])];
  }
}

interface SideTableMark {
  count: number;
  maxRowId: number | null;
  maxUpdatedAt: string | null;
}

/** runs or threads_meta, whose rows DeerFlow updates in place (status, tokens, display_name) with their updated_at. */
class SideTableChanges implements TableChanges {
  private readonly mark: Database.Statement<[], SideTableMark>;
  /** Rows past the last mark: by rowid (new rows, `added`) or by updated_at (rows updated in place). */
  private readonly touched: Database.Statement<[{ rowId: number; updatedAt: string }], { thread_id: unknown; added: number }>;
  private last: SideTableMark;
  private readonly table: keyof SideRowsRemoved;

  constructor(db: Database.Database, table: keyof SideRowsRemoved) {
    this.table = table;
    this.mark = db.prepare(`SELECT count(*) AS count, max(rowid) AS maxRowId, max(updated_at) AS maxUpdatedAt FROM ${table}`);
    this.touched = db.prepare(`SELECT thread_id, rowid > @rowId AS added FROM ${table} WHERE rowid > @rowId OR updated_at > @updatedAt`);
    this.last = this.mark.get()!;
  }

  changedThreads(removed?: SideRowsRemoved): string[] | null {
    const mark = this.mark.get()!;
    const { count, maxRowId, maxUpdatedAt } = this.last;
    if (mark.count === count && mark.maxRowId === maxRowId && mark.maxUpdatedAt === maxUpdatedAt) return [];
    const touched = this.touched.all({ rowId: maxRowId ?? 0, updatedAt: maxUpdatedAt ?? '' });
    this.last = mark;
    const addedRows = touched.filter((row) => row.added).length;
    // Rows went (a run or thread deleted): whose is not kept, so every thread may have changed, unless the app's own delete accounts for them.
    if (mark.count !== count + addedRows - (removed?.[this.table] ?? 0)) return null;
    return [...new Set(touched.map((row) => String(row.thread_id)))];
  }
}

interface ActiveRun {
  rowid: number;
  thread_id: unknown;
  status: string;
}

/** The runs rows running or pending (few): one that ends is seen whatever its updated_at. */
class ActiveRunChanges implements TableChanges {
  private readonly active: Database.Statement<[], ActiveRun>;
  private last: Map<number, ActiveRun>;

  constructor(db: Database.Database) {
    this.active = db.prepare(`SELECT rowid, thread_id, status FROM runs WHERE ${ACTIVE_RUN_SQL}`);
    this.last = this.read();
  }

  private read(): Map<number, ActiveRun> {
    return new Map(this.active.all().map((run) => [run.rowid, run]));
  }

  changedThreads(): string[] {
    const active = this.read();
    const changed = new Set<string>();
    for (const [rowid, run] of active) {
      const before = this.last.get(rowid);
      if (before?.status === run.status && before.thread_id === run.thread_id) continue;
      changed.add(String(run.thread_id));
      if (before) changed.add(String(before.thread_id));
    }
    for (const [rowid, run] of this.last) if (!active.has(rowid)) changed.add(String(run.thread_id));
    this.last = active;
    return [...changed];
  }
}

const columnsOf = (db: Database.Database, table: string) =>
  new Set(db.prepare<[string], string>('SELECT name FROM pragma_table_info(?)').pluck().all(table));
const isTable = (db: Database.Database, name: string) =>
  db.prepare<[string], string>("SELECT type FROM sqlite_master WHERE name = ?").pluck().get(name) === 'table';

/**
 * What to look at in the database on `db`, read now as the baseline; null
 * when run_events is a view (no rowid: which threads changed cannot be told).
 * runs and threads_meta only where they are tables with a thread_id and an
 * updated_at, as DeerFlow makes them (and the active runs where runs has a
 * status). Read again when the schema changes: DeerFlow may create them
 * after the app opened the file.
 */
export function tableChanges(db: Database.Database): TableChanges[] | null {
  if (!isTable(db, 'run_events')) return null;
  const sideTables = (['runs', 'threads_meta'] as const).filter((table) => {
    const columns = columnsOf(db, table);
    return isTable(db, table) && columns.has('thread_id') && columns.has('updated_at');
  });
  const activeRuns = sideTables.includes('runs') && columnsOf(db, 'runs').has('status') ? [new ActiveRunChanges(db)] : [];
  return [new EventRowChanges(db), ...sideTables.map((table) => new SideTableChanges(db, table)), ...activeRuns];
}

/** The changes of several tables as one: null when any cannot tell. */
export function changedThreads(tables: TableChanges[], removed?: SideRowsRemoved): string[] | null {
  // Every table looks, so each takes its change in even when another's makes the answer null.
  const changes = tables.map((table) => table.changedThreads(removed));
  return changes.includes(null) ? null : [...new Set(changes.flatMap((threads) => threads ?? []))];
}
