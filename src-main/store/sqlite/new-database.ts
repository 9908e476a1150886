// Databases this app creates. Each is built under a temporary name and linked
// into place when complete: a process killed halfway leaves no half-made file
// at the target that the next open would have to refuse as foreign, and an
// import can fill a file nobody else can see yet at full speed.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { RUN_EVENTS_DDL } from './sql.ts';

/** Bigger pages than SQLite's 4 KiB: a third faster imports (fewer pages and checkpoints per event) and scans; not part of the schema DeerFlow reads. */
const NEW_DATABASE_PAGE_SIZE = 16_384;
const TABLE_DDL = RUN_EVENTS_DDL.slice(0, 1);
const INDEX_DDL = RUN_EVENTS_DDL.slice(1);

/** `<file>.creating-<pid>-<unique>`: the pid tells a dead creator's leftovers from a live one's. */
const TEMPORARY_MARK = '.creating-';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What killed creators of `file` left behind (an import killed halfway leaves gigabytes). */
function removeLeftovers(file: string): void {
  const prefix = path.basename(file) + TEMPORARY_MARK;
  for (const name of fs.readdirSync(path.dirname(file))) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number.parseInt(name.slice(prefix.length), 10);
    if (Number.isSafeInteger(pid) && !isAlive(pid)) fs.rmSync(path.join(path.dirname(file), name), { force: true });
  }
}

/** A fresh temporary name beside `file`, unique across the threads of this process too. */
function temporaryName(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  removeLeftovers(file);
  return `${file}${TEMPORARY_MARK}${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** fsync, queued at once (the file is opened synchronously): it runs even while this thread is busy. */
function syncFile(file: string): Promise<void> {
  const fd = fs.openSync(file, 'r+');
  return new Promise<void>((resolve, reject) => fs.fsync(fd, (error) => (error ? reject(error) : resolve()))).finally(() => fs.closeSync(fd));
}

function removeFiles(partial: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(partial + suffix, { force: true });
}

/**
 * Links a complete database into place; false (and `partial` left alone)
 * when `file` appeared meanwhile: it is never replaced.
 */
function linkIntoPlace(partial: string, file: string): boolean {
  try {
    fs.linkSync(partial, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    fs.renameSync(partial, file); // a filesystem without hard links
    return true;
  }
  fs.rmSync(partial, { force: true });
  return true;
}

/**
 * The header's application id ("RunI") of every database this app creates,
 * so a later session knows the file is its own (its search index may live
 * beside it); DeerFlow never sets one, and reads the file the same either way.
 */
const APP_DATABASE_ID = 0x52756e49;

export const isAppDatabase = (db: Database.Database): boolean => db.pragma('application_id', { simple: true }) === APP_DATABASE_ID;

/** The page size goes first: it cannot change once the header is written, which setting WAL does. */
function initialise(db: Database.Database, journalMode: 'WAL' | 'MEMORY', ddl: readonly string[]): void {
  db.pragma(`page_size = ${NEW_DATABASE_PAGE_SIZE}`);
  db.pragma(`application_id = ${APP_DATABASE_ID}`);
  db.pragma(`journal_mode = ${journalMode}`);
  db.transaction(() => ddl.forEach((statement) => db.exec(statement)))();
}

/** A new, empty database with DeerFlow's schema at `file`; an existing file (one that appeared meanwhile) is left as it is. */
export function createDatabase(file: string): void {
  const partial = temporaryName(file);
  try {
    const db = new Database(partial);
    try {
      // Only a file we create is ours to put in WAL mode: switching a foreign
      // file rewrites its header under the agent that owns it.
      initialise(db, 'WAL', RUN_EVENTS_DDL);
    } finally {
      db.close();
    }
    linkIntoPlace(partial, file);
  } finally {
    removeFiles(partial);
  }
}

/**
 * A new database an import fills before anyone else can see it: DeerFlow's
 * table without its secondary indexes, which are built once at the end
 * (about 2 s per million events, against 3.5 s to keep them up to date row
 * by row), with the journal in memory and no syncing (a crash loses only a
 * file nobody has seen).
 */
export class DatabaseUnderConstruction {
  readonly db: Database.Database;
  readonly partial: string;
  private readonly file: string;

  constructor(file: string) {
    this.file = file;
    this.partial = temporaryName(file);
    try {
      this.db = new Database(this.partial);
      this.db.pragma('synchronous = OFF');
      // MEMORY, not OFF: a failed batch still rolls back, leaving whole batches.
      initialise(this.db, 'MEMORY', TABLE_DDL);
    } catch (error) {
      removeFiles(this.partial);
      throw error;
    }
  }

  /**
   * Completes the schema (same statements, same names as a new database
   * made any other way), switches to WAL, syncs, and links the file into
   * place. False when `file` appeared meanwhile: the complete database is
   * then still at `partial`, for the caller to copy from and discard().
   */
  async finish(): Promise<boolean> {
    // The table's pages go to the disk while the indexes are built: the
    // sync is queued now, to run beside the build on libuv's threads.
    const tableWritten = syncFile(this.partial);
    tableWritten.catch(() => {}); // awaited below; not unhandled when the build fails first
    // Each index build reads the whole table: mapped, it is read without a copy per page (a fifth faster).
    this.db.pragma(`mmap_size = ${fs.statSync(this.partial).size}`);
    this.db.transaction(() => INDEX_DDL.forEach((statement) => this.db.exec(statement)))();
    this.db.pragma('journal_mode = WAL');
    this.db.close();
    await tableWritten;
    await syncFile(this.partial); // the file appears complete, so it must be on disk before it appears
    return linkIntoPlace(this.partial, this.file);
  }

  discard(): void {
    if (this.db.open) this.db.close();
    removeFiles(this.partial);
  }
}
