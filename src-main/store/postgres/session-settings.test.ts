// A database's own settings do not change what the store reads (issue 13):
// its DateStyle and TimeZone are the connection's business, set by the app.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, deerflowWriteEvents, type TestDatabase } from '../../../test/support/postgres-databases.ts';
import { openPostgresStore } from './postgres-store.ts';

describe('a database with settings of its own', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await deerflowWriteEvents(db.pool, [
      { thread_id: 't1', run_id: 'r1', event_type: 'llm.ai.response', category: 'message', content: 'a', created_at: '2026-07-20T01:00:03.423086+00:00' },
      { thread_id: 't1', run_id: 'r1', event_type: 'run.end', category: 'lifecycle', created_at: '2026-07-21T23:59:59+00:00' },
    ]);
    await db.query(`ALTER DATABASE "${db.name}" SET DateStyle = 'SQL, DMY'`);
    await db.query(`ALTER DATABASE "${db.name}" SET TimeZone = 'America/New_York'`);
  });
  afterAll(() => db.drop());

  it('reads created_at as ISO-8601 in UTC with microseconds whatever DateStyle and TimeZone the database sets', async () => {
    // What a new connection with the database's own settings sees: not ISO, not UTC.
    const own = new pg.Client({ connectionString: db.url });
    await own.connect();
    try {
      const { rows } = await own.query<{ at: string }>('SELECT created_at::text AS at FROM run_events ORDER BY seq LIMIT 1');
      expect(rows[0].at).toBe('19/07/2026 21:00:03.423086 EDT');
    } finally {
      await own.end();
    }
    const store = await openPostgresStore(db.url);
    try {
      expect((await store.listEvents('t1', 'r1')).map((e) => e.created_at)).toEqual(['2026-07-20T01:00:03.423086+00:00', '2026-07-21T23:59:59+00:00']);
      const [thread] = await store.listThreads();
      expect([thread.first_created_at, thread.last_created_at]).toEqual(['2026-07-20T01:00:03.423086+00:00', '2026-07-21T23:59:59+00:00']);
    } finally {
      await store.close();
    }
  });
});
