// A read-only connection of its own to a SQLite file, to notice commits by
// any other connection — the session's store, the job worker, another
// process — from SQLite's data_version, which changes with each of them.
// Reading it takes no lock and writes nothing.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { sourceIdentity } from '../search/sidecar-location.ts';

export class WatchedDatabase {
  readonly file: string;
  /** sourceIdentity of the file this connection reads. */
  identity: string;
  db: Database.Database;
  private dataVersionOf: Database.Statement<[], number>;

  private readonly busyTimeout: { timeout?: number };

  /** `busyTimeoutMs`: how long a read waits for a writer's lock (rollback-journal mode) before it fails; better-sqlite3's 5 s by default. */
  constructor(file: string, { busyTimeoutMs }: { busyTimeoutMs?: number } = {}) {
    this.file = file;
    this.busyTimeout = busyTimeoutMs === undefined ? {} : { timeout: busyTimeoutMs };
    this.identity = sourceIdentity('sqlite', file);
    this.db = this.connect();
    this.dataVersionOf = this.db.prepare<[], number>('PRAGMA data_version').pluck();
  }

  private connect(): Database.Database {
    return new Database(this.file, { readonly: true, fileMustExist: true, ...this.busyTimeout });
  }

  /**
   * Whether another file was renamed over the path (the connection would go
   * on reading the replaced one): the connection then reads the new file.
   * A path with no file keeps the connection as it is until one appears; a
   * file SQLite cannot read yet (half-written) throws and keeps it too, so
   * the next call tries the new file again.
   */
  reopenIfReplaced(): boolean {
    const identity = sourceIdentity('sqlite', this.file);
    if (identity === this.identity || !existsSync(this.file)) return false;
    const db = this.connect();
    let dataVersionOf: Database.Statement<[], number>;
    try {
      dataVersionOf = db.prepare<[], number>('PRAGMA data_version').pluck();
      dataVersionOf.get();
    } catch (error) {
      db.close();
      throw error;
    }
    this.db.close();
    this.identity = identity;
    this.db = db;
    this.dataVersionOf = dataVersionOf;
    return true;
  }

  dataVersion(): number {
    return this.dataVersionOf.get()!;
  }

  close(): void {
    this.db.close();
  }
}
