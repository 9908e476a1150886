// A session keeps a server database's thread list in the source's sidecar
// (issue 13, "Large servers"): the next session lists from it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, deerflowWriteEvents, type TestDatabase } from '../../test/support/postgres-databases.ts';
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

  it('keeps nothing for a file source, whose list comes from the file', async () => {
    const file = path.join(dir, 'local.db');
    await writeSqliteStore(file, [], []);
    await listed(file);
    expect(fs.existsSync(sidecarPath({ path: file, createdByApp: false }, userData()))).toBe(false);
  });
});
