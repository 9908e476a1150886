// Follows a SQLite database another process writes (DeerFlow's server, in
// WAL or rollback-journal mode): SQLite's data_version on a read-only
// connection of the follower's own, polled, tells that some connection
// committed; then run_events, runs and threads_meta say which threads the
// commit changed (table-changes.ts), picked again whenever the schema
// changed (DeerFlow may create runs and threads_meta later). Each check is one short read
// transaction: nothing stays open between polls (a WAL can checkpoint), no
// write lock is ever taken, the journal mode is never touched.
import type Database from 'better-sqlite3';
import { ReplacementTeller, type FollowerEvents, type SideRowsRemoved, type SourceFollower } from './follower.ts';
import { changedThreads, tableChanges, type TableChanges } from './table-changes.ts';
import { WatchedDatabase } from './watched-database.ts';

/** Within the 250–500 ms: a commit is announced well inside its 1 s. */
export const DATABASE_POLL_MS = 300;
/**
 * A read that met a writer's lock (rollback-journal mode) is tried again this
 * soon: a writer committing 200 times a second holds the file most of the
 * time, and waiting for the next poll could miss it for seconds.
 */
const BUSY_RETRY_MS = 10;

class DatabaseFollower implements SourceFollower {
  private readonly watched: WatchedDatabase;
  private readonly events: FollowerEvents;
  /** null for a run_events view, which has no rowid. */
  private tables: TableChanges[] | null = null;
  private seenVersion = 0;
  private schemaVersionOf: Database.Statement<[], number> | null = null;
  private seenSchemaVersion = 0;
  /**
   * Another file is at the path, and the session has not opened it yet: told
   * again at each poll until it has (a file renamed there half-written, a
   * writer's lock, opens only later), and nothing else is checked meanwhile.
   */
  private replaced = false;
  private readonly replacement: ReplacementTeller;
  private readonly timer: NodeJS.Timeout;
  private retry: NodeJS.Timeout | null = null;
  /**
   * The app's own write whose absorb could not check (the file busy: another process writing in
   * rollback-journal mode): the next check takes it in, or it would be announced as another's.
   */
  private unabsorbed: { threadIds: Set<string> | null; removed: SideRowsRemoved } | null = null;

  constructor(file: string, events: FollowerEvents, pollMs: number) {
    // A read that meets a writer's lock (rollback-journal mode) fails at once and is tried again at the next poll:
    // waiting would stall the process that serves the page.
    this.watched = new WatchedDatabase(file, { busyTimeoutMs: 0 });
    this.events = events;
    this.replacement = new ReplacementTeller(events);
    this.start();
    // unref: a follower never keeps a process alive on its own (the session stops it anyway).
    this.timer = setInterval(() => this.poll(), pollMs).unref();
  }

  private start(): void {
    const db = this.watched.db;
    const schemaVersionOf = db.prepare<[], number>('PRAGMA schema_version').pluck();
    db.transaction(() => {
      this.tables = tableChanges(db);
      this.seenSchemaVersion = schemaVersionOf.get()!;
    })();
    this.schemaVersionOf = schemaVersionOf;
    this.seenVersion = this.watched.dataVersion();
  }

  /**
   * Inside the check's read transaction: the tables picked again, and everything told changed, when the
   * schema moved — and the session told to open the source again after it (poll), as for another file
   * at the path: its store read the schema when it opened (DeerFlow's runs and threads_meta may come later).
   */
  private changedThreads(removed?: SideRowsRemoved): string[] | null {
    const schemaVersion = this.schemaVersionOf!.get()!;
    if (schemaVersion !== this.seenSchemaVersion) {
      this.tables = tableChanges(this.watched.db);
      this.seenSchemaVersion = schemaVersion;
      this.replaced = true;
      return null;
    }
    return this.tables ? changedThreads(this.tables, removed) : null;
  }

  /** Holds taken and not yet released (hold). */
  private holds = 0;

  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (!released) this.holds--;
      released = true;
    };
  }

  private poll(): void {
    if (this.replacement.busy || this.holds > 0) return;
    try {
      if (this.watched.reopenIfReplaced()) this.replaced = true;
      // Replaced before the check, or found so by it (a schema change): nothing is announced but the reopening.
      const changed = this.replaced ? [] : this.checkTakingIn(null);
      if (this.replaced) this.reopen();
      else if (changed === null || changed.length > 0) this.events.onChanged(changed);
    } catch (error) {
      // Nothing was taken in, so a later poll checks the same change again: soon after a writer's
      // lock (SQLITE_BUSY), at the next poll after anything else (a file being replaced).
      if ((error as { code?: string }).code === 'SQLITE_BUSY') this.retry ??= setTimeout(() => this.retryPoll(), BUSY_RETRY_MS).unref();
    }
  }

  /** The new file read as the baseline, then the session told to open it; whatever fails is tried again at the next poll. */
  private reopen(): void {
    this.start();
    this.replacement.tell(() => (this.replaced = false));
  }

  private retryPoll(): void {
    this.retry = null;
    this.poll();
  }

  /** The threads changed since the last check, [] when nothing did, null when which ones cannot be told. */
  private check(removed?: SideRowsRemoved): string[] | null {
    const version = this.watched.dataVersion();
    if (version === this.seenVersion) return [];
    const changed = this.watched.db.transaction(() => this.changedThreads(removed))();
    this.seenVersion = version;
    return changed;
  }

  absorb(threadIds: string[] | null, removed?: SideRowsRemoved): void {
    let others: string[] | null;
    try {
      others = this.checkTakingIn({ threadIds: threadIds === null ? null : new Set(threadIds), removed: removed ?? { runs: 0, threads_meta: 0 } });
    } catch {
      return; // kept in unabsorbed: the next poll takes it in
    }
    if (others === null || others.length > 0) this.events.onChanged(others);
  }

  /**
   * The threads changed since the last check but for the app's own writes (`write`, and one an earlier
   * absorb could not check): those were announced already. Throws, keeping them for the next, when the check does.
   */
  private checkTakingIn(write: DatabaseFollower['unabsorbed']): string[] | null {
    const earlier = this.unabsorbed;
    const own = earlier && write ? mergedWrites(earlier, write) : (earlier ?? write);
    this.unabsorbed = own;
    const changed = this.check(own?.removed);
    this.unabsorbed = null;
    if (!own) return changed;
    const announced = own.threadIds;
    if (announced === null) return [];
    return changed?.filter((thread) => !announced.has(thread)) ?? null;
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.retry) clearTimeout(this.retry);
    this.watched.close();
  }
}

type OwnWrite = NonNullable<DatabaseFollower['unabsorbed']>;

function mergedWrites(a: OwnWrite, b: OwnWrite): OwnWrite {
  return {
    threadIds: a.threadIds === null || b.threadIds === null ? null : new Set([...a.threadIds, ...b.threadIds]),
    removed: { runs: a.removed.runs + b.removed.runs, threads_meta: a.removed.threads_meta + b.removed.threads_meta },
  };
}

/** Follows the database at `file` (which exists) until stopped. */
export function followDatabase(file: string, events: FollowerEvents, { pollMs = DATABASE_POLL_MS } = {}): Omit<SourceFollower, 'hold'> & { hold(): () => void } {
  return new DatabaseFollower(file, events, pollMs);
}
