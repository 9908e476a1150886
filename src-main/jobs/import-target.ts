// Where an import writes: an existing database, checked before anything is
// read, or a new one that nobody sees until the import ends (new-database.ts
// DatabaseUnderConstruction), or a PostgreSQL server's database, written
// only when opened to write. The store (sqlite-store.ts, postgres-store.ts)
// only takes the rows.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { StoreError } from '../../src-shared/errors.ts';
import type { InspectorStore } from '../../src-shared/types.ts';
import { parsePostgresSource } from '../store/postgres/connection.ts';
import type { PostgresStore } from '../store/postgres/postgres-store.ts';
import { isPostgresUrl } from '../store/source-url.ts';
import { DatabaseUnderConstruction } from '../store/sqlite/new-database.ts';
import type { RowBatch } from '../store/sqlite/row-batch.ts';
import type { ImportSpec } from './job-spec.ts';
import { openSqliteStore, storeErrorFrom, storeOnConnection } from '../store/sqlite/sqlite-store.ts';

/** Where an import writes. */
export interface ImportTarget {
  /** The target as a summary names it (a server's display URL: never its password). */
  name: string;
  /** Its run_events columns this app does not know: a record's keys of those names fill them. */
  extraColumns: readonly string[];
  importRows(batch: RowBatch): Promise<{ imported: number; duplicates: number }>;
  /**
   * Ends the import, keeping every batch it committed. Returns how many rows
   * counted as imported turned out to be duplicates after all: a database
   * that appeared at a new target's path meanwhile already had them.
   */
  end(): Promise<number>;
}

/** An existing database, checked now: before the import reads anything. */
export function openImportTarget(file: string): ImportTarget {
  const store = openSqliteStore(file, { create: false });
  return {
    name: file,
    extraColumns: store.extraColumns,
    importRows: async (batch) => store.importRows(batch),
    end: async () => {
      await store.close();
      return 0;
    },
  };
}

/** A new database (see DatabaseUnderConstruction), at `file` once the import ends. */
export function createImportTarget(file: string): ImportTarget {
  const absolute = path.resolve(file);
  let building: DatabaseUnderConstruction;
  try {
    building = new DatabaseUnderConstruction(absolute);
  } catch (error) {
    throw new StoreError('SOURCE', `${absolute}: cannot be created (${(error as Error).message})`);
  }
  const store = storeOnConnection(building.db, absolute);
  let imported = 0;
  return {
    name: file,
    extraColumns: store.extraColumns,
    importRows: async (batch) => {
      const result = store.importRows(batch);
      imported += result.imported;
      return result;
    },
    end: async () => {
      try {
        if (await building.finish()) return 0;
        const existing = openSqliteStore(absolute, { create: false });
        try {
          return imported - existing.importDatabase(building.partial);
        } finally {
          await existing.close();
        }
      } catch (error) {
        throw storeErrorFrom(error, absolute);
      } finally {
        building.discard();
      }
    },
  };
}

/** Why an import into a server opened only to read is refused before anything is read. */
export function readOnlyTarget(displayUrl: string): StoreError {
  return new StoreError('READ_ONLY', `${displayUrl} is open read-only: give --write to import into it (in the app: switch this source to read-write)`);
}

/**
 * A PostgreSQL database, already open: the session's source (`close` false),
 * or one the import opened for itself. Its batches keep their seqs and skip
 * a (thread_id, seq) the database has, one transaction each.
 */
export function serverImportTarget(store: PostgresStore, { close }: { close: boolean }): ImportTarget {
  if (store.info.readOnly) throw readOnlyTarget(store.info.path);
  return {
    name: store.info.path,
    // PostgresStore reads and writes DeerFlow's columns only.
    extraColumns: [],
    importRows: (batch) => store.importRows(batch),
    end: async () => {
      if (close) await store.close();
      return 0;
    },
  };
}

/**
 * The target of `spec`, checked before anything is read. A server is the
 * session's open source when `into` names it (written through its
 * connection: its password and read-write state are the session's), else
 * opened for the import, to write only with spec.write. A database file
 * exists, or is null: the import creates it once it has a record for it, so
 * a failed import leaves none.
 */
export async function importTargetOf(spec: ImportSpec, openSource?: InspectorStore): Promise<ImportTarget | null> {
  if (!isPostgresUrl(spec.into)) return existsSync(spec.into) ? openImportTarget(spec.into) : null;
  const { displayUrl } = parsePostgresSource(spec.into);
  if (openSource?.info.kind === 'postgres' && openSource.info.path === displayUrl) return serverImportTarget(openSource as PostgresStore, { close: false });
  if (!spec.write) throw readOnlyTarget(displayUrl);
  const { openPostgresStore } = await import('../store/postgres/postgres-store.ts');
  return serverImportTarget(await openPostgresStore(spec.into, { write: true, init: spec.init }), { close: true });
}
