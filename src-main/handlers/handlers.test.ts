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
  /** One exported event, as DeerFlow's JSONL writes it. */
  const exportLine = `${JSON.stringify({ ...event, seq: 1, content: 'hi', metadata: {}, created_at: '2026-04-04T00:49:25.123456+00:00' })}\n`;

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
    fs.writeFileSync(path.join(dir, 'a.db'), '');
    fs.mkdirSync(path.join(dir, 'store'));
    const info = await call('openSource', { path: path.join(dir, 'a.db') });
    expect(info).toEqual({ kind: 'sqlite', path: path.join(dir, 'a.db'), readOnly: false });
    expect(closed).toHaveBeenCalled();
    expect(pushes).toEqual([{ channel: 'store:changed', message: { threadIds: null } }]);
    await call('openSource', { path: path.join(dir, 'store') });
    await call('openSource', { path: path.join(dir, 'a.db') });
    const recents = (await call('recentSources')) as { path: string; kind: string; exists: boolean }[];
    expect(recents.map((r) => [r.path, r.kind, r.exists])).toEqual([
      [path.join(dir, 'a.db'), 'sqlite', true],
      [path.join(dir, 'store'), 'jsonl', true],
    ]);
    const reloaded = await memorySession({ userDataDir: dir });
    expect(await dispatch(createHandlers(reloaded), 'recentSources', {})).toEqual(recents);
    await reloaded.close();
  });

  it('greys a recent source that is gone, opens it never, and forgets it or the whole list on request', async () => {
    const [kept, gone] = [path.join(dir, 'kept.db'), path.join(dir, 'gone.db')];
    for (const file of [gone, kept]) {
      fs.writeFileSync(file, '');
      await call('openSource', { path: file });
    }
    fs.rmSync(gone);
    expect(((await call('recentSources')) as { path: string; exists: boolean }[]).map((r) => [r.path, r.exists])).toEqual([
      [kept, true],
      [gone, false],
    ]);
    pushes.length = 0;
    expect(await failure(call('openRecent', { path: gone }))).toEqual({ code: 'NOT_FOUND', message: `${gone} was moved or deleted` });
    expect([fs.existsSync(gone), session.info.path, pushes]).toEqual([false, kept, []]);
    expect(((await call('forgetRecent', { path: gone })) as { path: string }[]).map((r) => r.path)).toEqual([kept]);
    expect(await call('openRecent', { path: kept })).toMatchObject({ path: kept });
    expect(await call('clearRecent')).toEqual([]);
    const reloaded = await memorySession({ userDataDir: dir });
    expect(await dispatch(createHandlers(reloaded), 'recentSources', {})).toEqual([]);
    await reloaded.close();
  });

  it('tells the desktop shell of every change to the recent list (it mirrors them in the OS and the menu)', async () => {
    const changes: unknown[] = [];
    const file = path.join(dir, 'a.db');
    fs.writeFileSync(file, '');
    const mirrored = await memorySession({ userDataDir: dir, onRecentChanged: (change) => changes.push(change) });
    const handlers = createHandlers(mirrored);
    await dispatch(handlers, 'openSource', { path: file });
    await dispatch(handlers, 'openSample', {}).catch(() => undefined);
    await dispatch(handlers, 'forgetRecent', { path: file });
    await dispatch(handlers, 'clearRecent', {});
    expect(changes).toEqual([{ kind: 'added', path: file }, { kind: 'removed', path: file }, { kind: 'cleared' }]);
    await mirrored.close();
  });

  it('uses the desktop app\'s pickers when it has them', async () => {
    const picked: unknown[] = [];
    const handlers = createHandlers(session, {
      pickers: {
        open: async (kind) => (picked.push(kind), null),
        importJsonl: async (from) => (picked.push(from), { jobId: 'j1' }),
        export: async (scope) => (picked.push(scope), null),
        repairedExport: async () => (picked.push('repaired'), { jobId: 'j2' }),
      },
    });
    expect(await dispatch(handlers, 'pickAndOpen', { kind: 'new-database' })).toBeNull();
    expect(await dispatch(handlers, 'pickImport', { dropId: 'd1' })).toEqual({ jobId: 'j1' });
    expect(await dispatch(handlers, 'pickExport', { threadId: 't1' })).toBeNull();
    expect(await dispatch(handlers, 'pickRepairedExport', {})).toEqual({ jobId: 'j2' });
    expect(picked).toEqual(['new-database', { dropId: 'd1' }, { threadId: 't1' }, 'repaired']);
  });

  it("a script's import (rpc) keeps DESIGN.md's SOURCE rules: a relative path, a new database's missing folders made", async () => {
    const input = path.join(dir, 'export.jsonl');
    fs.writeFileSync(input, exportLine);
    const into = path.join(dir, 'new', 'folder', 'runs.db');
    const done = new Promise((resolve) => session.push.subscribe((push) => push.channel === 'job:done' && resolve(push.message)));
    const handlers = createHandlers(session, { caller: 'script' });
    await dispatch(handlers, 'importJsonl', { path: path.relative(process.cwd(), input), into });
    expect(await done).toMatchObject({ ok: true, summary: { imported: 1, into } });
    // The same call from a page names the folder it would have had to make.
    const refused = await failure(call('importJsonl', { path: input, into: path.join(dir, 'other', 'runs.db') }));
    expect([refused.code, refused.message]).toEqual(['NOT_FOUND', `into: ${path.join(dir, 'other')}: no such folder`]);
  });

  it('openImported opens the database an import of this session wrote, named by its job only', async () => {
    const input = path.join(dir, 'export.jsonl');
    fs.writeFileSync(input, exportLine);
    const into = path.join(dir, 'imported.db');
    const done = new Promise((resolve) => session.push.subscribe((push) => push.channel === 'job:done' && resolve(push.message)));
    const { jobId } = (await call('importJsonl', { path: input, into })) as { jobId: string };
    await done;
    expect(await call('openImported', { jobId })).toMatchObject({ kind: 'sqlite', path: into });
    expect(await failure(call('openImported', { jobId: 'no-such-job' }))).toEqual({ code: 'NOT_FOUND', message: 'job no-such-job: no import of this session has that id' });
  });

  it('starts with no recent sources when their file is damaged', async () => {
    fs.writeFileSync(path.join(dir, 'recent-sources.json'), '[{"path": 1}');
    expect(await call('recentSources')).toEqual([]);
  });

  it('keeps the open source when another cannot be opened', async () => {
    await call('put', { event });
    pushes.length = 0;
    fs.writeFileSync(path.join(dir, 'missing.db'), '');
    const { code, message } = await failure(call('openSource', { path: path.join(dir, 'missing.db') }));
    expect([code, message]).toEqual(['SOURCE', `${path.join(dir, 'missing.db')}: no such database`]);
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
