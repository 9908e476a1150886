// A session keeps a server database's thread list in the source's sidecar
// (issue 13, "Large servers"): the next session lists from it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, deerflowWriteEvents, type TestDatabase } from '../../test/support/postgres-databases.ts';
import { createVintageDatabase, execSql } from '../../test/support/deerflow-databases.ts';
import { writeSqliteStore } from '../generator/write-store.ts';
import { sidecarPath } from '../search/sidecar-location.ts';
import { Session } from './session.ts';

describe("a session's kept thread list", () => {
  let dir: string;
  let db: TestDatabase;
  const userData = () => path.join(dir, 'user-data');

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-thread-summary-'));
    db = await createTestDatabase();
    await deerflowWriteEvents(db.pool, [
      { thread_id: 't1', run_id: 'r1', event_type: 'llm.ai.response', category: 'message', content: 'one' },
      { thread_id: 't1', run_id: 'r1', event_type: 'run.end', category: 'lifecycle' },
      { thread_id: 't2', run_id: 'r2', event_type: 'llm.ai.response', category: 'message', content: 'two' },
    ]);
  });
  afterEach(async () => {
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A SQLite file's thread of two rows: the first is changed under the kept list, the highest (which a look compares whole) left as it was. */
  const twoEvents = [1, 2].map((seq) => ({
    thread_id: 't1',
    run_id: 'r1',
    seq,
    event_type: 'llm.human.input',
    category: 'message',
    content: 'hi',
    metadata: {},
    created_at: '2026-04-04T00:00:00.000000+00:00',
  }));

  async function listed(source: string) {
    const session = await Session.create(source, { transport: 'rpc', workerUrl: null, userDataDir: userData() });
    try {
      return { info: session.info, threads: await session.store.listThreads() };
    } finally {
      await session.close();
    }
  }

  it('lists a server from its sidecar in the next session, which finds what was added since', async () => {
    const first = await listed(db.url);
    expect(fs.existsSync(sidecarPath({ path: first.info.path!, createdByApp: false }, userData()))).toBe(true);

    // Changed under the kept list without adding or removing a row: a list made from the table would show it.
    await db.query("UPDATE run_events SET created_at = created_at + interval '1 day' WHERE thread_id = 't2'");
    expect((await listed(db.url)).threads).toEqual(first.threads);

    await deerflowWriteEvents(db.pool, [{ thread_id: 't3', run_id: 'r3', event_type: 'llm.ai.response', category: 'message', content: 'three' }]);
    expect((await listed(db.url)).threads.map((t) => [t.thread_id, t.event_count])).toEqual([
      ['t1', 2],
      ['t2', 1],
      ['t3', 1],
    ]);
  });

  it("keeps a SQLite file's list in its sidecar too, which the next session lists from", async () => {
    const file = path.join(dir, 'local.db');
    await writeSqliteStore(file, twoEvents, []);
    const first = await listed(file);
    const sidecar = sidecarPath({ path: first.info.path!, createdByApp: true }, userData());
    expect(fs.existsSync(sidecar)).toBe(true);

    // Changed under the kept list without adding or removing a row: a list made from the table would show it.
    execSql(file, "UPDATE run_events SET created_at = '2030-01-01 00:00:00.000000' WHERE seq = 1");
    expect((await listed(file)).threads).toEqual(first.threads);
  });

  it('makes a damaged sidecar again, and lists without one where the user data folder cannot be made', async () => {
    const file = path.join(dir, 'local.db');
    await writeSqliteStore(file, twoEvents, []);
    const sidecar = sidecarPath({ path: file, createdByApp: true }, userData());
    fs.writeFileSync(sidecar, 'not a database');
    const first = await listed(file);
    expect(first.threads.map((t) => [t.thread_id, t.title])).toEqual([['t1', 'hi']]);
    execSql(file, "UPDATE run_events SET created_at = '2030-01-01 00:00:00.000000' WHERE seq = 1");
    expect((await listed(file)).threads).toEqual(first.threads);

    // Another's database, kept in the user data folder, where a file is in the way: nothing is kept, the list comes from the table.
    const foreign = path.join(dir, 'foreign.db');
    createVintageDatabase(foreign, 'current', { events: [{ thread_id: 't2', run_id: 'r2', event_type: 'x', category: 'trace', content: '', event_metadata: '{}', seq: 1, created_at: '2026-04-04 00:00:00.000000' }] });
    fs.writeFileSync(userData(), 'in the way');
    expect((await listed(foreign)).threads.map((t) => t.thread_id)).toEqual(['t2']);
    execSql(foreign, "UPDATE run_events SET created_at = '2030-01-01 00:00:00.000000'");
    expect((await listed(foreign)).threads.map((t) => t.last_created_at)).toEqual(['2030-01-01T00:00:00+00:00']);
  });
});
