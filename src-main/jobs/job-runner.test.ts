import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobProgress, JobResult } from '../../src-shared/contract.ts';
import { generateEvents } from '../generator/generate.ts';
import { writeJsonlLayout } from '../generator/write-store.ts';
import { Session } from '../handlers/session.ts';
import type { PushEvent } from '../handlers/push.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { JobRunner } from './job-runner.ts';
import { sourceWorkerUrl } from './job-spec.ts';

describe('job runner', () => {
  let dir: string;
  let progress: JobProgress[];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-jobs-'));
    progress = [];
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const runner = (workerUrl?: URL | null) => new JobRunner({ workerUrl, onProgress: (p) => progress.push(p), onDone: () => {} });

  it('finds the worker entry beside itself when running from the sources', () => {
    expect(fileURLToPath(sourceWorkerUrl()!)).toBe(path.join(path.dirname(fileURLToPath(import.meta.url)), 'job-worker.ts'));
  });

  for (const [mode, workerUrl] of [['worker thread', undefined], ['in-process', null]] as const) {
    it(`imports in a ${mode}, with progress and a summary`, async () => {
      const layout = path.join(dir, 'layout');
      const count = writeJsonlLayout(layout, generateEvents({ seed: 2, threads: 3 }));
      const { jobId, done } = runner(workerUrl).start({ kind: 'import', path: layout, into: path.join(dir, 'a.db') });
      const result = await done;
      expect(result).toMatchObject({ jobId, kind: 'import', ok: true, summary: { imported: count, skipped: 0 } });
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.every((p) => p.jobId === jobId && p.kind === 'import')).toBe(true);
    });

    it(`reports a failed job in a ${mode} as its message, not a crash`, async () => {
      const result = await runner(workerUrl).start({ kind: 'import', path: path.join(dir, 'missing'), into: path.join(dir, 'a.db') }).done;
      expect(result).toMatchObject({ ok: false, cancelled: false, error: expect.stringContaining('missing') });
    });
  }

  it('cancels a job running in a worker at its next batch', async () => {
    const layout = path.join(dir, 'layout');
    writeJsonlLayout(layout, generateEvents({ seed: 4, threads: 2, totalEvents: 12_000 }));
    const jobs = new JobRunner({ onProgress: (p) => void jobs.cancel(p.jobId), onDone: () => {} });
    const result = await jobs.start({ kind: 'import', path: layout, into: path.join(dir, 'a.db') }).done;
    expect(result).toMatchObject({ ok: false, cancelled: true });
    expect(jobs.cancel(result.jobId)).toBe(false);
  });
});

describe('session jobs', () => {
  let dir: string;
  let pushes: PushEvent[];
  let session: Session;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-session-jobs-'));
    pushes = [];
  });
  afterEach(async () => {
    await session.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const jobDone = () =>
    new Promise<JobResult>((resolve) => {
      session.push.subscribe((event) => {
        pushes.push(event);
        if (event.channel === 'job:done') resolve(event.message);
      });
    });

  it('imports into the open database and then tells the pages everything changed', async () => {
    const db = path.join(dir, 'open.db');
    session = await Session.create(db, { transport: 'browser', openSource: async (p) => openSqliteStore(p!, { create: true }) });
    const layout = path.join(dir, 'layout');
    const count = writeJsonlLayout(layout, generateEvents({ seed: 1, threads: 2 }));
    const done = jobDone();
    session.startImport(layout);
    expect(await done).toMatchObject({ ok: true, summary: { imported: count, into: db } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(pushes.at(-1)).toEqual({ channel: 'store:changed', message: { threadIds: null } });
    expect((await session.store.listThreads()).reduce((n, t) => n + t.event_count, 0)).toBe(count);
  });

  it('exports a memory source in-process', async () => {
    session = await Session.create(null, { transport: 'rpc' });
    await session.store.put({ thread_id: 't', run_id: 'r', event_type: 'x', category: 'message' });
    expect(session.store).toBeInstanceOf(MemoryStore);
    const done = jobDone();
    session.startExport(path.join(dir, 'out'));
    expect(await done).toMatchObject({ ok: true, kind: 'export', summary: { events: 1, files: 1 } });
    expect(fs.existsSync(path.join(dir, 'out', 'threads', 't', 'runs', 'r.jsonl'))).toBe(true);
  });
});
