import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '../../src-shared/types.ts';
import { createVintageDatabase, rawRows, type RawEvent } from '../../test/support/deerflow-databases.ts';
import { LivePushes } from '../../test/support/live-pushes.ts';
import { TWO_THREADS } from '../../test/support/run-records.suite.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { createHandlers, dispatch } from './handlers.ts';
import type { PushEvent } from './push.ts';
import { Session } from './session.ts';

const BIG_RUN = 60_000;
const SMALL_RUN = 20_000;

const record = (seq: number, thread: string, run: string): RunEvent => ({
  thread_id: thread,
  run_id: run,
  event_type: seq % 3 ? 'llm.ai.response' : 'llm.start',
  category: seq % 3 ? 'message' : 'trace',
  content: `event ${seq}`,
  metadata: {},
  seq,
  created_at: '2026-04-04T00:49:25.123456+00:00',
});

/** The longest the event loop went without running a 5 ms timer while `work` ran, and how long `work` took. */
async function loopStall<T>(work: () => Promise<T>): Promise<{ result: T; longestGap: number; took: number }> {
  let last = performance.now();
  let longestGap = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
  }, 5);
  const start = performance.now();
  try {
    const result = await work();
    const took = performance.now() - start;
    longestGap = Math.max(longestGap, performance.now() - last);
    return { result, longestGap, took };
  } finally {
    clearInterval(tick);
  }
}

describe('big deletes from a SQLite source', () => {
  let dir: string;
  let template: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-big-delete-'));
    template = path.join(dir, 'template.db');
    const store = openSqliteStore(template, { create: true });
    const events: RunEvent[] = [];
    for (let seq = 1; seq <= BIG_RUN + SMALL_RUN; seq++) events.push(record(seq, 'big', seq <= BIG_RUN ? 'r1' : 'r2'));
    for (let seq = 1; seq <= 10; seq++) events.push(record(seq, 'small', 'r1'));
    store.importEvents(events);
    await store.close();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A session on a fresh copy of the template; `inWorker: false` is the in-process path (no worker entry). */
  async function open(name: string, inWorker: boolean) {
    const db = path.join(dir, `${name}.db`);
    fs.copyFileSync(template, db);
    const session = await Session.create(db, { transport: 'browser', workerUrl: inWorker ? undefined : null });
    const pushes: PushEvent[] = [];
    session.push.subscribe((event) => pushes.push(event));
    const call = (method: string, params: unknown) => dispatch(createHandlers(session), method, params);
    const snapshot = async () => ({
      threads: await call('listThreads', {}),
      big: await call('listEvents', { threadId: 'big', runId: 'r2', limit: 5 }),
      counts: await call('eventCounts', { threadId: 'big' }),
    });
    return { session, pushes, call, snapshot };
  }

  it('deleteByThread: the event loop keeps running, and the result and data are those of the in-process delete', async () => {
    const worker = await open('thread-worker', true);
    const inProcess = await open('thread-here', false);
    try {
      // A small run deleted first, here on both: the page's connection now keeps its seqs from coming back.
      for (const side of [worker, inProcess]) expect(await side.call('deleteByRun', { threadId: 'big', runId: 'r2' })).toBe(SMALL_RUN);
      const off = await loopStall(() => worker.call('deleteByThread', { threadId: 'big' }));
      const here = await loopStall(() => inProcess.call('deleteByThread', { threadId: 'big' }));
      expect(off.result).toBe(BIG_RUN);
      expect(here.result).toBe(off.result);
      // In-process, the delete holds the loop for most of its time; in the worker, timers keep firing.
      expect(here.longestGap).toBeGreaterThan(here.took / 2);
      expect(off.longestGap).toBeLessThan(off.took / 3);
      expect(await worker.snapshot()).toEqual(await inProcess.snapshot());
      expect(worker.pushes).toEqual(Array(2).fill({ channel: 'store:changed', message: { threadIds: ['big'] } }));
      // The thread is new again for the page's connection too (guarantee 8): its next seq is 1.
      const event = { thread_id: 'big', run_id: 'r9', event_type: 'x', category: 'trace' };
      for (const side of [worker, inProcess]) expect((await side.call('put', { event })) as RunEvent).toMatchObject({ seq: 1 });
    } finally {
      await worker.session.close();
      await inProcess.session.close();
    }
  });

  it('deleteByRun: the same, for a big run', async () => {
    const worker = await open('run-worker', true);
    const inProcess = await open('run-here', false);
    try {
      const off = await loopStall(() => worker.call('deleteByRun', { threadId: 'big', runId: 'r1' }));
      const here = await loopStall(() => inProcess.call('deleteByRun', { threadId: 'big', runId: 'r1' }));
      expect([off.result, here.result]).toEqual([BIG_RUN, BIG_RUN]);
      expect(off.longestGap).toBeLessThan(off.took / 3);
      expect(await worker.snapshot()).toEqual(await inProcess.snapshot());
      expect(worker.pushes).toEqual([{ channel: 'store:changed', message: { threadIds: ['big'] } }]);
    } finally {
      await worker.session.close();
      await inProcess.session.close();
    }
  });

  it('keeps small deletes in-process, and answers a missing thread with 0', async () => {
    const { session, call } = await open('small', true);
    try {
      const runDelete = vi.spyOn(session.jobs, 'runDelete');
      expect(await call('deleteByRun', { threadId: 'big', runId: 'r2' })).toBe(SMALL_RUN);
      expect(await call('deleteByThread', { threadId: 'small' })).toBe(10);
      expect(await call('deleteByThread', { threadId: 'none' })).toBe(0);
      expect(runDelete).not.toHaveBeenCalled();
    } finally {
      await session.close();
    }
  });
});

describe('a big DeerFlow-style delete from a SQLite source', () => {
  let dir: string;
  let template: string;
  /** Thread t1's run r1 grown past what a delete does in-process. */
  const BIG_R1 = 25_000;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-big-records-'));
    template = path.join(dir, 'template.db');
    const grown: RawEvent[] = Array.from({ length: BIG_R1 }, (_, i) => ({ ...TWO_THREADS.events[1], seq: 4 + i, content: `more ${i}` }));
    createVintageDatabase(template, 'current', { ...TWO_THREADS, events: [...TWO_THREADS.events, ...grown] });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['thread', { threadId: 't1' }, { events: BIG_R1 + 3, runs: 3, threadsMeta: 1, feedback: 2 }, ['t2/r3']],
    ['run', { threadId: 't1', runId: 'r1' }, { events: BIG_R1 + 2, runs: 1, threadsMeta: 0, feedback: 1 }, ['t1/r2', 't2/r3']],
  ] as const)('of a %s runs in the job worker, the records with the events, as the in-process delete does', async (what, target, removed, feedbackLeft) => {
    const sides = await Promise.all(
      [true, false].map(async (inWorker) => {
        const file = path.join(dir, `${what}-${inWorker ? 'worker' : 'here'}.db`);
        fs.copyFileSync(template, file);
        const session = await Session.create(file, { transport: 'browser', workerUrl: inWorker ? undefined : null });
        return { file, session, runDelete: vi.spyOn(session.jobs, 'runDelete') };
      }),
    );
    try {
      for (const { session } of sides) expect(await dispatch(createHandlers(session), 'deleteWithRecords', { ...target, records: true })).toEqual(removed);
      expect(sides[0].runDelete).toHaveBeenCalledWith(expect.objectContaining({ ...target, records: true }));
      const [worker, here] = await Promise.all(sides.map(async ({ file, session }) => ({
        threads: (await session.listThreads()).map((thread) => `${thread.thread_id} ${thread.event_count}`).sort(),
        feedback: rawRows(file, "SELECT thread_id || '/' || run_id AS k FROM feedback ORDER BY k").map((row) => row.k),
        runs: rawRows(file, 'SELECT run_id FROM runs ORDER BY run_id').map((row) => row.run_id),
      })));
      expect(worker).toEqual(here);
      expect(worker.feedback).toEqual(feedbackLeft);
    } finally {
      await Promise.all(sides.map(({ session }) => session.close()));
    }
  });
});

describe("a page's SQLite source", () => {
  const failed = JSON.stringify({ type: 'tool', tool_call_id: 'c1', content: 'Traceback …', status: 'error' });

  async function sourceWithError(dir: string): Promise<string> {
    const db = path.join(dir, 'events.db');
    const store = openSqliteStore(db, { create: true });
    store.importEvents([record(1, 't1', 'r1'), { ...record(2, 't1', 'r1'), event_type: 'run.error', category: 'error' }, record(3, 't1', 'r1')]);
    await store.close();
    return db;
  }

  /** Rewrites seq 3 into a failed tool call in place: no count or range shows it, so only marks found before are blind to it. */
  function rewriteAsFailedToolCall(db: string): void {
    const raw = new Database(db);
    raw.prepare("UPDATE run_events SET event_type = 'llm.tool.result', content = ? WHERE thread_id = 't1' AND seq = 3").run(failed);
    raw.close();
  }

  it.each([
    ['browser', 'found by the read worker when it opens', [0, 0, 0]],
    ['rpc', 'read when first asked: scripts skip the pass', [0, 0, 1]],
  ] as const)('%s: the overview strip marks are %s', async (transport, _how, toolErrors) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-marks-session-'));
    const db = await sourceWithError(dir);
    const session = await Session.create(db, { transport });
    try {
      await session.readWorker?.marked;
      rewriteAsFailedToolCall(db);
      const overview = await dispatch(createHandlers(session), 'threadOverview', { threadId: 't1', buckets: 3 });
      expect(overview).toMatchObject({ buckets: { errors: [0, 1, 0], tool_errors: toolErrors } });
    } finally {
      await session.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a URL for a SOURCE that is not PostgreSQL', () => {
  it('is refused when the session opens it and when a page asks for it, and never becomes a folder', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-url-source-'));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const url = 'mysql://ana:s3cret@db.example/deerflow';
      await expect(Session.create(url, { transport: 'browser', workerUrl: null, userDataDir: dir })).rejects.toMatchObject({ code: 'SOURCE' });
      const session = await Session.create(null, { transport: 'browser', workerUrl: null, userDataDir: dir });
      try {
        const refused = dispatch(createHandlers(session), 'openSource', { path: url });
        await expect(refused).rejects.toMatchObject({ code: 'SOURCE', message: expect.not.stringContaining('s3cret') });
        expect(session.info.kind).toBe('memory');
      } finally {
        await session.close();
      }
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      process.chdir(cwd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a page's SQLite source's read worker", () => {
  let dir: string;
  let first: string;
  let second: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-read-session-'));
    [first, second] = [path.join(dir, 'first.db'), path.join(dir, 'second.db')];
    for (const file of [first, second]) {
      const store = openSqliteStore(file, { create: true });
      store.importEvents([record(1, 't1', 'r1'), record(2, 't1', 'r1'), record(3, 't1', 'r2'), record(1, 't2', 'r3')]);
      await store.close();
    }
    fs.mkdirSync(path.join(dir, 'layout'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const slowReads = [
    ['listThreads', {}],
    ['listRuns', { threadId: 't1' }],
    ['eventCounts', { threadId: 't1' }],
    ['threadOverview', { threadId: 't1', buckets: 3 }],
    ['runSummary', { threadId: 't1', runId: 'r1' }],
  ] as const;
  const pageReads = [
    ['listMessages', { threadId: 't1' }],
    ['listEvents', { threadId: 't1', runId: 'r1' }],
    ['getEvent', { threadId: 't1', seq: 1 }],
    ['countMessages', { threadId: 't1' }],
  ] as const;

  it("answers the page's slow reads, as the in-process session does, and leaves its pages here", async () => {
    const session = await Session.create(first, { transport: 'browser', userDataDir: path.join(dir, 'user-data') });
    const here = await Session.create(first, { transport: 'browser', workerUrl: null, userDataDir: path.join(dir, 'user-data') });
    try {
      const reads = session.readWorker!;
      await reads.started;
      const read = vi.spyOn(reads, 'answer');
      const call = (on: Session, [method, params]: readonly [string, object]) => dispatch(createHandlers(on), method, params);
      for (const request of [...slowReads, ...pageReads]) expect(await call(session, request), request[0]).toEqual(await call(here, request));
      expect(read.mock.calls.map(([method]) => method)).toEqual(slowReads.map(([method]) => method));
      expect(here.readWorker).toBeNull();
    } finally {
      await session.close();
      await here.close();
    }
  });

  it("is told what the app changed before the page is, and a delete's next thread list has it", async () => {
    const copy = path.join(dir, 'deletes.db');
    fs.copyFileSync(first, copy);
    const session = await Session.create(copy, { transport: 'browser', userDataDir: path.join(dir, 'user-data') });
    try {
      await session.readWorker!.started;
      const told: string[] = [];
      vi.spyOn(session.readWorker!, 'expire').mockImplementation(() => told.push('expire'));
      session.push.subscribe(() => told.push('push'));
      const call = (method: string, params: object) => dispatch(createHandlers(session), method, params);
      expect(await call('listThreads', {})).toMatchObject([{ thread_id: 't1', run_count: 2 }, { thread_id: 't2' }]);
      expect(await call('deleteByRun', { threadId: 't1', runId: 'r2' })).toBe(1);
      expect(told).toEqual(['expire', 'push']);
      expect(await call('listThreads', {})).toMatchObject([{ thread_id: 't1', run_count: 1, event_count: 2 }, { thread_id: 't2' }]);
    } finally {
      await session.close();
    }
  });

  /** A database of `events` in rollback-journal mode, as DeerFlow leaves it: another file renamed over it leaves no WAL of its own behind. */
  async function journalDatabase(file: string, events: RunEvent[]): Promise<void> {
    const store = openSqliteStore(file, { create: true });
    store.importEvents(events);
    await store.close();
    const db = new Database(file);
    db.pragma('journal_mode = delete');
    db.close();
  }

  it("follows the source there: another connection's append is pushed naming its thread, another file at the path opened again", async () => {
    const file = path.join(dir, 'followed.db');
    await journalDatabase(file, [record(1, 't1', 'r1'), record(1, 't2', 'r3')]);
    const session = await Session.create(file, { transport: 'browser', userDataDir: path.join(dir, 'user-data') });
    try {
      await session.readWorker!.started;
      expect(session.readWorker!.follows).toBe(true);
      const pushes = new LivePushes(session);
      const other = openSqliteStore(file, { create: false });
      const appended = pushes.next('t2', 5000);
      await other.put({ thread_id: 't2', run_id: 'r3', event_type: 'llm.ai.response', category: 'message', content: 'from elsewhere' });
      await other.close();
      expect((await appended).threadIds).toEqual(['t2']);
      const reopened = pushes.next(null, 5000);
      const replacement = path.join(dir, 'replacement.db');
      await journalDatabase(replacement, [record(1, 'only', 'r1')]);
      fs.renameSync(replacement, file);
      await reopened;
      expect(await dispatch(createHandlers(session), 'listThreads', {})).toMatchObject([{ thread_id: 'only', event_count: 1 }]);
    } finally {
      await session.close();
    }
  });

  it('starts with a SQLite source, stops when it is replaced or closed, and is not started for rpc or a JSONL folder', async () => {
    const session = await Session.create(first, { transport: 'browser', userDataDir: path.join(dir, 'user-data') });
    try {
      const onFirst = session.readWorker!;
      await onFirst.started;
      expect(onFirst.running).toBe(true);
      await session.open(second);
      const onSecond = session.readWorker!;
      expect(onSecond).not.toBe(onFirst);
      await onFirst.close();
      expect(onFirst.running).toBe(false);
      await expect(onFirst.read('listThreads', {})).rejects.toMatchObject({ code: 'CANCELLED' });
      await onSecond.started;
      expect(onSecond.running).toBe(true);
      await session.open(path.join(dir, 'layout'));
      expect(session.readWorker).toBeNull();
      expect(await dispatch(createHandlers(session), 'listThreads', {})).toEqual([]);
      await session.open(first);
      const reopened = session.readWorker!;
      await session.close();
      expect([onSecond.running, reopened.running]).toEqual([false, false]);
    } finally {
      await session.close();
    }
    const script = await Session.create(first, { transport: 'rpc', userDataDir: path.join(dir, 'user-data') });
    expect(script.readWorker).toBeNull();
    await script.close();
  });
});
