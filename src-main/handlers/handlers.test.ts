import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StoreError } from '../../src-shared/errors.ts';
import { describeHandlerCases, failure, type CallFailure } from '../../test/support/handler-cases.suite.ts';
import { createHandlers, dispatch } from './handlers.ts';
import type { PushEvent } from './push.ts';
import { sampleStore } from './sample-store.ts';
import { Session } from './session.ts';
import { memorySession, NamedMemoryStore } from '../../test/support/test-session.ts';

describeHandlerCases('dispatch', 'electron', async () => {
  const session = await memorySession();
  const handlers = createHandlers(session);
  return {
    call: (method, params) =>
      dispatch(handlers, method, params).catch((error: StoreError) => {
        throw { code: error.code, message: error.message } satisfies CallFailure;
      }),
    close: () => session.close(),
  };
});

describe('handlers', () => {
  let session: Session;
  let pushes: PushEvent[];
  let dir: string;
  const call = (method: string, params?: unknown) => dispatch(createHandlers(session), method, params);

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-handlers-'));
    session = await memorySession({ userDataDir: dir });
    pushes = [];
    session.push.subscribe((event) => pushes.push(event));
  });
  afterEach(async () => {
    await session.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const event = { thread_id: 't1', run_id: 'r1', event_type: 'llm.ai.response', category: 'message' };

  it('pushes store:changed naming the threads each write touched, and only when something changed', async () => {
    await call('put', { event });
    await call('putBatch', { events: [event, { ...event, thread_id: 't2' }, event] });
    await call('putIfAbsent', { event });
    await call('deleteByRun', { threadId: 't9', runId: 'r1' });
    await call('deleteByThread', { threadId: 't2' });
    await call('listMessages', { threadId: 't1' });
    expect(pushes).toEqual([
      { channel: 'store:changed', message: { threadIds: ['t1'] } },
      { channel: 'store:changed', message: { threadIds: ['t1', 't2'] } },
      { channel: 'store:changed', message: { threadIds: ['t2'] } },
    ]);
  });

  it('opens a source, replacing and closing the old one, remembering it in the user data folder', async () => {
    const old = session.store;
    const closed = vi.spyOn(old, 'close');
    const info = await call('openSource', { path: path.join(dir, 'a.db') });
    expect(info).toEqual({ kind: 'sqlite', path: path.join(dir, 'a.db'), readOnly: false });
    expect(closed).toHaveBeenCalled();
    expect(pushes).toEqual([{ channel: 'store:changed', message: { threadIds: null } }]);
    await call('openSource', { path: path.join(dir, 'store') });
    await call('openSource', { path: path.join(dir, 'a.db') });
    const recents = (await call('recentSources')) as { path: string; kind: string }[];
    expect(recents.map((r) => [r.path, r.kind])).toEqual([
      [path.join(dir, 'a.db'), 'sqlite'],
      [path.join(dir, 'store'), 'jsonl'],
    ]);
    const reloaded = await memorySession({ userDataDir: dir });
    expect(await dispatch(createHandlers(reloaded), 'recentSources', {})).toEqual(recents);
    await reloaded.close();
  });

  it('starts with no recent sources when their file is damaged', async () => {
    fs.writeFileSync(path.join(dir, 'recent-sources.json'), '[{"path": 1}');
    expect(await call('recentSources')).toEqual([]);
  });

  it('keeps the open source when another cannot be opened', async () => {
    await call('put', { event });
    pushes.length = 0;
    const { code, message } = await failure(call('openSource', { path: '/missing.db' }));
    expect([code, message]).toEqual(['SOURCE', '/missing.db: no such database']);
    expect(await call('countMessages', { threadId: 't1' })).toBe(1);
    expect(pushes).toEqual([]);
  });

  it('opens the sample without adding it to the recent list', async () => {
    const sample = path.join(dir, 'sample.db');
    const withSample = await memorySession({ userDataDir: dir, samplePath: async () => sample });
    expect(await dispatch(createHandlers(withSample), 'openSample', {})).toMatchObject({ path: sample });
    expect(await dispatch(createHandlers(withSample), 'recentSources', {})).toEqual([]);
    await withSample.close();
  });

  it('an unexpected error becomes INTERNAL with its message and no stack', async () => {
    const store = session.store as NamedMemoryStore;
    vi.spyOn(store, 'listThreads').mockRejectedValue(new TypeError('boom'));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const error = (await call('listThreads').catch((e: unknown) => e)) as StoreError;
    expect(error).toBeInstanceOf(StoreError);
    expect([error.code, error.message]).toEqual(['INTERNAL', 'boom']);
    expect(logged).toHaveBeenCalledOnce();
  });

  it('a store error keeps its code', async () => {
    vi.spyOn(session.store, 'put').mockRejectedValue(new StoreError('READ_ONLY', 'the export file is read-only'));
    expect(await failure(call('put', { event }))).toEqual({ code: 'READ_ONLY', message: 'the export file is read-only' });
  });

  it('cancelJob is false for a job that is not running', async () => {
    expect(await call('cancelJob', { jobId: 'nope' })).toBe(false);
  });
});

describe('the sample store', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-sample-'));
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const openDefaultSample = async () => {
    const session = await Session.create(null, { transport: 'browser', workerUrl: null });
    try {
      return await dispatch(createHandlers(session), 'openSample', {});
    } finally {
      await session.close();
    }
  };

  it("is made in the user's own folder, ~/.run-inspector, private — not in the shared temp folder", async () => {
    vi.stubEnv('RUN_INSPECTOR_USER_DATA', '');
    vi.stubEnv('HOME', dir);
    const file = path.join(dir, '.run-inspector', 'sample.db');
    expect(await openDefaultSample()).toEqual({ kind: 'sqlite', path: file, readOnly: false });
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(await sampleStore()).toBe(file);
  });

  it('is made in RUN_INSPECTOR_USER_DATA when that is set', async () => {
    vi.stubEnv('RUN_INSPECTOR_USER_DATA', path.join(dir, 'profile'));
    expect(await openDefaultSample()).toMatchObject({ path: path.join(dir, 'profile', 'sample.db') });
    expect(fs.existsSync(path.join(dir, 'profile', 'sample.db'))).toBe(true);
  });
});
