import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testEvent } from '../../test/support/event-input.ts';
import { compareRuns } from '../compare/compare-runs.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { compareOpenRuns } from './compare-job.ts';
import { JobRunner } from './job-runner.ts';

const events = [
  testEvent({ event_type: 'llm.human.input', content: { type: 'human', content: 'Find it' } }),
  testEvent({ content: 'Down 12%' }),
  testEvent({ run_id: 'r2', event_type: 'llm.human.input', content: { type: 'human', content: 'Find it' } }),
  testEvent({ run_id: 'r2', content: 'Down 8%' }),
];
const a = { threadId: 't1', runId: 'r1' };
const b = { threadId: 't1', runId: 'r2' };

describe('compareOpenRuns', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-compare-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const jobs = (workerUrl?: null) => new JobRunner({ workerUrl, onProgress: () => {}, onDone: () => {} });

  it("compares a SQLite source's runs in the job worker as in-process, and says NOT_FOUND from there too", async () => {
    const store = openSqliteStore(path.join(dir, 'runs.db'), { create: true });
    await store.putBatch(events);
    try {
      const runner = jobs();
      expect(runner.hasWorker).toBe(true);
      const inWorker = await compareOpenRuns(store, runner, a, b);
      expect(inWorker.steps.map(({ kind }) => kind)).toEqual(['same', 'changed']);
      expect(inWorker).toEqual(await compareRuns(store, a, b));
      await expect(compareOpenRuns(store, runner, a, { threadId: 't1', runId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await store.close();
    }
  });

  it('compares a memory source in-process, with or without a worker', async () => {
    const store = new MemoryStore();
    await store.putBatch(events);
    for (const runner of [jobs(), jobs(null)]) expect((await compareOpenRuns(store, runner, a, b)).steps.map(({ kind }) => kind)).toEqual(['same', 'changed']);
  });
});
