// The thread list kept in the sidecar between sessions (issue 13, "Large
// servers"): a later open lists from it and reads only what changed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, deerflowWriteEvents, type TestDatabase } from '../../../test/support/postgres-databases.ts';
import { openPostgresStore, type PostgresStore } from './postgres-store.ts';
import { SummaryFile } from './summary-file.ts';

let database: TestDatabase;
let folder: string;
const opened: PostgresStore[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-summary-'));
});
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  await database.query('TRUNCATE run_events RESTART IDENTITY');
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder);
});
afterAll(async () => {
  await database.drop();
  fs.rmSync(folder, { recursive: true, force: true });
});

const file = () => path.join(folder, 'sidecar.sqlite');

/** A store whose thread list is kept in the test's sidecar file. */
async function openKeeping(options: { write?: boolean } = {}): Promise<PostgresStore> {
  const store = await openPostgresStore(database.url, options);
  opened.push(store);
  store.keepSummaryIn(new SummaryFile(file(), store.identity));
  return store;
}

const events = (thread: string, run: string, count: number) =>
  Array.from({ length: count }, (_, i) => ({ thread_id: thread, run_id: run, event_type: i === count - 1 ? 'run.end' : 'llm.ai.response', category: i % 2 ? 'trace' : 'message', content: `e${i}` }));

describe('the thread list kept in the sidecar', () => {
  it('lists on a later open from the kept summary, without reading the whole table again', async () => {
    await deerflowWriteEvents(database.pool, [...events('t1', 'r1', 5), ...events('t2', 'r2', 3)]);
    const first = await (await openKeeping()).listThreads();
    expect(first.map((t) => [t.thread_id, t.event_count, t.last_run_status])).toEqual([
      ['t1', 5, 'success'],
      ['t2', 3, 'success'],
    ]);

    // What a later open has to go on: the rows' text changed under it would show only if it read the table again.
    await database.query("UPDATE run_events SET created_at = created_at + interval '1 day' WHERE thread_id = 't1'");
    const later = await (await openKeeping()).listThreads();
    expect(later).toEqual(first);
  });

  it('reads the threads another writer added to since, and the whole table after a delete it did not make', async () => {
    await deerflowWriteEvents(database.pool, [...events('t1', 'r1', 4), ...events('t2', 'r2', 2)]);
    await (await openKeeping()).listThreads();

    await deerflowWriteEvents(database.pool, events('t2', 'r3', 3));
    const added = await (await openKeeping()).listThreads();
    expect(added.map((t) => [t.thread_id, t.event_count, t.run_count])).toEqual([
      ['t1', 4, 1],
      ['t2', 5, 2],
    ]);

    await database.query("DELETE FROM run_events WHERE thread_id = 't1'");
    const afterDelete = await (await openKeeping()).listThreads();
    expect(afterDelete.map((t) => [t.thread_id, t.event_count])).toEqual([['t2', 5]]);
  });

  it('reads again the threads the live follower names, and nothing when nothing committed', async () => {
    await deerflowWriteEvents(database.pool, [...events('t1', 'r1', 2), ...events('t2', 'r2', 2)]);
    const store = await openKeeping();
    const first = await store.listThreads();
    // A change no count or new id shows: only the follower's word (it diffs what it reads) brings it in.
    await database.query("UPDATE run_events SET created_at = created_at + interval '1 day' WHERE thread_id = 't2'");
    expect(await store.listThreads()).toEqual(first);
    store.expire(['t2']);
    const [t1, t2] = await store.listThreads();
    expect(t1).toEqual(first[0]);
    expect(t2.last_created_at! > first[1].last_created_at!).toBe(true);
  });

  it("takes the app's own deletes into the summary", async () => {
    await deerflowWriteEvents(database.pool, [...events('t1', 'r1', 4), ...events('t1', 'r2', 2), ...events('t2', 'r3', 3)]);
    const store = await openKeeping({ write: true });
    await store.listThreads();
    expect(await store.deleteByRun('t1', 'r2')).toBe(2);
    expect(await store.deleteByThread('t2')).toBe(3);
    const expected = [['t1', 4, 1]];
    expect((await store.listThreads()).map((t) => [t.thread_id, t.event_count, t.run_count])).toEqual(expected);
    expect((await (await openKeeping()).listThreads()).map((t) => [t.thread_id, t.event_count, t.run_count])).toEqual(expected);
  });

  it('starts again for another database, and lists without a file it cannot open', async () => {
    await deerflowWriteEvents(database.pool, events('t1', 'r1', 2));
    await (await openKeeping()).listThreads();
    const other = new SummaryFile(file(), 'another database');
    expect(other.load()).toBeNull();
    other.close();

    fs.writeFileSync(file(), 'not a database');
    for (const suffix of ['-wal', '-shm']) fs.rmSync(file() + suffix, { force: true });
    expect(() => new SummaryFile(file(), 'x')).toThrow();
    const store = await openPostgresStore(database.url);
    opened.push(store);
    expect((await store.listThreads()).map((t) => t.thread_id)).toEqual(['t1']);
  });
});
