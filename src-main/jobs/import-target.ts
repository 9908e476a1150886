// Where an import writes: an existing database, checked before anything is
// read, or a new one that nobody sees until the import ends (new-database.ts
// DatabaseUnderConstruction). The store (sqlite-store.ts) only takes the rows.
import path from 'node:path';
import { StoreError } from '../../src-shared/errors.ts';
import { DatabaseUnderConstruction } from '../store/sqlite/new-database.ts';
import type { RowBatch } from '../store/sqlite/row-batch.ts';
import { openSqliteStore, storeErrorFrom, storeOnConnection } from '../store/sqlite/sqlite-store.ts';

/** Where an import writes. */
export interface ImportTarget {
  /** Its run_events columns this app does not know: a record's keys of those names fill them. */
  extraColumns: readonly string[];
  importRows(batch: RowBatch): { imported: number; duplicates: number };
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
    extraColumns: store.extraColumns,
    importRows: (batch) => store.importRows(batch),
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
    extraColumns: store.extraColumns,
    importRows: (batch) => {
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
