// Which threads another connection's commits changed in run_events
// (table-changes.ts), when rows at the top went and SQLite handed their
// rowids out again to rows written after: the threads written again are
// named even when they end with as many rows as before, and the threads
// whose rows stayed among the top rows marked are not.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventInput } from '../../src-shared/types.ts';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { changedThreads, tableChanges, type TableChanges } from './table-changes.ts';

let dir: string;
let writer: SqliteStore;
let db: Database.Database;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-table-changes-'));
  const file = path.join(dir, 'events.db');
  writer = openSqliteStore(file, { create: true });
  db = new Database(file, { readonly: true });
});
afterEach(async () => {
  db.close();
  await writer.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** `count` events of one run of `thread`, stamped on `day` (each write of a thread has its own). */
const events = (thread: string, count: number, day: string): EventInput[] =>
  Array.from({ length: count }, () => ({
    thread_id: thread,
    run_id: 'r1',
    event_type: 'llm.ai.response',
    category: 'message',
    content: { type: 'ai', content: 'sure' },
    created_at: `2026-02-${day}T10:00:00.000001+00:00`,
  }));

/** The look the follower takes, read now as the baseline. */
function follow(): TableChanges[] {
  const tables = tableChanges(db);
  expect(tables).not.toBeNull();
  return tables!;
}

const named = (tables: TableChanges[]) => new Set(changedThreads(tables));

describe("run_events' look after rowids were handed out again", () => {
  // x's rows under y's, among the top rows marked one by one or far below them.
  it.each([
    { where: 'under the highest row', xRows: 3, yRows: 2 },
    { where: 'far below the top rows marked one by one', xRows: 20, yRows: 40 },
  ])('names a thread written again $where with as many rows as before', async ({ xRows, yRows }) => {
    await writer.putBatch([...events('x', xRows, '01'), ...events('y', yRows, '01')]);
    const tables = follow();
    // Both go, then both come back at the same rowids: x's count as it was.
    await writer.deleteByThread('x');
    await writer.deleteByThread('y');
    await writer.putBatch([...events('x', xRows, '02'), ...events('y', yRows, '02')]);
    expect(named(tables)).toEqual(new Set(['x', 'y']));
  });

  it('names neither the threads whose rows stayed among the freed ones nor those below them', async () => {
    await writer.putBatch([...events('x', 20, '01'), ...events('y', 2, '01'), ...events('z', 1, '01'), ...events('y', 2, '01')]);
    const tables = follow();
    // y's rows went from around z's; the next rows, w's, get y's last two rowids.
    await writer.deleteByThread('y');
    await writer.putBatch(events('w', 2, '02'));
    expect(named(tables)).toEqual(new Set(['y', 'w']));
    // Nothing since: nothing named.
    expect(named(tables)).toEqual(new Set());
  });
});
