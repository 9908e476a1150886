// The slow-query log (issue 14): a statement slower than 40 ms is a debug
// line naming it, written only when debugging. The statement is slow for a
// real reason: another process holds the database's exclusive lock (a
// rollback-journal file, as DeerFlow leaves it), so the read waits for it.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildDatabase, makeTempDir, startScript, waitForLine } from '../../../test/reliability/support.ts';
import { spawnRpc } from '../../../test/support/cli-process.ts';
import { openSqliteStore } from './sqlite-store.ts';

/** How long the lock holder keeps the lock once it says so: far above 40 ms, whatever this machine's load. */
const HOLD_MS = '400';
const SLOW_COUNT = /^run-inspector: slow query countMessages: (\d+) ms\n$/;

/** Another process holds `file`'s exclusive lock for HOLD_MS from when this resolves; `released` once it let go. */
async function lockFor(file: string): Promise<{ released: Promise<void> }> {
  const holder = startScript('lock-holder.ts', [file, 'exclusive', HOLD_MS]);
  const released = waitForLine(holder, 'released');
  await waitForLine(holder, 'locked');
  return { released };
}

describe('the slow-query log', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let file: string;
  const debugBefore = process.env.RUN_INSPECTOR_DEBUG;

  beforeEach(() => {
    temp = makeTempDir('ri-slow-query-');
    // deerflow.sql: thread-0 … thread-3 of 100 events each; thread-2 holds messages.
    file = buildDatabase('deerflow.sql', path.join(temp.dir, 'locked.db'));
  });
  afterEach(() => {
    if (debugBefore === undefined) delete process.env.RUN_INSPECTOR_DEBUG;
    else process.env.RUN_INSPECTOR_DEBUG = debugBefore;
    vi.restoreAllMocks();
    temp.remove();
  });

  it('names a statement that waited for a lock, with its time, only at debug level', async () => {
    const store = openSqliteStore(file, { create: false, readOnly: true });
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
    try {
      delete process.env.RUN_INSPECTOR_DEBUG;
      const quiet = await lockFor(file);
      expect(await store.countMessages('thread-2')).toBe(100);
      await quiet.released;
      expect(written).toEqual([]);

      process.env.RUN_INSPECTOR_DEBUG = '1';
      const logged = await lockFor(file);
      expect(await store.countMessages('thread-2')).toBe(100);
      await logged.released;
      // A fast statement (no lock to wait for) says nothing.
      expect(await store.countMessages('thread-0')).toBe(100);
      expect(written).toHaveLength(1);
      const [, ms] = SLOW_COUNT.exec(written[0]) ?? [];
      expect(Number(ms)).toBeGreaterThan(40);
    } finally {
      await store.close();
    }
  });

  it("is switched on by the CLI's --debug", async () => {
    const rpc = spawnRpc([file, '--debug'], { env: { ...process.env, RUN_INSPECTOR_DEBUG: undefined } });
    try {
      // Opened first (its schema read), so only the count below waits for the lock.
      rpc.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'sourceInfo' }));
      await rpc.next();
      const { released } = await lockFor(file);
      rpc.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'countMessages', params: { threadId: 'thread-2' } }));
      expect(await rpc.next()).toMatchObject({ id: 2, result: 100 });
      await released;
    } finally {
      rpc.end();
      await rpc.exited;
    }
    const [, ms] = SLOW_COUNT.exec(rpc.stderr()) ?? [];
    expect(Number(ms)).toBeGreaterThan(40);
  });
});
