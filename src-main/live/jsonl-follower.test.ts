// A session follows DeerFlow's JSONL layout while another process writes it
// (issue 12, "Live tail"): appended lines, a new run file, a new thread
// folder and deletes are each pushed within 2 s naming their thread, and the
// next query sees them, reading only what was appended. Where no watch can
// be set, stat polling does the same; an export file written over is opened
// again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src-shared/types.ts';
import { handlesAddedSince, LivePushes, liveHandles, startLiveSession } from '../../test/support/live-pushes.ts';
import type { LiveWriterProcess } from '../../test/support/live-writer-process.ts';
import { Session } from '../handlers/session.ts';
import { formatJsonlLine } from '../store/jsonl/format.ts';
import { runFile, threadsDir } from '../store/jsonl/layout.ts';
import { openSource } from '../store/open-source.ts';
import { followLayout } from './jsonl-follower.ts';

const record = (seq: number, content: string, thread = 't1', run = 'r1'): RunEvent => ({
  thread_id: thread,
  run_id: run,
  event_type: 'llm.human.input',
  category: 'message',
  content,
  metadata: {},
  seq,
  created_at: '2026-04-04T00:49:25.123456+00:00',
});

let dir: string;
let root: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-live-jsonl-'));
  root = path.join(dir, '.deer-flow');
  const file = runFile(root, 't1', 'r1');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, formatJsonlLine(record(1, 'first')) + formatJsonlLine(record(2, 'second')));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a session following a JSONL layout another process writes', () => {
  let session: Session;
  let pushes: LivePushes;
  let writer: LiveWriterProcess;
  let handlesBefore: Record<string, number>;

  beforeEach(async () => {
    handlesBefore = liveHandles();
    ({ session, pushes, writer } = await startLiveSession('jsonl', root, dir));
  });
  afterEach(async () => {
    await writer.close();
    await session.close();
  });

  /** Sends a writer command and waits for the push naming `thread`. */
  async function pushedFor(thread: string, command: object): Promise<void> {
    const pushed = pushes.next(thread);
    expect((await writer.send(command)).ok).toBe(true);
    expect((await pushed).threadIds).toEqual([thread]);
  }

  it('pushes appended lines, a new run file, a new thread folder and deletes, and the next query shows each', async () => {
    // The writer numbers its own threads' seqs: it appends to a thread of its own, then to a new run of t1 by hand.
    await pushedFor('live', { op: 'append', thread: 'live', run: 'r1', count: 2 });
    expect((await session.store.listThreads()).map((t) => [t.thread_id, t.event_count]).sort()).toEqual([
      ['live', 2],
      ['t1', 2],
    ]);
    await pushedFor('live', { op: 'append', thread: 'live', run: 'r1', count: 3 });
    expect((await session.store.listEvents('live', 'r1')).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    await pushedFor('live', { op: 'append', thread: 'live', run: 'r2', count: 1 });
    expect((await session.store.listRuns('live')).map((r) => [r.run_id, r.event_count])).toEqual([
      ['r1', 5],
      ['r2', 1],
    ]);
    await pushedFor('live', { op: 'deleteRun', thread: 'live', run: 'r2' });
    expect((await session.store.listRuns('live')).map((r) => r.run_id)).toEqual(['r1']);
    await pushedFor('live', { op: 'deleteThread', thread: 'live' });
    expect((await session.store.listThreads()).map((t) => t.thread_id)).toEqual(['t1']);
  });

  it('reads only the appended bytes: a byte changed in place before them is not indexed again', async () => {
    const file = runFile(root, 't1', 'r1');
    expect((await session.store.listEvents('t1', 'r1')).map((e) => e.content)).toEqual(['first', 'second']);
    // Same length, same inode, before the last line: only a whole re-read would count the new event type.
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace('"llm.human.input"', '"llm.HUMAN.input"'));
    const pushed = pushes.next('t1');
    fs.appendFileSync(file, formatJsonlLine(record(3, 'third')));
    await pushed;
    expect((await session.store.eventCounts('t1', 'r1')).by_event_type).toEqual({ 'llm.human.input': 3 });
    // A query reads the lines it returns from the file: as the file now has them.
    expect((await session.store.listEvents('t1', 'r1')).map((e) => [e.event_type, e.content])).toEqual([
      ['llm.HUMAN.input', 'first'],
      ['llm.human.input', 'second'],
      ['llm.human.input', 'third'],
    ]);
  });

  it('follows another threads folder put in place of the watched one: a change of everything, then its own changes', async () => {
    const otherRoot = path.join(dir, 'other');
    const file = runFile(otherRoot, 't9', 'r1');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, formatJsonlLine(record(1, 'elsewhere', 't9')));
    const everything = pushes.next(null);
    fs.renameSync(threadsDir(root), path.join(root, 'threads.old'));
    fs.renameSync(threadsDir(otherRoot), threadsDir(root));
    await everything;
    expect((await session.store.listThreads()).map((t) => t.thread_id)).toEqual(['t9']);
    // A thread folder made in the new folder: a watch left on the old one would not see it. (The new
    // watch may still report the files it found as it was set, in the same push.)
    const pushed = pushes.next('live');
    expect((await writer.send({ op: 'append', thread: 'live', run: 'r1', count: 1 })).ok).toBe(true);
    await pushed;
    expect((await session.store.listThreads()).map((t) => t.thread_id).sort()).toEqual(['live', 't9']);
  });

  it('stops on close: no watch or timer is left', async () => {
    await session.close();
    expect(handlesAddedSince(handlesBefore)).toEqual({});
  });
});

describe('where no watch can be set', () => {
  it('stat polling announces appends, new run files, new threads and deletes', async () => {
    const handlesBefore = liveHandles();
    const changes: (string[] | null)[] = [];
    let seen: () => void = () => {};
    const follower = followLayout(
      root,
      {
        onChanged: (threadIds) => {
          changes.push(threadIds);
          seen();
        },
        onReplaced: () => {},
      },
      () => {},
      { forcePolling: true },
    );
    const announced = (change: () => void) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('not announced within 2 s')), 2000);
        seen = () => {
          clearTimeout(timer);
          resolve();
        };
        change();
      });
    try {
      await announced(() => fs.appendFileSync(runFile(root, 't1', 'r1'), formatJsonlLine(record(3, 'third'))));
      await announced(() => fs.writeFileSync(runFile(root, 't1', 'r2'), formatJsonlLine(record(4, 'fourth', 't1', 'r2'))));
      await announced(() => {
        fs.mkdirSync(path.dirname(runFile(root, 't2', 'r1')), { recursive: true });
        fs.writeFileSync(runFile(root, 't2', 'r1'), formatJsonlLine(record(1, 'other', 't2')));
      });
      await announced(() => fs.rmSync(path.join(root, 'threads', 't2'), { recursive: true }));
      expect(changes).toEqual([['t1'], ['t1'], ['t2'], ['t2']]);
    } finally {
      follower.stop();
    }
    expect(handlesAddedSince(handlesBefore)).toEqual({});
  });
});

describe('a JSONL export file', () => {
  it('written over by another export is opened again and pushed as a change of everything', async () => {
    const file = path.join(dir, 'export.jsonl');
    fs.writeFileSync(file, formatJsonlLine(record(1, 'old')));
    const handlesBefore = liveHandles();
    const session = await Session.create(file, { transport: 'browser', workerUrl: null, userDataDir: dir });
    try {
      const pushes = new LivePushes(session);
      const everything = pushes.next(null);
      const next = path.join(dir, 'next.jsonl');
      fs.writeFileSync(next, formatJsonlLine(record(1, 'new', 'other')) + formatJsonlLine(record(2, 'new too', 'other')));
      fs.renameSync(next, file);
      await everything;
      expect((await session.store.listThreads()).map((t) => [t.thread_id, t.event_count])).toEqual([['other', 2]]);
    } finally {
      await session.close();
    }
    expect(handlesAddedSince(handlesBefore)).toEqual({});
  });

  it('is opened again at the next stat when the session could not open it the first time', async () => {
    const file = path.join(dir, 'export.jsonl');
    fs.writeFileSync(file, formatJsonlLine(record(1, 'old')));
    let opens = 0;
    const flakyOpen = async (source: string | null) => {
      if (++opens === 2) throw new Error('the new export cannot be opened yet');
      return openSource(source);
    };
    const session = await Session.create(file, { transport: 'browser', workerUrl: null, userDataDir: dir, openSource: flakyOpen });
    try {
      const everything = new LivePushes(session).next(null, 4000);
      const next = path.join(dir, 'next.jsonl');
      fs.writeFileSync(next, formatJsonlLine(record(1, 'new', 'other')));
      fs.renameSync(next, file);
      await everything;
      expect((await session.store.listThreads()).map((t) => t.thread_id)).toEqual(['other']);
      expect(opens).toBe(3);
    } finally {
      await session.close();
    }
  });
});
