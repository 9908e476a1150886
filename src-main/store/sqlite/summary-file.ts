// A SQLite database's thread list, kept between sessions (issue 14, "Kept
// summaries for huge stores"): each run's counts, seq range and time span,
// and each thread's totals, latest run, the status that run's events gave
// and its title, as of the highest run_events rowid seen and marks of the
// rows there and below (table-changes.ts LastRow), in tables of their own in
// the source's sidecar file (never in the database, which may be someone
// else's). A later open lists from it and reads only what changed since
// (kept-threads.ts). Nothing in it is original: tables of another version or
// of another file at the path are emptied, and the next list reads the table
// once more. Another connection of the app may keep the same file (the read
// worker's store): a save only lands on the summary it was made from.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { LastRow } from '../../live/table-changes.ts';
import { KeptFile, type KeptTables } from '../kept-file.ts';
import type { RunRow } from '../run-rows.ts';

const TABLES: KeptTables = {
  // SQLite reserves names starting with sqlite_.
  prefix: 'db_summary',
  // 2: last_row marks rows below the highest too (table-changes.ts LastRow).
  version: '2',
  schema: [
    `CREATE TABLE IF NOT EXISTS db_summary_threads (thread_id TEXT PRIMARY KEY, message_count INTEGER NOT NULL, event_count INTEGER NOT NULL,
       run_count INTEGER NOT NULL, first_created_at TEXT, last_created_at TEXT, last_run_id TEXT, last_run_version TEXT, last_run_status TEXT,
       title TEXT, title_seq INTEGER, title_after INTEGER NOT NULL) WITHOUT ROWID`,
    `CREATE TABLE IF NOT EXISTS db_summary_runs (thread_id TEXT NOT NULL, run_id TEXT NOT NULL, event_count INTEGER NOT NULL,
       message_count INTEGER NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL, first_created_at TEXT, last_created_at TEXT,
       PRIMARY KEY (thread_id, run_id)) WITHOUT ROWID`,
  ],
  tables: ['db_summary_threads', 'db_summary_runs'],
};

/** A thread as the list needs it without reading its runs; created_at as the database has it. */
export interface KeptThread {
  thread_id: string;
  message_count: number;
  event_count: number;
  run_count: number;
  first_created_at: string | null;
  last_created_at: string | null;
  /** Its latest run, that run's version (run-rows.ts runVersion) when its events' status was read, and that status. */
  last_run_id: string | null;
  last_run_version: string | null;
  last_run_status: string | null;
  /** Its first human message's text (firstHumanText) and seq; null when none is known. */
  title: string | null;
  title_seq: number | null;
  /** Without a title: every message up to this seq has been read, and none is human. */
  title_after: number;
}

/** What a save writes for one thread: its entry (null: it is gone), the runs added or changed and those gone, or (replaceRuns) all its runs anew. */
export interface ThreadWrite {
  thread: KeptThread | null;
  runs: readonly RunRow[];
  removedRuns: readonly string[];
  replaceRuns: boolean;
}

function statementsOf(db: Database.Database) {
  return {
    threads: db.prepare<[], KeptThread>('SELECT * FROM db_summary_threads'),
    runsOf: db.prepare<[string], RunRow>('SELECT * FROM db_summary_runs WHERE thread_id = ?'),
    putThread: db.prepare<[KeptThread]>(
      `INSERT OR REPLACE INTO db_summary_threads VALUES (@thread_id, @message_count, @event_count, @run_count, @first_created_at, @last_created_at,
         @last_run_id, @last_run_version, @last_run_status, @title, @title_seq, @title_after)`,
    ),
    forgetThread: db.prepare<[string]>('DELETE FROM db_summary_threads WHERE thread_id = ?'),
    putRun: db.prepare<[RunRow]>(
      `INSERT OR REPLACE INTO db_summary_runs VALUES (@thread_id, @run_id, @event_count, @message_count, @first_seq, @last_seq,
         @first_created_at, @last_created_at)`,
    ),
    forgetRun: db.prepare<[string, string]>('DELETE FROM db_summary_runs WHERE thread_id = ? AND run_id = ?'),
    forgetRuns: db.prepare<[string]>('DELETE FROM db_summary_runs WHERE thread_id = ?'),
  };
}

export class SqliteSummaryFile {
  private readonly kept: KeptFile;
  private readonly sql: ReturnType<typeof statementsOf>;

  constructor(file: string, identity: string) {
    this.kept = new KeptFile(file, TABLES, identity);
    this.sql = statementsOf(this.kept.db);
  }

  /** Which save the kept summary is (a token each save draws); undefined when none is kept. */
  version(): string | undefined {
    return this.kept.meta('saved');
  }

  load(): { version: string; last: LastRow; threads: KeptThread[] } | null {
    return this.kept.db.transaction(() => {
      const version = this.version();
      const last = this.kept.meta('last_row');
      if (version === undefined || last === undefined) return null;
      return { version, last: JSON.parse(last) as LastRow, threads: this.sql.threads.all() };
    })();
  }

  runsOf(threadId: string): RunRow[] {
    return this.sql.runsOf.all(threadId);
  }

  /**
   * The summary as of `last`, made from the one kept as of `from` (undefined:
   * from nothing, which replaces every thread): the threads written, in one
   * transaction. False, and nothing written, when the file is no longer as of
   * `from` (another connection saved since).
   */
  save(from: string | undefined, last: LastRow, writes: ReadonlyMap<string, ThreadWrite>): { saved: boolean; version: string } {
    const version = randomUUID();
    const saved = this.kept.db
      .transaction(() => {
        if (this.version() !== from) return false;
        if (from === undefined) this.kept.db.exec('DELETE FROM db_summary_threads; DELETE FROM db_summary_runs');
        for (const [threadId, write] of writes) {
          if (write.replaceRuns || write.thread === null) this.sql.forgetRuns.run(threadId);
          for (const run of write.removedRuns) this.sql.forgetRun.run(threadId, run);
          for (const run of write.runs) this.sql.putRun.run(run);
          if (write.thread === null) this.sql.forgetThread.run(threadId);
          else this.sql.putThread.run(write.thread);
        }
        this.kept.setMeta('last_row', JSON.stringify(last));
        this.kept.setMeta('saved', version);
        return true;
      })
      .immediate();
    return { saved, version };
  }

  close(): void {
    this.kept.close();
  }
}
