// The postgres backend's DeerFlow-style delete (issue 15) on DeerFlow's own
// tables (test/support/run-records.suite.ts), on a database per test; a
// server opened read-only counts the records all the same (the page switches
// it to read-write before it deletes) and deletes nothing.
import { describe, expect, it } from 'vitest';
import { createVintageTestDatabase } from '../../../test/support/postgres-databases.ts';
import { describeRunRecords, TWO_THREADS, type RecordTable } from '../../../test/support/run-records.suite.ts';
import { openPostgresStore } from './postgres-store.ts';

const KEYS: Record<RecordTable, string> = {
  run_events: "thread_id || '/' || run_id || '/' || seq",
  runs: "thread_id || '/' || run_id",
  threads_meta: 'thread_id',
  feedback: "thread_id || '/' || run_id",
};

const REFUSE_DELETES = `CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`;

describeRunRecords('postgres', {
  open: async (data, sql) => {
    const db = await createVintageTestDatabase('current', data);
    if (sql) await db.query(sql);
    const store = await openPostgresStore(db.url, { write: true });
    return {
      store,
      keys: async (table) => (await db.query<{ k: string }>(`SELECT ${KEYS[table]} AS k FROM ${table}`)).map((row) => row.k).sort(),
      failDeletesFrom: async (table) => {
        await db.query(REFUSE_DELETES);
        await db.query(`CREATE TRIGGER refuse_delete BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_delete()`);
      },
      close: async () => {
        await store.close();
        await db.drop();
      },
    };
  },
});

describe('the postgres DeerFlow-style delete on a server opened read-only', () => {
  it('counts the records, and deletes nothing until opened to write', async () => {
    const db = await createVintageTestDatabase('current', TWO_THREADS);
    const store = await openPostgresStore(db.url);
    try {
      expect(await store.deletableRecords('t1')).toEqual({ runs: 3, threadsMeta: 1, feedback: 2, active: 0 });
      await expect(store.deleteWithRecords('t1')).rejects.toMatchObject({ code: 'READ_ONLY' });
      expect(await db.query('SELECT run_id FROM runs WHERE thread_id = $1', ['t1'])).toHaveLength(3);
    } finally {
      await store.close();
      await db.drop();
    }
  });
});
