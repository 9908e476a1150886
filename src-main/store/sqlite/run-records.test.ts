// The sqlite backend's DeerFlow-style delete (issue 15) on DeerFlow's own
// tables (test/support/run-records.suite.ts), and what only a file has: one
// opened read-only offers none.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVintageDatabase, execSql, rawRows } from '../../../test/support/deerflow-databases.ts';
import { describeRunRecords, TWO_THREADS, type RecordTable } from '../../../test/support/run-records.suite.ts';
import { openSqliteStore } from './sqlite-store.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-run-records-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const KEYS: Record<RecordTable, string> = {
  run_events: "thread_id || '/' || run_id || '/' || seq",
  runs: "thread_id || '/' || run_id",
  threads_meta: 'thread_id',
  feedback: "thread_id || '/' || run_id",
};

describeRunRecords('sqlite', {
  open: async (data, sql) => {
    const file = path.join(dir, `${fs.readdirSync(dir).length}.db`);
    createVintageDatabase(file, 'current', data);
    if (sql) execSql(file, sql);
    const store = openSqliteStore(file, { create: false });
    return {
      store,
      keys: async (table) => rawRows(file, `SELECT ${KEYS[table]} AS k FROM ${table}`).map((row) => String(row.k)).sort(),
      failDeletesFrom: async (table) => execSql(file, `CREATE TRIGGER refuse_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, 'refused'); END`),
      close: () => store.close(),
    };
  },
});

describe('the sqlite DeerFlow-style delete on a read-only file', () => {
  it('offers no records: nothing can be deleted', async () => {
    const file = path.join(dir, 'runs.db');
    createVintageDatabase(file, 'current', TWO_THREADS);
    const store = openSqliteStore(file, { create: false, readOnly: true });
    try {
      expect(await store.deletableRecords('t1')).toBeNull();
      await expect(store.deleteWithRecords('t1')).rejects.toMatchObject({ code: 'READ_ONLY' });
    } finally {
      await store.close();
    }
  });
});
