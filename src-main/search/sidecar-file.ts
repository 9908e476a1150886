// The search index's own SQLite file (issue 10, DESIGN.md §4 "one sidecar
// per source"): an FTS5 trigram table over each event's folded searchable
// text, contentless (the text is read again from the source for a hit, which
// keeps the file well under the database's size), and a second one of the
// bigrams and last characters of its CJK runs for the terms too short for trigrams
// (short-terms.ts), beside the envelope that filters, orders and finds the
// event again. Nothing in it is original:
// deleting it loses nothing, the next open builds it again.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS } from '../store/sqlite/sqlite-store.ts';

/** Bumped whenever the tables below change: an older file is rebuilt, never migrated. */
const SIDECAR_VERSION = '6';
/** The page cache of each connection to a sidecar, the session's and the search worker's (serve-candidates.ts). */
export const SIDECAR_CACHE_KIB = 64 * 1024;

// detail=none keeps only which rows hold a trigram (no positions): a third of
// the size. Candidates are then a superset of the matches (a term's trigrams
// may sit apart), which the engine checks on the event's text anyway.
// case_sensitive: the text is folded by the app's own rule (foldCase) before
// it gets here, so FTS5's folding must not add one of its own.
const SCHEMA = [
  'CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID',
  // version: what the run looked like when indexed (JSONL sources, index-store-sync.ts).
  'CREATE TABLE runs (id INTEGER PRIMARY KEY, thread_id TEXT NOT NULL, run_id TEXT NOT NULL, version TEXT, UNIQUE (thread_id, run_id))',
  // version: what the thread's summary was when all its runs were last indexed, so an unchanged thread's runs are not listed (JSONL, PostgreSQL).
  'CREATE TABLE threads (thread_id TEXT PRIMARY KEY, version TEXT NOT NULL) WITHOUT ROWID',
  'CREATE TABLE kinds (id INTEGER PRIMARY KEY, category TEXT NOT NULL, event_type TEXT NOT NULL, UNIQUE (category, event_type))',
  // at: hitInstant(created_at), the order's instant; id: the source's row id (SQLite), else assigned here.
  'CREATE TABLE docs (id INTEGER PRIMARY KEY, at REAL NOT NULL, thread_id TEXT NOT NULL, seq INTEGER NOT NULL, run INTEGER NOT NULL, kind INTEGER NOT NULL)',
  'CREATE INDEX docs_order ON docs (at DESC, thread_id, seq DESC)',
  'CREATE INDEX docs_thread ON docs (thread_id, at DESC, seq DESC)',
  "CREATE VIRTUAL TABLE fts USING fts5 (text, tokenize = 'trigram case_sensitive 1', detail = none, content = '', contentless_delete = 1)",
  // Merge 32 segments of a level at a time, not 4: less work per event built, for a few % more size.
  "INSERT INTO fts (fts, rank) VALUES ('automerge', 32)",
  // A level's crisis merge at twice that, not at the default 16: at or below automerge every merge of a build is a crisis
  // merge done whole inside one insert, which on a 200k-event slice costs a fifth more and leaves more free pages.
  "INSERT INTO fts (fts, rank) VALUES ('crisismerge', 64)",
  // Only events with CJK text have a row here; its rowid is the event's docs.id. The prefix index answers a
  // one-character term X* as one term: without it FTS5 merges the doclist of every token starting with X for
  // each query, some 20 ms on 200k events, so a walk probing each row took seconds (short-terms.ts).
  "CREATE VIRTUAL TABLE short_terms USING fts5 (tokens, tokenize = 'ascii', detail = none, prefix = '1', content = '', contentless_delete = 1)",
  // As for the trigrams: about halves what its inserts add to a build, for some 3 % of the database's size more.
  "INSERT INTO short_terms (short_terms, rank) VALUES ('automerge', 32)",
  "INSERT INTO short_terms (short_terms, rank) VALUES ('crisismerge', 64)",
];
const TABLES = ['meta', 'runs', 'threads', 'kinds', 'docs', 'fts', 'short_terms'];

/** One event as the index holds it. */
export interface IndexDoc {
  /** The source's row id; absent: the sidecar assigns one. */
  id?: number;
  at: number;
  thread_id: string;
  seq: number;
  run_id: string;
  category: string;
  event_type: string;
  /** foldCase(searchableText(event)). */
  text: string;
  /** shortTermTokens(text): '' when it has no CJK. */
  shortTerms: string;
}

export interface DocKey {
  id: number;
  thread_id: string;
  seq: number;
}

export class Sidecar {
  readonly db: Database.Database;
  readonly file: string;
  private readonly runIds: PairIds;
  private readonly kindIds: PairIds;
  /** PRAGMA data_version when the ids were last known good. */
  private idsVersion = -1;
  private readonly statements;

  /**
   * Opens (creating) the sidecar at `file` for the source whose identity is
   * `identity`; a file made for another identity (the source was replaced)
   * or by another version is emptied first.
   */
  constructor(file: string, identity: string, sourcePath: string) {
    this.file = file;
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.db.pragma(`cache_size = -${SIDECAR_CACHE_KIB}`);
    this.db.pragma('journal_mode = WAL');
    // A crash loses at most the last batches, which the next sync adds again.
    this.db.pragma('synchronous = OFF');
    this.db.transaction(() => this.prepareSchema(identity, sourcePath)).immediate();
    this.statements = {
      insertDoc: this.db.prepare<[number | null, number, string, number, number, number]>(
        'INSERT INTO docs (id, at, thread_id, seq, run, kind) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      insertText: this.db.prepare<[number | bigint, string]>('INSERT INTO fts (rowid, text) VALUES (?, ?)'),
      dataVersion: this.db.prepare<[], number>('PRAGMA data_version').pluck(),
      deleteDoc: this.db.prepare<[number]>('DELETE FROM docs WHERE id = ?'),
      deleteText: this.db.prepare<[number]>('DELETE FROM fts WHERE rowid = ?'),
      insertShortTerms: this.db.prepare<[number | bigint, string]>('INSERT INTO short_terms (rowid, tokens) VALUES (?, ?)'),
      deleteShortTerms: this.db.prepare<[number]>('DELETE FROM short_terms WHERE rowid = ?'),
      getMeta: this.db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: this.db.prepare<[string, string]>('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
      threadCounts: this.db.prepare<[], { thread_id: string; n: number }>('SELECT thread_id, count(*) AS n FROM docs GROUP BY thread_id'),
      keysOfThread: this.db.prepare<[string], DocKey>('SELECT id, thread_id, seq FROM docs WHERE thread_id = ?'),
      lastDoc: this.db.prepare<[], DocKey & { at: number }>('SELECT id, thread_id, seq, at FROM docs ORDER BY id DESC LIMIT 1'),
      keysOfRun: this.db.prepare<[string, number], DocKey>('SELECT id, thread_id, seq FROM docs WHERE thread_id = ? AND run = ?'),
      runVersions: this.db.prepare<[], { thread_id: string; run_id: string; version: string }>(
        'SELECT thread_id, run_id, version FROM runs WHERE version IS NOT NULL',
      ),
      setRunVersion: this.db.prepare<[string | null, number]>('UPDATE runs SET version = ? WHERE id = ?'),
      threadVersions: this.db.prepare<[], { thread_id: string; version: string }>('SELECT thread_id, version FROM threads'),
      setThreadVersion: this.db.prepare<[string, string]>('INSERT OR REPLACE INTO threads (thread_id, version) VALUES (?, ?)'),
      deleteThreadVersion: this.db.prepare<[string]>('DELETE FROM threads WHERE thread_id = ?'),
    };
    this.runIds = new PairIds(
      this.db.prepare<[string, string], number>('SELECT id FROM runs WHERE thread_id = ? AND run_id = ?').pluck(),
      this.db.prepare<[string, string]>('INSERT INTO runs (thread_id, run_id) VALUES (?, ?)'),
    );
    this.kindIds = new PairIds(
      this.db.prepare<[string, string], number>('SELECT id FROM kinds WHERE category = ? AND event_type = ?').pluck(),
      this.db.prepare<[string, string]>('INSERT INTO kinds (category, event_type) VALUES (?, ?)'),
    );
  }

  /**
   * Drops the cached ids when another connection committed since they were
   * read: the job worker builds through a Sidecar of its own, adding runs
   * and kinds this one has not seen, or clearing them all so that ids are
   * given again to other runs.
   */
  private forgetIdsIfWrittenElsewhere(): void {
    const version = this.statements.dataVersion.get()!;
    if (version === this.idsVersion) return;
    this.runIds.clear();
    this.kindIds.clear();
    this.idsVersion = version;
  }

  private prepareSchema(identity: string, sourcePath: string): void {
    const hasMeta = this.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'meta'").get() !== undefined;
    const value = (key: string) => this.db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck().get(key);
    if (hasMeta && value('version') === SIDECAR_VERSION && value('identity') === identity) return;
    for (const table of TABLES) this.db.exec(`DROP TABLE IF EXISTS ${table}`);
    for (const statement of SCHEMA) this.db.exec(statement);
    const set = this.db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?)');
    set.run('version', SIDECAR_VERSION);
    set.run('identity', identity);
    // For a person looking at the folder: which source this file indexes.
    set.run('source', sourcePath);
    set.run('indexed', '0');
  }

  getMeta(key: string): string | undefined {
    return this.statements.getMeta.get(key);
  }

  /** Meta values are written inside the caller's transaction, beside the rows they describe. */
  setMeta(key: string, value: string | number): void {
    this.statements.setMeta.run(key, String(value));
  }

  /** Events in the index, kept beside the rows (a count(*) of a million rows costs tens of ms). */
  indexed(): number {
    return Number(this.getMeta('indexed') ?? 0);
  }

  /** Adds events and removes rows by id, in one transaction, with `meta` changes made by `alsoInside`. */
  apply(add: readonly IndexDoc[], remove: readonly number[], alsoInside?: () => void): void {
    this.db
      .transaction(() => {
        this.forgetIdsIfWrittenElsewhere();
        // Removals first: a source that reuses a deleted row's id gives the new row the same id.
        let removed = 0;
        for (const id of remove) {
          if (this.statements.deleteDoc.run(id).changes === 0) continue;
          this.statements.deleteText.run(id);
          this.statements.deleteShortTerms.run(id);
          removed++;
        }
        for (const doc of add) {
          const run = this.runIds.getOrAdd(doc.thread_id, doc.run_id);
          const kind = this.kindIds.getOrAdd(doc.category, doc.event_type);
          const { lastInsertRowid } = this.statements.insertDoc.run(doc.id ?? null, doc.at, doc.thread_id, doc.seq, run, kind);
          this.statements.insertText.run(lastInsertRowid, doc.text);
          if (doc.shortTerms) this.statements.insertShortTerms.run(lastInsertRowid, doc.shortTerms);
        }
        this.setMeta('indexed', this.indexed() + add.length - removed);
        alsoInside?.();
      })
      .immediate();
  }

  /** Empties the index (the source was replaced), keeping the file and its connections. */
  clear(identity: string): void {
    this.db
      .transaction(() => {
        this.db.exec("DELETE FROM docs; DELETE FROM runs; DELETE FROM threads; DELETE FROM kinds; INSERT INTO fts (fts) VALUES ('delete-all'); INSERT INTO short_terms (short_terms) VALUES ('delete-all'); DELETE FROM meta WHERE key NOT IN ('version', 'source')");
        this.setMeta('identity', identity);
        this.setMeta('indexed', 0);
      })
      .immediate();
    this.runIds.clear();
    this.kindIds.clear();
  }

  threadCounts(): Map<string, number> {
    return new Map(this.statements.threadCounts.all().map((row) => [row.thread_id, row.n]));
  }

  keysOfThread(threadId: string): DocKey[] {
    return this.statements.keysOfThread.all(threadId);
  }

  keysOfRun(threadId: string, runId: string): DocKey[] {
    this.forgetIdsIfWrittenElsewhere();
    const run = this.runIds.get(threadId, runId);
    return run === undefined ? [] : this.statements.keysOfRun.all(threadId, run);
  }

  /** Each run's version as last indexed, by thread id, then run id. */
  runVersions(): Map<string, Map<string, string>> {
    const byThread = new Map<string, Map<string, string>>();
    for (const { thread_id, run_id, version } of this.statements.runVersions.all()) {
      let runs = byThread.get(thread_id);
      if (!runs) byThread.set(thread_id, (runs = new Map()));
      runs.set(run_id, version);
    }
    return byThread;
  }

  /** Inside apply's transaction; null: the run is gone. */
  setRunVersion(threadId: string, runId: string, version: string | null): void {
    this.statements.setRunVersion.run(version, this.runIds.getOrAdd(threadId, runId));
  }

  /** Each thread's version as last indexed in full, by thread id. */
  threadVersions(): Map<string, string> {
    return new Map(this.statements.threadVersions.all().map((row) => [row.thread_id, row.version]));
  }

  /** Inside apply's transaction, with the last of the thread's runs; null: the thread is gone. */
  setThreadVersion(threadId: string, version: string | null): void {
    if (version === null) this.statements.deleteThreadVersion.run(threadId);
    else this.statements.setThreadVersion.run(threadId, version);
  }

  /** The row with the highest id, and its instant (docs.at). */
  lastDoc(): (DocKey & { at: number }) | undefined {
    return this.statements.lastDoc.get();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/**
 * The sidecar at `file`, made again when what is there is not a database
 * (damaged by a crash of the machine — its writes are not synced —, or any
 * other file): nothing in it is original.
 */
export function openSidecar(file: string, identity: string, sourcePath: string): Sidecar {
  try {
    return new Sidecar(file, identity, sourcePath);
  } catch (error) {
    if (!isDamagedSidecar(error)) throw error;
    removeSidecar(file);
    return new Sidecar(file, identity, sourcePath);
  }
}

/** An error of SQLite saying the file is damaged or no database: the sidecar is to be made again. */
export function isDamagedSidecar(error: unknown): boolean {
  const code = error instanceof Database.SqliteError ? error.code : '';
  return code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB');
}

/** The sidecar at `file` deleted, with the -wal and -shm files its WAL mode keeps beside it. */
export function removeSidecar(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

const pairKey = (first: string, second: string) => `${first}\n${second}`;

/** The ids of a small table's rows (runs, kinds) by their unique pair of values, cached: every event added looks two of them up. */
class PairIds {
  private readonly ids = new Map<string, number>();
  private readonly find: Database.Statement<[string, string], number>;
  private readonly insert: Database.Statement<[string, string]>;

  constructor(find: Database.Statement<[string, string], number>, insert: Database.Statement<[string, string]>) {
    this.find = find;
    this.insert = insert;
  }

  get(first: string, second: string): number | undefined {
    const key = pairKey(first, second);
    let id = this.ids.get(key);
    if (id === undefined && (id = this.find.get(first, second)) !== undefined) this.ids.set(key, id);
    return id;
  }

  /** Inside a write transaction. */
  getOrAdd(first: string, second: string): number {
    const id = this.get(first, second);
    if (id !== undefined) return id;
    const added = Number(this.insert.run(first, second).lastInsertRowid);
    this.ids.set(pairKey(first, second), added);
    return added;
  }

  clear(): void {
    this.ids.clear();
  }
}
