import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { InspectorStore, SearchResult } from '../../src-shared/types.ts';
import type { SearchEngine } from '../search/search-engine.ts';
import { createHandlers, dispatch } from './handlers.ts';
import { Session } from './session.ts';
import { SourceSearch } from './source-search.ts';

const READY = { state: 'ready', indexed: 0, total: 0 } as const;

/** An engine whose refresh resolves only when the test says so. */
function fakeEngine() {
  const refreshes: (() => void)[] = [];
  const engine = {
    search: vi.fn(async (): Promise<SearchResult> => ({ hits: [], nextCursor: null, index: READY })),
    status: () => READY,
    refresh: vi.fn(() => new Promise<void>((resolve) => refreshes.push(resolve))),
    close: vi.fn(async () => {}),
  } satisfies SearchEngine;
  return { engine, finishRefresh: () => refreshes.shift()!() };
}

const storeA = { info: { kind: 'sqlite', path: '/a.db', readOnly: false } } as InspectorStore;
const storeB = { info: { kind: 'sqlite', path: '/b.db', readOnly: false } } as InspectorStore;

describe('SourceSearch', () => {
  it('opens the engine at the first search, not before, and keeps it for the next', async () => {
    const { engine } = fakeEngine();
    const open = vi.fn(async () => engine);
    const search = new SourceSearch(open);
    search.changed();
    expect(open).not.toHaveBeenCalled();
    await search.search(storeA, 'x', {});
    await search.search(storeA, 'y', { limit: 3 });
    expect(open).toHaveBeenCalledTimes(1);
    expect(open).toHaveBeenCalledWith(storeA);
    expect(engine.search).toHaveBeenLastCalledWith('y', { limit: 3 });
    expect(engine.refresh).not.toHaveBeenCalled();
  });

  it("starts a refresh at each of the app's changes, and the next search waits for it", async () => {
    const { engine, finishRefresh } = fakeEngine();
    const search = new SourceSearch(async () => engine);
    await search.search(storeA, 'x', {});
    search.changed();
    await vi.waitFor(() => expect(engine.refresh).toHaveBeenCalledTimes(1));
    let answered = false;
    const next = search.search(storeA, 'x', {}).then(() => (answered = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect([answered, engine.search.mock.calls.length]).toEqual([false, 1]);
    finishRefresh();
    await next;
    expect(engine.search).toHaveBeenCalledTimes(2);
  });

  it('closes the engine with its source, and opens one for the next source at its first search', async () => {
    const first = fakeEngine().engine;
    const second = fakeEngine().engine;
    const open = vi.fn().mockResolvedValueOnce(first).mockResolvedValueOnce(second);
    const search = new SourceSearch(open);
    await search.search(storeA, 'x', {});
    await search.close();
    expect(first.close).toHaveBeenCalledTimes(1);
    search.changed();
    await search.search(storeB, 'x', {});
    expect(open).toHaveBeenLastCalledWith(storeB);
    expect(second.search).toHaveBeenCalledTimes(1);
    expect(second.refresh).not.toHaveBeenCalled();
  });

  it('tries again at the next search when an engine could not be opened', async () => {
    const { engine } = fakeEngine();
    const open = vi.fn().mockRejectedValueOnce(new Error('disk full')).mockResolvedValueOnce(engine);
    const search = new SourceSearch(open);
    await expect(search.search(storeA, 'x', {})).rejects.toThrow('disk full');
    await search.search(storeA, 'x', {});
    expect(open).toHaveBeenCalledTimes(2);
    await search.close();
    expect(engine.close).toHaveBeenCalledTimes(1);
  });
});

describe('search in the session', () => {
  it("answers from the open source, and from the next one (a new database) once it is replaced, seeing the app's writes", async () => {
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-session-search-'));
    const session = await Session.create(null, { transport: 'browser', userDataDir, workerUrl: null });
    const handlers = createHandlers(session);
    const put = (thread_id: string, content: string) => dispatch(handlers, 'put', { event: { thread_id, run_id: 'r1', event_type: 'llm.ai.response', category: 'message', content } });
    const found = async () => (await session.search('needle', {})).hits.map((hit) => hit.thread_id);
    try {
      await put('t1', 'needle');
      expect(await found()).toEqual(['t1']);
      await session.open(path.join(userDataDir, 'other.db'));
      expect(await found()).toEqual([]);
      await put('t2', 'a needle');
      expect(await found()).toEqual(['t2']);
    } finally {
      await session.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    }
  });
});
