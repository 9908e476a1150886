import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HealthReport } from '../../src-shared/health.ts';
import { fillHealthStore, MARKED } from '../../test/support/health-store.ts';
import { memorySession } from '../../test/support/test-session.ts';
import { createHandlers, dispatch } from '../handlers/handlers.ts';
import type { PushEvent } from '../handlers/push.ts';
import { Session } from '../handlers/session.ts';
import { openJsonlStore } from '../store/jsonl/jsonl-store.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { generateEvents, planThreads } from '../generator/generate.ts';
import { writeSqliteStore } from '../generator/write-store.ts';
import { checkSourceSpec } from './health-job.ts';
import { sourceWorkerUrl, type ProgressReport } from './job-spec.ts';

/** A session's checkHealth over the contract, and what it pushed. */
function caller(session: Session) {
  const pushes: PushEvent[] = [];
  session.push.subscribe((event) => pushes.push(event));
  const call = (params: unknown) => dispatch(createHandlers(session), 'checkHealth', params) as Promise<HealthReport>;
  const progress = () => pushes.filter((push) => push.channel === 'health:progress').map((push) => push.message);
  return { call, progress };
}

describe('checkHealth over the contract, a memory source (checked in-process)', () => {
  let session: Session;
  let check: ReturnType<typeof caller>;

  beforeEach(async () => {
    session = await memorySession();
    await fillHealthStore(session.store);
    check = caller(session);
  });
  afterEach(() => session.close());

  it("answers the open source's report, pushing health:progress for a whole store", async () => {
    const report = await check.call({});
    expect(report.counts.run_without_end).toBe(1);
    expect(check.progress().at(-1)).toEqual({ checked: 2, total: 2 });
  });

  it('answers one thread without progress', async () => {
    const report = await check.call({ threadId: 'clean' });
    expect(report.findings).toEqual([]);
    expect(Object.values(report.counts).every((n) => n === 0)).toBe(true);
    expect((await check.call({ threadId: MARKED.thread })).counts.seq_gap).toBe(1);
    expect(check.progress()).toEqual([]);
  });

  it('refuses params the schema does not name', async () => {
    await expect(check.call({ thread: 'clean' })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });
});

describe('checkHealth of a SQLite or JSONL source, in the job worker', () => {
  let dir: string;
  let database: string;
  let layout: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-health-job-'));
    database = path.join(dir, 'store.db');
    const sqlite = openSqliteStore(database, { create: true });
    await fillHealthStore(sqlite);
    await sqlite.close();
    layout = path.join(dir, 'layout');
    await fillHealthStore(await openJsonlStore(layout));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function open(source: string, inWorker: boolean) {
    const session = await Session.create(source, { transport: 'browser', userDataDir: dir, workerUrl: inWorker ? undefined : null });
    return { session, ...caller(session) };
  }

  it.each([
    ['SQLite', () => database],
    ['JSONL', () => layout],
  ])('%s: the worker answers what this process would, its progress pushed from there', async (_kind, source) => {
    const worker = await open(source(), true);
    const here = await open(source(), false);
    try {
      const inWorker = vi.spyOn(worker.session.jobs, 'runHealth');
      const report = await worker.call({});
      expect(inWorker).toHaveBeenCalledOnce();
      expect(report).toEqual(await here.call({}));
      expect(report.counts).toMatchObject({ run_without_end: 1, tool_call_without_result: 1, seq_gap: 1 });
      expect(worker.progress().at(-1)).toEqual({ checked: 2, total: 2 });
      expect(await worker.call({ threadId: 'clean' })).toEqual(await here.call({ threadId: 'clean' }));
    } finally {
      await worker.session.close();
      await here.session.close();
    }
  });

  it("shares a SQLite store's threads with a helper thread: the same report as one thread's, progress counting both; a cancel stops both", async () => {
    const many = path.join(dir, 'many.db');
    const options = { seed: 5, threads: 7, totalEvents: 700 };
    await writeSqliteStore(many, generateEvents(options), planThreads(options).map(({ thread_id, display_name }) => ({ thread_id, display_name })));
    const sqlite = openSqliteStore(many, { create: false });
    await fillHealthStore(sqlite);
    await sqlite.close();
    const spec = { kind: 'sqlite', source: many } as const;
    const told: ProgressReport[] = [];
    const context = (workerUrl: URL | null, signal = new AbortController().signal) => ({ signal, workerUrl, onProgress: (progress: ProgressReport) => told.push(progress) });
    const shared = await checkSourceSpec(spec, context(sourceWorkerUrl()));
    expect(told.at(-1)).toMatchObject({ done: 9, total: 9 });
    expect(shared).toEqual(await checkSourceSpec(spec, context(null)));
    // fillHealthStore's threads have no threads_meta row in the generated store's table: orphans too.
    expect(shared.findings.filter((f) => f.thread_id === MARKED.thread).map((f) => f.kind).sort()).toEqual(
      ['orphan_events', 'run_without_end', 'seq_gap', 'subagent_without_end', 'tool_call_without_result', 'truncated_content'],
    );
    const cancel = new AbortController();
    cancel.abort();
    await expect(checkSourceSpec(spec, context(sourceWorkerUrl(), cancel.signal))).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('says a source that became unreadable is so, from the worker', async () => {
    const file = path.join(dir, 'gone.db');
    fs.copyFileSync(database, file);
    const worker = await open(file, true);
    try {
      fs.writeFileSync(file, 'no longer a database');
      await expect(worker.call({})).rejects.toMatchObject({ code: 'SOURCE' });
    } finally {
      await worker.session.close();
    }
  });
});
