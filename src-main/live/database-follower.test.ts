// A session follows a DeerFlow database another process writes (issue 12,
// "Live tail"), in WAL and in rollback-journal mode: each append and delete
// is pushed within 2 s naming its threads, the writer never waits out its
// busy timeout, and nothing keeps running once the session is closed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVintageDatabase, execSql, journalModeOf, type RawEvent } from '../../test/support/deerflow-databases.ts';
import { handlesAddedSince, LivePushes, liveHandles, startLiveSession } from '../../test/support/live-pushes.ts';
import type { LiveWriterProcess } from '../../test/support/live-writer-process.ts';
import { TWO_THREADS } from '../../test/support/run-records.suite.ts';
import { createHandlers, dispatch } from '../handlers/handlers.ts';
import { Session, type SessionOptions } from '../handlers/session.ts';
import { openSource } from '../store/open-source.ts';
import { RUN_EVENTS_DDL } from '../store/sqlite/sql.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { DATABASE_POLL_MS, followDatabase } from './database-follower.ts';

const initialEvents = (): RawEvent[] =>
  ['t1', 't2', 't3'].flatMap((thread) =>
    Array.from({ length: 4 }, (_, i) => ({
      thread_id: thread,
      run_id: 'r0',
      user_id: null,
      event_type: 'llm.human.input',
      category: 'message',
      content: `before ${i}`,
      event_metadata: '{}',
      seq: i + 1,
      created_at: '2026-04-04 00:49:25.123456',
    })),
  );

interface PushedStep {
  command: object;
  /** The one thread the push names; null for a change of everything. */
  thread: string | null;
}

/** Sends each step's command, one at a time, and expects a push naming its thread alone; then no other push. */
async function expectEachPushedBy(writer: LiveWriterProcess, pushes: LivePushes, steps: PushedStep[]): Promise<void> {
  for (const { command, thread } of steps) {
    const pushed = pushes.next(thread);
    const reply = await writer.send(command);
    expect(reply.ok, reply.error).toBe(true);
    expect((await pushed).threadIds).toEqual(thread === null ? null : [thread]);
  }
  expect(pushes.pushes.map((push) => push.threadIds)).toEqual(steps.map(({ thread }) => (thread === null ? null : [thread])));
}

describe.each(['wal', 'delete'] as const)('a session following a database another process writes (journal_mode %s)', (journalMode) => {
  let dir: string;
  let file: string;
  let session: Session;
  let pushes: LivePushes;
  let writer: LiveWriterProcess;
  let handlesBefore: Record<string, number>;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-live-db-'));
    file = path.join(dir, 'deerflow.db');
    createVintageDatabase(file, 'current', { events: initialEvents() }, journalMode);
    handlesBefore = liveHandles();
    ({ session, pushes, writer } = await startLiveSession('sqlite', file, dir));
  });
  afterEach(async () => {
    await writer.close();
    await session.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const expectEachPushed = (steps: PushedStep[]) => expectEachPushedBy(writer, pushes, steps);

  it('pushes each append, new thread and delete within 2 s, naming only its threads', async () => {
    await expectEachPushed([
      { command: { op: 'append', thread: 't1', run: 'r1', count: 3 }, thread: 't1' },
      { command: { op: 'append', thread: 'new-thread', run: 'r1', count: 1 }, thread: 'new-thread' },
      { command: { op: 'deleteRun', thread: 't2', run: 'r0' }, thread: 't2' },
      { command: { op: 'append', thread: 't1', run: 'r1', count: 2 }, thread: 't1' },
      { command: { op: 'deleteThread', thread: 't1' }, thread: 't1' },
    ]);
    // What the page asks next shows it.
    const threads = await session.store.listThreads();
    expect(threads.map((t) => [t.thread_id, t.event_count])).toEqual([
      ['new-thread', 1],
      ['t3', 4],
    ]);
    expect(journalModeOf(file)).toBe(journalMode);
  });

  it("pushes a commit that changes only a thread's runs or threads_meta row: a run started and ended, a thread named before its first event, a new name", async () => {
    await expectEachPushed([
      { command: { op: 'putRun', thread: 't2', run: 'r0', status: 'running' }, thread: 't2' },
      { command: { op: 'putRun', thread: 't2', run: 'r0', status: 'success' }, thread: 't2' },
      { command: { op: 'putThread', thread: 'named-first', displayName: 'Named before its first event' }, thread: 'named-first' },
      { command: { op: 'putThread', thread: 't3', displayName: 'Renamed' }, thread: 't3' },
    ]);
    expect((await session.store.listRuns('t2')).map((run) => [run.run_id, run.status])).toEqual([['r0', 'success']]);
    const names = new Map((await session.store.listThreads()).map((thread) => [thread.thread_id, thread.display_name]));
    expect([names.get('named-first'), names.get('t3')]).toEqual(['Named before its first event', 'Renamed']);
  });

  it("pushes a run's end whatever its updated_at: stamped before another run's, future-dated, latest", async () => {
    await expectEachPushed([
      { command: { op: 'putRun', thread: 't1', run: 'r-future', status: 'success', updatedAt: '2999-01-01 00:00:00.000000' }, thread: 't1' },
      { command: { op: 'putRun', thread: 't2', run: 'r0', status: 'running' }, thread: 't2' },
      // Neither the count, the highest rowid nor the latest updated_at moves.
      { command: { op: 'putRun', thread: 't2', run: 'r0', status: 'success' }, thread: 't2' },
      // Nor when it starts again, stamped in the other format ('T'), nor when it ends, stamped as before.
      { command: { op: 'putRun', thread: 't2', run: 'r0', status: 'pending', updatedAt: '2026-04-04T00:49:25.123456' }, thread: 't2' },
      { command: { op: 'putRun', thread: 't2', run: 'r0', status: 'error', updatedAt: '2026-04-04T00:49:25.123456' }, thread: 't2' },
    ]);
    expect((await session.store.listRuns('t2')).map((run) => [run.run_id, run.status])).toEqual([['r0', 'error']]);
  });

  it('pushes a thread deleted and written again with as many events in one commit, whether its new rows get new rowids or the freed ones', async () => {
    await expectEachPushed([
      // t1's rows are the lowest: its new ones come after t3's.
      { command: { op: 'rewriteThread', thread: 't1', run: 'r1', count: 4 }, thread: 't1' },
      // Now t1's rows are the highest: SQLite hands their rowids out again.
      { command: { op: 'rewriteThread', thread: 't1', run: 'r2', count: 4 }, thread: 't1' },
    ]);
    expect((await session.store.listRuns('t1')).map((run) => [run.run_id, run.event_count])).toEqual([['r2', 4]]);
  });

  it('keeps up with 200 events a second: every thread written is pushed within 1 s of its commit, and no write fails', async () => {
    const threads = ['s1', 's2', 's3', 's4'];
    const reply = await writer.send({ op: 'stream', threads, run: 'r1', perSecond: 200, seconds: 2 });
    expect(reply.errors).toEqual([]);
    expect(reply.written).toBe(400);
    const last = writer.commits.at(-1)!;
    await pushes.next(last.committed);
    const latencies = writer.commits.map((commit) => {
      const push = pushes.pushes.find((p) => p.at >= commit.at && p.threadIds?.includes(commit.committed));
      return push ? push.at - commit.at : Number.POSITIVE_INFINITY;
    });
    expect(Math.max(...latencies)).toBeLessThanOrEqual(1000);
    expect(new Set(pushes.pushes.flatMap((push) => push.threadIds ?? []))).toEqual(new Set(threads));
    for (const thread of threads) expect(await session.store.countMessages(thread)).toBe(100);
  });

  it("pushes the app's own delete once, and another writer's change after it", async () => {
    const call = (method: string, params: unknown) => dispatch(createHandlers(session), method, params);
    expect(await call('deleteByThread', { threadId: 't3' })).toBe(4);
    const pushed = pushes.next('t1');
    expect((await writer.send({ op: 'append', thread: 't1', run: 'r1', count: 1 })).ok).toBe(true);
    await pushed;
    expect(pushes.pushes.map((push) => push.threadIds)).toEqual([['t3'], ['t1']]);
  });

  it('stops following when the session closes: no timer or connection is left, and a later append pushes nothing', async () => {
    await session.close();
    expect(handlesAddedSince(handlesBefore)).toEqual({});
    // Another follower sees the append, so the closed session would have had its chance to push it.
    let seen: () => void = () => {};
    const probe = followDatabase(file, { onChanged: () => seen(), onReplaced: () => {} });
    try {
      const probeSaw = new Promise<void>((resolve) => (seen = resolve));
      expect((await writer.send({ op: 'append', thread: 't1', run: 'r1', count: 1 })).ok).toBe(true);
      await probeSaw;
    } finally {
      probe.stop();
    }
    expect(pushes.pushes).toEqual([]);
  });
});

describe.each(['wal', 'delete'] as const)('a session following a database whose runs and threads_meta come later (journal_mode %s)', (journalMode) => {
  let dir: string;
  let session: Session;
  let pushes: LivePushes;
  let writer: LiveWriterProcess;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-live-db-later-'));
    const file = path.join(dir, 'deerflow.db');
    // As the app creates a database: run_events alone.
    const db = new Database(file);
    db.pragma(`journal_mode = ${journalMode}`);
    for (const ddl of RUN_EVENTS_DDL) db.exec(ddl);
    db.close();
    ({ session, pushes, writer } = await startLiveSession('sqlite', file, dir));
  });
  afterEach(async () => {
    await writer.close();
    await session.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('pushes their creation as a change of everything, then each of their rows naming its thread', async () => {
    await expectEachPushedBy(writer, pushes, [
      { command: { op: 'createSideTables' }, thread: null },
      { command: { op: 'putRun', thread: 't1', run: 'r1', status: 'running' }, thread: 't1' },
      { command: { op: 'putRun', thread: 't1', run: 'r1', status: 'success' }, thread: 't1' },
      { command: { op: 'putThread', thread: 't2', displayName: 'Named later' }, thread: 't2' },
    ]);
    // The session's store was opened again once the schema moved, so it reads the new tables: a thread named in
    // threads_meta before its first event is listed with its name.
    expect((await session.store.listThreads()).find((thread) => thread.thread_id === 't2')?.display_name).toBe('Named later');
  });
});

describe("the app's own write on another connection (a big delete in the job worker)", () => {
  it('is not announced while the follower is held, and once the session announces it, not again', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-live-hold-'));
    const file = path.join(dir, 'deerflow.db');
    createVintageDatabase(file, 'current', { events: initialEvents() }, 'wal');
    const announced: (string[] | null)[] = [];
    const follower = followDatabase(file, { onChanged: (ids) => announced.push(ids), onReplaced: () => {} }, { pollMs: 10 });
    const other = new Database(file);
    try {
      const release = follower.hold();
      other.prepare('DELETE FROM run_events WHERE thread_id = ?').run('t3');
      // Polls that must not announce it: some forty of them go by.
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(announced).toEqual([]);
      release();
      follower.absorb(['t3']);
      other
        .prepare("INSERT INTO run_events (thread_id, run_id, user_id, event_type, category, content, event_metadata, seq, created_at) VALUES ('t1', 'r1', NULL, 'x', 'trace', '', '{}', 999, '2026-04-04 00:00:00.000000')")
        .run();
      await expect.poll(() => announced).toEqual([['t1']]);
    } finally {
      other.close();
      follower.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a database replaced by another file at its path', () => {
  let dir: string;
  let file: string;
  let replacement: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-live-replaced-'));
    file = path.join(dir, 'deerflow.db');
    replacement = path.join(dir, 'replacement.db');
    createVintageDatabase(file, 'current', { events: initialEvents().slice(0, 4) });
    createVintageDatabase(replacement, 'current', { events: initialEvents().slice(4) });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A session on `file` that pushes a change of everything once it has opened the replacement. */
  async function expectReopened(options: Partial<SessionOptions>, replace: () => Promise<void> | void): Promise<void> {
    const session = await Session.create(file, { transport: 'electron', workerUrl: null, userDataDir: dir, ...options });
    try {
      const everything = new LivePushes(session).next(null, 4000);
      await replace();
      await everything;
      expect((await session.store.listThreads()).map((t) => t.thread_id)).toEqual(['t2', 't3']);
    } finally {
      await session.close();
    }
  }

  it('is opened again and pushed as a change of everything', async () => {
    await expectReopened({}, () => fs.renameSync(replacement, file));
  });

  it('is opened once a file renamed there half-written is whole', async () => {
    await expectReopened({}, async () => {
      fs.writeFileSync(path.join(dir, 'half.db'), 'not a database yet');
      fs.renameSync(path.join(dir, 'half.db'), file);
      // The follower meets the half-written file at a poll or two...
      await new Promise((resolve) => setTimeout(resolve, 2 * DATABASE_POLL_MS));
      // ...which is then written whole in place (same inode).
      fs.copyFileSync(replacement, file);
    });
  });

  it('is opened again at the next poll when the session could not open it the first time', async () => {
    let opens = 0;
    const flakyOpen = async (source: string | null) => {
      if (++opens === 2) throw new Error('the replacement cannot be opened yet');
      return openSource(source);
    };
    await expectReopened({ openSource: flakyOpen }, () => fs.renameSync(replacement, file));
    expect(opens).toBe(3);
  });
});

describe('a script session (rpc)', () => {
  it('follows nothing: no timer, no connection of its own', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-live-rpc-'));
    const file = path.join(dir, 'deerflow.db');
    createVintageDatabase(file, 'current', { events: initialEvents() });
    const before = liveHandles();
    const session = await Session.create(file, { transport: 'rpc', workerUrl: null, userDataDir: dir });
    try {
      expect(handlesAddedSince(before)).toEqual({});
    } finally {
      await session.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the app's own DeerFlow-style delete, which takes runs and threads_meta rows too", () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-live-records-'));
    file = path.join(dir, 'deerflow.db');
    createVintageDatabase(file, 'current', TWO_THREADS);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['in the read worker', undefined],
    ['in this process', null],
  ] as const)('is pushed once, naming its thread, by a session following %s; a write after it is pushed alone', async (_where, workerUrl) => {
    const session = await Session.create(file, { transport: 'browser', workerUrl, userDataDir: dir });
    try {
      await session.readWorker?.started;
      const pushes = new LivePushes(session);
      expect(await dispatch(createHandlers(session), 'deleteWithRecords', { threadId: 't1', records: true })).toMatchObject({ runs: 3, threadsMeta: 1 });
      const next = pushes.next('t2');
      execSql(file, "UPDATE threads_meta SET display_name = 'Renamed', updated_at = '2026-05-01 00:00:00.000000' WHERE thread_id = 't2'");
      await next;
      expect(pushes.pushes.map((push) => push.threadIds)).toEqual([['t1'], ['t2']]);
    } finally {
      await session.close();
    }
  });

  it('is taken in by the follower by the rows it says it took; rows another connection deleted meanwhile still make a change of everything', async () => {
    const told: (string[] | null)[] = [];
    const follower = followDatabase(file, { onChanged: (threadIds) => told.push(threadIds), onReplaced: () => {} });
    const store = openSqliteStore(file, { create: false });
    try {
      const release = follower.hold();
      const removed = await store.deleteWithRecords('t1', 'r1');
      follower.absorb(['t1'], { runs: removed.runs, threads_meta: removed.threadsMeta });
      expect(told).toEqual([]);
      const again = await store.deleteWithRecords('t1', 'r2');
      execSql(file, "DELETE FROM runs WHERE run_id = 'r3'");
      follower.absorb(['t1'], { runs: again.runs, threads_meta: again.threadsMeta });
      expect(told).toEqual([null]);
      release();
    } finally {
      follower.stop();
      await store.close();
    }
  });

  it('is taken in at the next check when the file was locked as it was absorbed (another process writing in rollback-journal mode)', async () => {
    expect(journalModeOf(file)).toBe('delete');
    const told: (string[] | null)[] = [];
    const follower = followDatabase(file, { onChanged: (threadIds) => told.push(threadIds), onReplaced: () => {} }, { pollMs: 60_000 });
    const store = openSqliteStore(file, { create: false });
    const writer = new Database(file);
    try {
      const release = follower.hold();
      const removed = await store.deleteWithRecords('t1');
      // A writer's exclusive lock: the absorb's check cannot read.
      writer.exec('BEGIN EXCLUSIVE');
      follower.absorb(['t1'], { runs: removed.runs, threads_meta: removed.threadsMeta });
      writer.exec("UPDATE threads_meta SET display_name = 'Renamed', updated_at = '2026-05-01 00:00:00.000000' WHERE thread_id = 't2'");
      writer.exec('COMMIT');
      release();
      expect(told).toEqual([]);
      // The next check: the other process's change alone, the app's delete taken in.
      follower.absorb([], { runs: 0, threads_meta: 0 });
      expect(told).toEqual([['t2']]);
    } finally {
      writer.close();
      follower.stop();
      await store.close();
    }
  });
});
