import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ParamsOf } from '../../src-shared/contract.ts';
import { SerializedResult } from '../../src-shared/serialized-result.ts';
import type { InspectorStore, JsonValue, RunEvent } from '../../src-shared/types.ts';
import { sourceWorkerUrl } from '../jobs/job-spec.ts';
import { sidecarPath, sourceIdentity } from '../search/sidecar-location.ts';
import { SqliteMarksFile } from '../store/sqlite/marks-file.ts';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { readFrom, type ReadMethod } from './read-methods.ts';
import type { FollowerEvents } from '../live/follower.ts';
import { ReadWorker, type Read } from './read-worker.ts';

const at = (second: number) => `2026-03-02T10:00:${String(second).padStart(2, '0')}.000000+00:00`;
let seq = 0;
function event(thread: string, run: string, event_type: string, category: string, content: JsonValue = '', metadata = {}): RunEvent {
  seq++;
  return { thread_id: thread, run_id: run, event_type, category, content, metadata, seq, created_at: at(seq) };
}

const EVENTS: RunEvent[] = [
  event('t1', 'r1', 'run.start', 'trace', { chain: 'lead_agent' }),
  event('t1', 'r1', 'llm.human.input', 'message', { type: 'human', content: 'Plan the Borealis trip' }),
  event('t1', 'r1', 'llm.ai.response', 'message', { type: 'ai', content: '', tool_calls: [{ id: 'c1', name: 'web_search', args: {} }] }),
  event('t1', 'r1', 'llm.tool.result', 'message', { type: 'tool', tool_call_id: 'c1', content: 'Traceback …', status: 'error' }),
  event('t1', 'r1', 'run.end', 'outputs', {}, { status: 'success' }),
  event('t1', 'r2', 'run.start', 'trace', { chain: 'lead_agent' }),
  event('t1', 'r2', 'run.error', 'error', 'model overloaded', { error_type: 'RateLimit' }),
  event('t2', 'r3', 'llm.human.input', 'message', { type: 'human', content: 'Another thread' }),
];

/** Every read method, a few ways each, and the ones that fail (a missing run, bad arguments the store refuses itself). */
const READS: { [M in ReadMethod]: ParamsOf<M>[] } = {
  listThreads: [{}],
  listRuns: [{ threadId: 't1' }, { threadId: 'none' }, { threadId: '' }],
  eventCounts: [{ threadId: 't1' }, { threadId: 't1', runId: 'r1' }, { threadId: 'x'.repeat(65) }],
  threadOverview: [{ threadId: 't1', buckets: 4 }, { threadId: 't1', buckets: 4, marks: false }, { threadId: 't1', buckets: 0 }],
  runSummary: [{ threadId: 't1', runId: 'r1' }, { threadId: 't1', runId: 'r2' }, { threadId: 't1', runId: 'missing' }],
};
const calls = Object.entries(READS).flatMap(([method, params]) => params.map((p) => ({ method: method as ReadMethod, params: p })));

/** What a read ends with, an answer or an error's code and message, so two ways of reading compare whole. */
const outcome = (read: Promise<unknown>) =>
  read.then(
    (value) => ({ value }),
    (error: { code: string; message: string }) => ({ code: error.code, message: error.message }),
  );

const readAll = (read: Read) => Promise.all(calls.map(({ method, params }) => outcome(read(method, params as never))));

/** A fallback that must not be used: every answer then comes from the worker. */
const noFallback: Read = (method) => Promise.reject(new Error(`${method} was answered in-process`));

describe('the read worker', () => {
  let dir: string;
  let file: string;
  let store: SqliteStore;
  const workers: ReadWorker[] = [];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-read-worker-'));
    file = path.join(dir, 'events.db');
    store = openSqliteStore(file, { create: true });
    store.importEvents(EVENTS);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(workers.splice(0).map((worker) => worker.close()));
  });
  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function startWorker(fallback: Read = noFallback, options: { source?: string; workerUrl?: URL; events?: FollowerEvents } = {}): ReadWorker {
    const { workerUrl = sourceWorkerUrl()!, source = file, events } = options;
    const worker = new ReadWorker({ workerUrl, source, userDataDir: path.join(dir, 'user-data'), fallback, events });
    workers.push(worker);
    return worker;
  }
  const here = (source: InspectorStore): Read => (method, params) => readFrom(source, method, params);

  /** A database of EVENTS of the test's own, on a writable connection: another process's, or the session's. */
  function writableDatabase(name: string): { source: string; other: SqliteStore } {
    const source = path.join(dir, name);
    const other = openSqliteStore(source, { create: true });
    other.importEvents(EVENTS);
    return { source, other };
  }

  /** Follower events that keep what they are told. */
  function recorder(): { told: (string[] | null)[]; events: FollowerEvents } {
    const told: (string[] | null)[] = [];
    return { told, events: { onChanged: (threadIds) => told.push(threadIds), onReplaced: () => {} } };
  }

  it('answers every read as the store does in-process, errors with their code and message, overlapping requests each with its own answer', async () => {
    const worker = startWorker();
    await worker.started;
    // All posted at once: answered as each ends, matched by id.
    const [off, inProcess] = await Promise.all([readAll((method, params) => worker.read(method, params)), readAll(here(store))]);
    expect(off).toEqual(inProcess);
    const codes = off.flatMap((result) => ('code' in result ? [result.code] : []));
    expect(codes).toEqual(['BAD_ARGUMENT', 'BAD_ARGUMENT', 'BAD_ARGUMENT', 'NOT_FOUND']);
    expect(off[0]).toMatchObject({ value: [{ thread_id: 't1', run_count: 2 }, { thread_id: 't2', run_count: 1 }] });
  });

  it('answers as the JSON of the answer read in-process, in shared memory (not copied here)', async () => {
    const worker = startWorker();
    await worker.started;
    const inProcess = await readAll(here(store));
    const answered = calls.flatMap((call, i) => ('value' in inProcess[i] ? [{ ...call, value: inProcess[i].value }] : []));
    expect(answered).toHaveLength(calls.length - 4);
    for (const { method, params, value } of answered) {
      const answer = await worker.answer(method, params as never);
      if (!(answer instanceof SerializedResult)) throw new Error(`${method}: answered as the value, not its JSON`);
      expect(new TextDecoder().decode(answer.json), method).toBe(JSON.stringify(value));
      expect(answer.json.buffer, method).toBeInstanceOf(SharedArrayBuffer);
      expect(answer.json.buffer.byteLength, method).toBe(answer.json.byteLength);
    }
  });

  it('finds the overview marks at open: a strip asked for kept marks only has them', async () => {
    const worker = startWorker();
    await worker.marked;
    const overview = await worker.read('threadOverview', { threadId: 't1', buckets: 7, marks: 'kept' });
    expect(overview.buckets).toMatchObject({ errors: [0, 0, 0, 0, 0, 0, 1], tool_errors: [0, 0, 0, 1, 0, 0, 0] });
  });

  it('keeps the marks its pass found in the source\'s sidecar, for the next session to draw at once', async () => {
    const worker = startWorker();
    await worker.marked;
    const kept = new SqliteMarksFile(sidecarPath({ path: file, createdByApp: store.createdByApp }, path.join(dir, 'user-data')), sourceIdentity('sqlite', file));
    try {
      expect(kept.load().get('t1')).toMatchObject({ errors: [7], toolErrors: [4] });
    } finally {
      kept.close();
    }
  });

  it("sees the app's own writes at its next read", async () => {
    const { source, other: writable } = writableDatabase('writes.db');
    try {
      const worker = startWorker(noFallback, { source });
      await worker.started;
      expect((await worker.read('listThreads', {})).map((t) => [t.thread_id, t.event_count])).toEqual([['t1', 7], ['t2', 1]]);
      expect(await writable.deleteByRun('t1', 'r2')).toBe(2);
      expect(await writable.deleteByThread('t2')).toBe(1);
      worker.expire(['t1', 't2']);
      const [threads, runs] = await Promise.all([worker.read('listThreads', {}), worker.read('listRuns', { threadId: 't1' })]);
      expect(threads.map((t) => [t.thread_id, t.event_count])).toEqual([['t1', 5]]);
      expect(runs.map((r) => r.run_id)).toEqual(['r1']);
      expect(await worker.read('listThreads', {})).toEqual(await writable.listThreads());
    } finally {
      await writable.close();
    }
  });

  it("follows the database there: another connection's commits told by thread, the app's own write absorbed", async () => {
    const { source, other } = writableDatabase('followed.db');
    const { told, events } = recorder();
    try {
      const worker = startWorker(noFallback, { source, events });
      await worker.started;
      await other.put({ thread_id: 't2', run_id: 'r3', event_type: 'llm.ai.response', category: 'message', content: 'more' });
      await expect.poll(() => told).toEqual([['t2']]);
      // The app's own delete, as the session makes one: held, written, absorbed, released.
      const release = await worker.follower.hold!();
      expect(await other.deleteByRun('t1', 'r2')).toBe(2);
      worker.follower.absorb(['t1']);
      release();
      await other.put({ thread_id: 't2', run_id: 'r3', event_type: 'llm.ai.response', category: 'message', content: 'again' });
      await expect.poll(() => told).toEqual([['t2'], ['t2']]);
    } finally {
      await other.close();
    }
  });

  it('pushes everything once when another connection committed before the worker first looked, and nothing when none did', async () => {
    const { source, other } = writableDatabase('early.db');
    try {
      const quiet = recorder();
      await startWorker(noFallback, { source, events: quiet.events }).started;
      expect(quiet.told).toEqual([]);
      const { told, events } = recorder();
      const worker = startWorker(noFallback, { source, events });
      // In the same turn as the start: the worker's thread is still loading, far from its first look.
      await other.put({ thread_id: 't2', run_id: 'r3', event_type: 'llm.ai.response', category: 'message', content: 'early' });
      await worker.started;
      expect(told).toEqual([null]);
    } finally {
      await other.close();
    }
  });

  it('answers what a dead worker owed here, with a log line, and the next read from a new worker; after four deaths, every read here', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0);
    const dying = new URL('../../test/support/dying-read-worker.ts', import.meta.url);
    const fallback = vi.fn(here(store));
    const worker = startWorker(fallback, { workerUrl: dying });
    await worker.started;
    // The worker's thread ends while it owes this answer (the fixture exits when asked for thread `dies`).
    expect(await worker.read('listRuns', { threadId: 'dies' })).toEqual([]);
    expect(fallback).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([expect.stringMatching(/^run-inspector: the read worker of .*events\.db stopped \(exit code 7\); 1 read\(s\) it owed answered in this process, later ones by a new worker\n$/)]);
    // A new worker, started at once, answers the next read.
    await worker.started;
    expect(await worker.read('listThreads', {})).toEqual(await store.listThreads());
    expect(fallback).toHaveBeenCalledTimes(1);
    for (let death = 2; death <= 4; death++) {
      await worker.started;
      expect(await worker.read('listRuns', { threadId: 'dies' })).toEqual([]);
    }
    expect(lines.at(-1)).toMatch(/and every later one: it stopped 4 times\n$/);
    expect(await worker.read('listThreads', {})).toEqual(await store.listThreads());
    expect(worker.running).toBe(false);
    expect(fallback).toHaveBeenCalledTimes(5);
  });

  it('leaves every read here, with a log line, when it cannot open the source', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0);
    const missing = path.join(dir, 'gone.db');
    const fallback = vi.fn(here(store));
    const worker = startWorker(fallback, { source: missing });
    await worker.started;
    expect(await worker.read('listThreads', {})).toEqual(await store.listThreads());
    expect(fallback).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([`run-inspector: the read worker cannot open ${missing} (${missing}: no such database): its reads are answered in this process\n`]);
  });

  it('fails the reads it owes with CANCELLED when closed, and takes no more', async () => {
    const worker = startWorker();
    await worker.started;
    const owed = outcome(worker.read('listThreads', {}));
    await worker.close();
    expect(await owed).toMatchObject({ code: 'CANCELLED' });
    expect(await outcome(worker.read('listThreads', {}))).toMatchObject({ code: 'CANCELLED' });
    expect(worker.running).toBe(false);
  });
});
