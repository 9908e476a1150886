// A server database's thread list, kept between sessions (issue 13, "Large
// servers"; DESIGN.md §4 "one sidecar per source"): every run's counts, seq
// range and time span, and the status its last lifecycle event gave, as of
// the server's snapshot, the table and the ids seen, in tables of their own
// in the source's sidecar file. A later open reads it instead of the whole
// table and asks the server only for what changed since. Nothing in it is
// original: a file that is missing, damaged, of another version or of another
// database is started again, and the next thread list reads the table once
// more.
import type Database from 'better-sqlite3';
import { KeptFile, type KeptTables } from '../kept-file.ts';
import type { RunRow } from '../run-rows.ts';
import { IdGaps, type IdGap } from './id-gaps.ts';

const TABLES: KeptTables = {
  prefix: 'pg_summary',
  version: '2',
  schema: [
    `CREATE TABLE IF NOT EXISTS pg_summary_runs (thread_id TEXT NOT NULL, run_id TEXT NOT NULL, event_count INTEGER NOT NULL,
       message_count INTEGER NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL, first_created_at TEXT, last_created_at TEXT,
       status_version TEXT, status TEXT, PRIMARY KEY (thread_id, run_id)) WITHOUT ROWID`,
  ],
  tables: ['pg_summary_runs'],
};

export interface KeptOutcome {
  version: string;
  status: string | null;
}

/** What a thread list is as of (postgres-store.ts threadRuns): the server's snapshot, run_events' table and file, the ids seen. */
export interface ListVersion {
  snapshot: string;
  events: string | null;
  ids: IdGaps;
}

export interface StoredSummary {
  version: ListVersion;
  runs: RunRow[];
  /** By `thread\nrun`: the status a run's events gave, as of its version. */
  outcomes: Map<string, KeptOutcome>;
}

interface StoredRun extends RunRow {
  status_version: string | null;
  status: string | null;
}

/** The file's statements, prepared once it has its tables. */
function statementsOf(db: Database.Database) {
  return {
    runs: db.prepare<[], StoredRun>('SELECT * FROM pg_summary_runs'),
    insertRun: db.prepare<[StoredRun]>(
      `INSERT OR REPLACE INTO pg_summary_runs VALUES (@thread_id, @run_id, @event_count, @message_count, @first_seq, @last_seq,
         @first_created_at, @last_created_at, @status_version, @status)`,
    ),
    forgetThread: db.prepare<[string]>('DELETE FROM pg_summary_runs WHERE thread_id = ?'),
    updateOutcome: db.prepare<[string, string | null, string, string]>('UPDATE pg_summary_runs SET status_version = ?, status = ? WHERE thread_id = ? AND run_id = ?'),
    forgetRuns: db.prepare('DELETE FROM pg_summary_runs'),
  };
}

export class SummaryFile {
  private readonly kept: KeptFile;
  private readonly sql: ReturnType<typeof statementsOf>;

  constructor(file: string, identity: string) {
    this.kept = new KeptFile(file, TABLES, identity);
    this.sql = statementsOf(this.kept.db);
  }

  load(): StoredSummary | null {
    const text = this.kept.meta('list_version');
    if (text === undefined) return null;
    const stored = JSON.parse(text) as Omit<ListVersion, 'ids'> & { top: number; gaps: IdGap[] };
    const version = { snapshot: stored.snapshot, events: stored.events, ids: new IdGaps(stored.top, stored.gaps) };
    const runs: RunRow[] = [];
    const outcomes = new Map<string, KeptOutcome>();
    for (const { status_version, status, ...run } of this.sql.runs.all()) {
      runs.push(run);
      if (status_version !== null) outcomes.set(`${run.thread_id}\n${run.run_id}`, { version: status_version, status });
    }
    return { version, runs, outcomes };
  }

  /** The summary as of `version`: the runs of the threads given replace those kept (all of them when `threads` is null). */
  save(version: ListVersion, runs: Iterable<RunRow>, threads: readonly string[] | null, outcomes: ReadonlyMap<string, KeptOutcome>): void {
    this.kept.db.transaction(() => {
      if (threads === null) this.sql.forgetRuns.run();
      else for (const thread of threads) this.sql.forgetThread.run(thread);
      for (const run of runs) {
        const outcome = outcomes.get(`${run.thread_id}\n${run.run_id}`);
        this.sql.insertRun.run({ ...run, status_version: outcome?.version ?? null, status: outcome?.status ?? null });
      }
      const { ids, ...rest } = version;
      this.kept.setMeta('list_version', JSON.stringify({ ...rest, top: ids.top, gaps: ids.gaps }));
    })();
  }

  /** The statuses found since the summary was saved, beside the runs they belong to. */
  saveOutcomes(outcomes: ReadonlyMap<string, KeptOutcome>): void {
    this.kept.db.transaction(() => {
      for (const [key, { version, status }] of outcomes) {
        const [thread, run] = key.split('\n');
        this.sql.updateOutcome.run(version, status, thread, run);
      }
    })();
  }

  close(): void {
    this.kept.close();
  }
}
