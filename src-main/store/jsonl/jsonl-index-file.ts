// The JSONL layout's index, kept between sessions (issue 14, "JSONL index
// persisted"; DESIGN.md §4 "one sidecar per source"): for every run file how
// it looked (inode, size, mtime) and how far it was read, its digest and
// where each of its events lies, and each thread's list entry, in tables of
// their own in the source's sidecar file (where its search index lives too).
// A later open lists the threads from here at once and reads only the files
// whose stat differs. Nothing in it is original: a file of another version,
// of another source, or that cannot be read as one is emptied, and the
// files are read again.
import os from 'node:os';
import type Database from 'better-sqlite3';
import type { ThreadSummary } from '../../../src-shared/types.ts';
import { KeptFile, type KeptTables } from '../kept-file.ts';

const TABLES: KeptTables = {
  prefix: 'jsonl_index',
  // Bumped whenever the tables or what their blobs and JSON hold change (2: issues say what they are about, which
  // the health check reads; a file of 1 has issues without it). The entries are doubles as this machine lays them
  // out: a file from a machine of the other byte order is read again.
  version: `2/${os.endianness()}`,
  schema: [
    'CREATE TABLE IF NOT EXISTS jsonl_index_threads (thread_id TEXT PRIMARY KEY, summary TEXT NOT NULL) WITHOUT ROWID',
    // A rowid table: the entries are blobs of up to megabytes, which WITHOUT ROWID tables store badly.
    `CREATE TABLE IF NOT EXISTS jsonl_index_runs (id INTEGER PRIMARY KEY, thread_id TEXT NOT NULL, run_id TEXT NOT NULL,
       ino INTEGER NOT NULL, size INTEGER NOT NULL, mtime_ms REAL NOT NULL, consumed INTEGER NOT NULL, lines INTEGER NOT NULL,
       tail BLOB NOT NULL, issues TEXT NOT NULL, digest TEXT NOT NULL, entries BLOB NOT NULL, UNIQUE (thread_id, run_id))`,
  ],
  tables: ['jsonl_index_runs', 'jsonl_index_threads'],
};

/** One run file's row: its stat and read position, and as JSON its issues (SourceIssue[]) and digest (RunDigestState). */
export interface KeptRun {
  run_id: string;
  ino: number;
  size: number;
  mtime_ms: number;
  consumed: number;
  lines: number;
  tail: Buffer;
  issues: string;
  digest: string;
  entries: Buffer;
}

/** The file's statements, prepared once it has its tables. */
function statementsOf(db: Database.Database) {
  return {
    threads: db.prepare<[], { thread_id: string; summary: string }>('SELECT thread_id, summary FROM jsonl_index_threads'),
    runsOf: db.prepare<[string], KeptRun>(
      'SELECT run_id, ino, size, mtime_ms, consumed, lines, tail, issues, digest, entries FROM jsonl_index_runs WHERE thread_id = ?',
    ),
    setThread: db.prepare<[string, string]>('INSERT OR REPLACE INTO jsonl_index_threads (thread_id, summary) VALUES (?, ?)'),
    setRun: db.prepare<[KeptRun & { thread_id: string }]>(
      `INSERT OR REPLACE INTO jsonl_index_runs (thread_id, run_id, ino, size, mtime_ms, consumed, lines, tail, issues, digest, entries)
       VALUES (@thread_id, @run_id, @ino, @size, @mtime_ms, @consumed, @lines, @tail, @issues, @digest, @entries)`,
    ),
    forgetRun: db.prepare<[string, string]>('DELETE FROM jsonl_index_runs WHERE thread_id = ? AND run_id = ?'),
    forgetThreadRuns: db.prepare<[string]>('DELETE FROM jsonl_index_runs WHERE thread_id = ?'),
    forgetThread: db.prepare<[string]>('DELETE FROM jsonl_index_threads WHERE thread_id = ?'),
  };
}

export class JsonlIndexFile {
  private readonly file: KeptFile;
  private readonly sql: ReturnType<typeof statementsOf>;

  /** Throws SQLite's error when the file is no database or is damaged (the caller removes it and opens again). */
  constructor(file: string, identity: string) {
    this.file = new KeptFile(file, TABLES, identity);
    // Nothing here is original: a crash loses at most the last threads saved, which the next open reads again.
    this.file.db.pragma('synchronous = OFF');
    this.sql = statementsOf(this.file.db);
  }

  /** Empties the index (found damaged under the store). */
  clear(): void {
    this.file.db.transaction(() => this.file.clear())();
  }

  /** Every kept thread's list entry. */
  threads(): Map<string, ThreadSummary> {
    return new Map(this.sql.threads.all().map((row) => [row.thread_id, JSON.parse(row.summary) as ThreadSummary]));
  }

  runsOf(threadId: string): KeptRun[] {
    return this.sql.runsOf.all(threadId);
  }

  /** A thread as it now is: its list entry, the runs given (changed) replaced, the runs named (gone) removed. */
  saveThread(threadId: string, summary: ThreadSummary, changed: readonly KeptRun[], gone: Iterable<string>): void {
    this.file.db.transaction(() => {
      for (const runId of gone) this.sql.forgetRun.run(threadId, runId);
      for (const run of changed) this.sql.setRun.run({ thread_id: threadId, ...run });
      this.sql.setThread.run(threadId, JSON.stringify(summary));
    })();
  }

  forgetThread(threadId: string): void {
    this.file.db.transaction(() => {
      this.sql.forgetThreadRuns.run(threadId);
      this.sql.forgetThread.run(threadId);
    })();
  }

  close(): void {
    this.file.close();
  }
}
