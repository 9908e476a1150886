// Follows a SQLite database another process writes (DeerFlow's server, in
// WAL or rollback-journal mode): SQLite's data_version on a read-only
// connection of the follower's own, polled, tells that some connection
// committed; then the rows past the highest rowid seen name the threads that
// grew, and when the table's count falls short of what those rows explain (a
// delete), a per-thread count read from an index names the threads that lost
// rows. Each check is one short read transaction: nothing stays open between
// polls (a WAL can checkpoint), no write lock is ever taken, the journal mode
// is never touched.
import type Database from 'better-sqlite3';
import type { FollowerEvents, SourceFollower } from './follower.ts';
import { WatchedDatabase } from './watched-database.ts';

/** Within the 250–500 ms: a commit is announced well inside its 1 s. */
export const DATABASE_POLL_MS = 300;
/**
 * A read that met a writer's lock (rollback-journal mode) is tried again this
 * soon: a writer committing 200 times a second holds the file most of the
 * time, and waiting for the next poll could miss it for seconds.
 */
const BUSY_RETRY_MS = 10;

interface ThreadCount {
  thread_id: unknown;
  n: number;
}

interface FollowStatements {
  maxRowId: Database.Statement<[], number | null>;
  total: Database.Statement<[], number>;
  /** Rows per thread with a rowid in (from, to]: a range of the table's own b-tree. */
  addedByThread: Database.Statement<[{ from: number; to: number }], ThreadCount>;
  /** Rows per thread, from a (thread_id, …) index alone. */
  countsByThread: Database.Statement<[], ThreadCount>;
}

/** Statements on the follower's own connection; null for a run_events view, which has no rowid. */
function prepareFollowStatements(db: Database.Database): FollowStatements | null {
  try {
    return {
      maxRowId: db.prepare<[], number | null>('SELECT max(rowid) FROM run_events').pluck(),
      total: db.prepare<[], number>('SELECT count(*) FROM run_events').pluck(),
      addedByThread: db.prepare('SELECT thread_id, count(*) AS n FROM run_events WHERE rowid > @from AND rowid <= @to GROUP BY thread_id'),
      countsByThread: db.prepare('SELECT thread_id, count(*) AS n FROM run_events GROUP BY thread_id'),
    };
  } catch {
    return null;
  }
}

/** What the follower last saw of the table. */
interface TableState {
  lastRowId: number;
  total: number;
  counts: Map<string, number>;
}

/** Threads whose count differs between two per-thread counts. */
function differingThreads(before: Map<string, number>, after: Map<string, number>): string[] {
  const changed = [...after].filter(([thread, n]) => before.get(thread) !== n).map(([thread]) => thread);
  for (const thread of before.keys()) if (!after.has(thread)) changed.push(thread);
  return changed;
}

const countsOf = (rows: ThreadCount[]) => new Map(rows.map((row) => [String(row.thread_id), row.n]));

class DatabaseFollower implements SourceFollower {
  private readonly watched: WatchedDatabase;
  private readonly events: FollowerEvents;
  private statements: FollowStatements | null = null;
  private seenVersion = 0;
  private state: TableState = { lastRowId: 0, total: 0, counts: new Map() };
  private readonly timer: NodeJS.Timeout;
  private retry: NodeJS.Timeout | null = null;

  constructor(file: string, events: FollowerEvents, pollMs: number) {
    // A read that meets a writer's lock (rollback-journal mode) fails at once and is tried again at the next poll:
    // waiting would stall the process that serves the page.
    this.watched = new WatchedDatabase(file, { busyTimeoutMs: 0 });
    this.events = events;
    this.start();
    // unref: a follower never keeps a process alive on its own (the session stops it anyway).
    this.timer = setInterval(() => this.poll(), pollMs).unref();
  }

  private start(): void {
    this.statements = prepareFollowStatements(this.watched.db);
    this.seenVersion = this.watched.dataVersion();
    if (this.statements) this.state = this.readState(this.statements);
  }

  private readState(statements: FollowStatements): TableState {
    return this.watched.db.transaction(() => {
      const counts = countsOf(statements.countsByThread.all());
      return { lastRowId: statements.maxRowId.get() ?? 0, total: statements.total.get()!, counts };
    })();
  }

  private poll(): void {
    try {
      if (this.watched.reopenIfReplaced()) {
        this.start();
        this.events.onReplaced();
        return;
      }
      const changed = this.check();
      if (changed === null || changed.length > 0) this.events.onChanged(changed);
    } catch (error) {
      // Nothing was taken in, so a later poll checks the same change again: soon after a writer's
      // lock (SQLITE_BUSY), at the next poll after anything else (a file being replaced).
      if ((error as { code?: string }).code === 'SQLITE_BUSY') this.retry ??= setTimeout(() => this.retryPoll(), BUSY_RETRY_MS).unref();
    }
  }

  private retryPoll(): void {
    this.retry = null;
    this.poll();
  }

  /** The threads changed since the last check, [] when nothing did, null when a view hides which. */
  private check(): string[] | null {
    const version = this.watched.dataVersion();
    if (version === this.seenVersion) return [];
    const statements = this.statements;
    const changed = statements ? this.watched.db.transaction(() => this.changedThreads(statements))() : null;
    this.seenVersion = version;
    return changed;
  }

  private changedThreads(statements: FollowStatements): string[] {
    const { lastRowId, total, counts } = this.state;
    const maxRowId = statements.maxRowId.get() ?? 0;
    const nowTotal = statements.total.get()!;
    const added = maxRowId > lastRowId ? statements.addedByThread.all({ from: lastRowId, to: maxRowId }) : [];
    const addedRows = added.reduce((sum, row) => sum + row.n, 0);
    // New rows only, and they explain the whole count: the common case, an agent appending.
    if (addedRows > 0 && maxRowId >= lastRowId && nowTotal === total + addedRows) {
      for (const row of added) counts.set(String(row.thread_id), (counts.get(String(row.thread_id)) ?? 0) + row.n);
      this.state = { lastRowId: maxRowId, total: nowTotal, counts };
      return added.map((row) => String(row.thread_id));
    }
    // Rows went (a delete), or the commit changed no count we track cheaply (another table, a rowid
    // reused after a delete): the per-thread counts say which threads differ.
    const nowCounts = countsOf(statements.countsByThread.all());
    this.state = { lastRowId: maxRowId, total: nowTotal, counts: nowCounts };
    return differingThreads(counts, nowCounts);
  }

  absorb(threadIds: string[] | null): void {
    let changed: string[] | null;
    try {
      changed = this.check();
    } catch {
      return; // the next poll announces it, twice at worst
    }
    if (threadIds === null) return;
    const announced = new Set(threadIds);
    const others = changed?.filter((thread) => !announced.has(thread)) ?? null;
    if (others === null || others.length > 0) this.events.onChanged(others);
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.retry) clearTimeout(this.retry);
    this.watched.close();
  }
}

/** Follows the database at `file` (which exists) until stopped. */
export function followDatabase(file: string, events: FollowerEvents, { pollMs = DATABASE_POLL_MS } = {}): SourceFollower {
  return new DatabaseFollower(file, events, pollMs);
}
