// The tables of one thing the app keeps about a source in the source's
// sidecar file (DESIGN.md §4 "one sidecar per source"), beside the search
// index and other kept things, each under a name prefix of its own: a
// `<prefix>_meta` table holds its version, the source's identity and what
// else its owner records. Nothing in them is original: tables of another
// version, or kept for another source at the same path, are emptied (never
// migrated) and made again from the source.
import Database from 'better-sqlite3';

export interface KeptTables {
  /** Every table's name starts with it (SQLite reserves `sqlite_`). */
  prefix: string;
  /** Bumped whenever the tables change. */
  version: string;
  /** CREATE TABLE IF NOT EXISTS statements of the data tables. */
  schema: readonly string[];
  /** The data tables, emptied when the version or the identity differ. */
  tables: readonly string[];
}

export class KeptFile {
  readonly db: Database.Database;
  private readonly tables: KeptTables;
  private readonly identity: string;
  private readonly getMeta: Database.Statement<[string], string>;
  private readonly putMeta: Database.Statement<[string, string]>;

  constructor(file: string, tables: KeptTables, identity: string) {
    this.db = new Database(file);
    this.tables = tables;
    this.identity = identity;
    try {
      this.db.pragma('journal_mode = WAL');
      // The tables first: a statement is prepared against them.
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${tables.prefix}_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`);
      for (const statement of tables.schema) this.db.exec(statement);
      this.getMeta = this.db.prepare<[string], string>(`SELECT value FROM ${tables.prefix}_meta WHERE key = ?`).pluck();
      this.putMeta = this.db.prepare<[string, string]>(`INSERT OR REPLACE INTO ${tables.prefix}_meta (key, value) VALUES (?, ?)`);
      this.db.transaction(() => {
        if (this.meta('version') !== tables.version || this.meta('identity') !== identity) this.clear();
      })();
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  meta(key: string): string | undefined {
    return this.getMeta.get(key);
  }

  /** Inside the caller's transaction, beside the rows it describes. */
  setMeta(key: string, value: string | number): void {
    this.putMeta.run(key, String(value));
  }

  /** Every table emptied, and the meta of what they now are: nothing yet. */
  clear(): void {
    for (const table of this.tables.tables) this.db.exec(`DELETE FROM ${table}`);
    this.db.exec(`DELETE FROM ${this.tables.prefix}_meta`);
    this.setMeta('version', this.tables.version);
    this.setMeta('identity', this.identity);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
