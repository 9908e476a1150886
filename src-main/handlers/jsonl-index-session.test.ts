// A session on a JSONL folder (issue 14, "JSONL index persisted"): a page's
// reads the folder in the background, pushing its progress and listing the
// threads read so far; a script's waits for the whole list. The index is
// kept in the source's sidecar in the user data folder, which the next
// session lists from; a sidecar that is no database, or one kept for another
// folder, is not used.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceIndexing } from '../../src-shared/contract.ts';
import { sidecarPath } from '../search/sidecar-location.ts';
import { formatJsonlLine } from '../store/jsonl/format.ts';
import { INDEX_HOLD_ENV } from '../store/jsonl/index-hold.ts';
import { runFile } from '../store/jsonl/layout.ts';
import { createHandlers, dispatch } from './handlers.ts';
import { Session } from './session.ts';

let dir: string;
const userData = () => path.join(dir, 'user-data');
const sessions: Session[] = [];

function writeLayout(root: string, threads: Record<string, number>): void {
  for (const [thread, events] of Object.entries(threads)) {
    const file = runFile(root, thread, 'r1');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const lines = Array.from({ length: events }, (_, i) =>
      formatJsonlLine({
        thread_id: thread,
        run_id: 'r1',
        event_type: 'llm.human.input',
        category: 'message',
        content: `${thread} ${i + 1}`,
        metadata: {},
        seq: i + 1,
        created_at: '2026-04-04T00:49:25.123456+00:00',
      }),
    );
    fs.writeFileSync(file, lines.join(''));
  }
}

async function open(root: string, transport: 'browser' | 'rpc' = 'browser'): Promise<Session> {
  const session = await Session.create(root, { transport, workerUrl: null, userDataDir: userData() });
  sessions.push(session);
  return session;
}

/** The session's source:indexing pushes, and the one saying the read is done. */
function indexingPushes(session: Session) {
  const pushes: SourceIndexing[] = [];
  const done = new Promise<void>((resolve) => {
    session.push.subscribe((event) => {
      if (event.channel !== 'source:indexing') return;
      pushes.push(event.message);
      if (event.message.ready) resolve();
    });
    if (session.indexingStatus().ready) resolve();
  });
  return { pushes, done };
}

const listed = async (session: Session) => (await session.listThreads()).map((t) => [t.thread_id, t.event_count]);
const keptRuns = (root: string) => {
  const db = new Database(sidecarPath({ path: root, createdByApp: false }, userData()), { readonly: true });
  try {
    return db.prepare('SELECT thread_id, run_id FROM jsonl_index_runs ORDER BY thread_id').all();
  } finally {
    db.close();
  }
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-jsonl-session-'));
});
afterEach(async () => {
  delete process.env[INDEX_HOLD_ENV];
  for (const session of sessions.splice(0)) await session.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("a session's JSONL index", () => {
  it("reads a page's folder in the background, keeps the index in the sidecar, and the next session lists from it", async () => {
    const root = path.join(dir, 'a', '.deer-flow');
    writeLayout(root, { t1: 3, t2: 2 });
    const first = await open(root);
    const { pushes, done } = indexingPushes(first);
    await done;
    expect(pushes.at(-1)).toEqual({ done: 2, total: 2, ready: true });
    expect(first.indexingStatus()).toEqual({ done: 2, total: 2, ready: true });
    expect(await listed(first)).toEqual([
      ['t1', 3],
      ['t2', 2],
    ]);
    expect(keptRuns(root)).toEqual([
      { thread_id: 't1', run_id: 'r1' },
      { thread_id: 't2', run_id: 'r1' },
    ]);
    await first.close();

    // Held before it checks a file: the threads are listed from the kept index.
    const hold = path.join(dir, 'hold');
    fs.writeFileSync(hold, '0');
    process.env[INDEX_HOLD_ENV] = hold;
    const second = await open(root);
    expect(await listed(second)).toEqual([
      ['t1', 3],
      ['t2', 2],
    ]);
    await expect.poll(() => second.indexingStatus()).toEqual({ done: 0, total: 2, ready: false });
  });

  it("answers a page's list with the threads read so far and a script's with all of them", async () => {
    const root = path.join(dir, 'a', '.deer-flow');
    writeLayout(root, { t1: 3, t2: 2 });
    const hold = path.join(dir, 'hold');
    fs.writeFileSync(hold, '1');
    process.env[INDEX_HOLD_ENV] = hold;
    const page = await open(root);
    const handlers = createHandlers(page);
    await expect.poll(() => page.indexingStatus().done).toBe(1);
    expect(await dispatch(handlers, 'listThreads', {})).toHaveLength(1);
    expect(await dispatch(handlers, 'indexingStatus', {})).toEqual({ done: 1, total: 2, ready: false });

    const script = await open(root, 'rpc');
    expect(await listed(script)).toEqual([
      ['t1', 3],
      ['t2', 2],
    ]);
    fs.rmSync(hold);
    await indexingPushes(page).done;
    expect(await dispatch(handlers, 'listThreads', {})).toHaveLength(2);
  });

  it("pushes a change of a thread whose page was answered from its kept messages when its check then finds a file changed", async () => {
    // Enough runs to have its messages kept; written an hour ago, so none is being written.
    const root = path.join(dir, 'a', '.deer-flow');
    const runs = 1000;
    const hourAgo = new Date(Date.now() - 3_600_000);
    const message = (run: string, seq: number) => ({ thread_id: 'big', run_id: run, event_type: 'llm.human.input', category: 'message', content: `${seq}`, metadata: {}, seq, created_at: '2026-04-04T00:49:25.123456+00:00' });
    for (let i = 0; i < runs; i++) {
      const file = runFile(root, 'big', `r${String(i).padStart(4, '0')}`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, formatJsonlLine(message(`r${String(i).padStart(4, '0')}`, i + 1)));
      fs.utimesSync(file, hourAgo, hourAgo);
    }
    const first = await open(root);
    await indexingPushes(first).done;
    await first.close();
    // The first run's file, not on the latest page, gets a line in place: its runs folder does not change.
    fs.appendFileSync(runFile(root, 'big', 'r0000'), formatJsonlLine(message('r0000', runs + 1)));

    const hold = path.join(dir, 'hold');
    fs.writeFileSync(hold, '0');
    process.env[INDEX_HOLD_ENV] = hold;
    const second = await open(root);
    const pushed = new Promise<unknown>((resolve) => second.push.subscribe((event) => event.channel === 'store:changed' && resolve(event.message)));
    const latest = async () => (await second.store.listMessages('big', { limit: 2 })).map((e) => e.seq);
    expect(await latest()).toEqual([runs - 1, runs]);
    expect(await pushed).toEqual({ threadIds: ['big'] });
    expect(await latest()).toEqual([runs, runs + 1]);
  });

  it('makes a sidecar that is no database again, and does not use one kept for another folder', async () => {
    const a = path.join(dir, 'a', '.deer-flow');
    const b = path.join(dir, 'b', '.deer-flow');
    writeLayout(a, { t1: 3 });
    writeLayout(b, { t9: 1 });
    const sidecarOf = (root: string) => sidecarPath({ path: root, createdByApp: false }, userData());
    fs.mkdirSync(path.dirname(sidecarOf(b)), { recursive: true });
    fs.writeFileSync(sidecarOf(b), 'not a database, and long enough to be read as one: '.repeat(100));
    const first = await open(b, 'rpc');
    expect(await listed(first)).toEqual([['t9', 1]]);
    await first.close();
    expect(keptRuns(b)).toEqual([{ thread_id: 't9', run_id: 'r1' }]);

    const ofA = await open(a, 'rpc');
    expect(await listed(ofA)).toEqual([['t1', 3]]);
    await ofA.close();
    fs.copyFileSync(sidecarOf(a), sidecarOf(b));
    const copied = await open(b, 'rpc');
    expect(await listed(copied)).toEqual([['t9', 1]]);
  });
});
