// The store contract against a real PostgreSQL: one database with DeerFlow's
// tables for the suite, emptied (ids restarted) before each test's store opens.
import { afterAll } from 'vitest';
import { describeStoreContract } from '../../../test/support/store-contract.suite.ts';
import { createTestDatabase, deerflowWriteRun, type TestDatabase } from '../../../test/support/postgres-databases.ts';
import { openPostgresStore } from './postgres-store.ts';

let database: TestDatabase | undefined;

async function emptyDatabase(): Promise<TestDatabase> {
  if (!database) return (database = await createTestDatabase());
  // DELETE, not TRUNCATE: on tables this small it is ten times faster (TRUNCATE makes new files for each table).
  await database.query('DELETE FROM run_events; DELETE FROM runs; DELETE FROM threads_meta; ALTER SEQUENCE run_events_id_seq RESTART');
  return database;
}

afterAll(async () => {
  await database?.drop();
});

describeStoreContract(
  'postgres',
  async () => {
    const db = await emptyDatabase();
    return {
      store: await openPostgresStore(db.url, { write: true }),
      // DeerFlow's Postgres writer encodes as its SQLite one (markers kept in the metadata), and its reader gives
      // created_at as the instant in UTC with +00:00: the server keeps an instant, not the offset it was written with.
      quirks: { contentMarkers: true, utcCreatedAt: true },
      recordRun: (run) => deerflowWriteRun(db.pool, run),
    };
  },
  { runsTable: true },
);
