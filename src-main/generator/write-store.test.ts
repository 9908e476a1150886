import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src-shared/types.ts';
import { openJsonlStore } from '../store/jsonl/jsonl-store.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { E2E_STORE, generateEvents, planThreads, writeSampleStore, type GenerateOptions } from './generate.ts';
import { findShapes } from '../../test/support/shapes.ts';
import { writeJsonlLayout, writeSqliteStore } from './write-store.ts';

const OPTIONS: GenerateOptions = { seed: 7, threads: 4, totalEvents: 300 };
const CLI = path.join(import.meta.dirname, 'generate-cli.ts');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'generator-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What the sqlite backend gives back without its DeerFlow content markers. */
function withoutMarkers(event: RunEvent): RunEvent {
  const { content_is_json: _json, content_is_dict: _dict, ...metadata } = event.metadata;
  const { user_id: _owner, ...rest } = event;
  return { ...rest, metadata };
}

describe('writeSqliteStore', () => {
  it('writes every event with its seq, and DeerFlow threads_meta and runs tables', async () => {
    const file = path.join(dir, 'nested', 'store.db');
    const plans = planThreads(OPTIONS);
    expect(await writeSqliteStore(file, generateEvents(OPTIONS), plans.slice(1), { batchSize: 64 })).toBe(300);
    const store = openSqliteStore(file, { create: false });
    try {
      const threads = await store.listThreads();
      expect(threads.map((t) => t.event_count).reduce((a, b) => a + b)).toBe(300);
      const names = new Map(threads.map((t) => [t.thread_id, t.display_name]));
      expect(names.get(plans[0].thread_id)).toBeNull();
      expect(names.get(plans[1].thread_id)).toBe(plans[1].display_name);
      const expected = [...generateEvents(OPTIONS)].filter((e) => e.thread_id === plans[1].thread_id);
      const messages = await store.listMessages(plans[1].thread_id, { afterSeq: 0, limit: 1000 });
      expect(messages.map(withoutMarkers)).toEqual(expected.filter((e) => e.category === 'message'));
      const runs = await store.listRuns(plans[1].thread_id);
      expect(runs.length).toBeGreaterThan(0);
      for (const run of runs) {
        expect(['success', 'error']).toContain(run.status);
        expect(run.model_name).toEqual(expect.any(String));
        expect(run.total_tokens).toBeGreaterThan(0);
      }
    } finally {
      await store.close();
    }
    expect(fs.readdirSync(path.dirname(file))).toEqual(['store.db']);
  });

  it('records why runs stopped short in the runs table: a run interrupted by the next, a failed one', async () => {
    const file = path.join(dir, 'e2e.db');
    await writeSqliteStore(file, generateEvents(E2E_STORE), []);
    const shapes = findShapes([...generateEvents(E2E_STORE)]);
    const store = openSqliteStore(file, { create: false });
    try {
      const runs = new Map((await store.listRuns(shapes.threadId)).map((run) => [run.run_id, run]));
      expect(runs.get(shapes.messagelessRunId)).toMatchObject({ status: 'interrupted', stop_reason: 'interrupted_by_new_run', message_count: 0 });
      expect(runs.get(shapes.runError.run_id)).toMatchObject({ status: 'error', error: shapes.runError.content });
    } finally {
      await store.close();
    }
  });

  it("names one run's original in its runs row: the second run of the first thread with two regenerates the first, the events untouched", async () => {
    const file = path.join(dir, 'e2e.db');
    const events = [...generateEvents(E2E_STORE)];
    await writeSqliteStore(file, events, []);
    const firstRuns = new Map<string, string[]>();
    for (const { thread_id, run_id } of events) {
      const runs = firstRuns.get(thread_id) ?? [];
      if (!runs.includes(run_id)) firstRuns.set(thread_id, [...runs, run_id]);
    }
    const [threadId, [original, regenerated]] = [...firstRuns].find(([, runs]) => runs.length >= 2)!;
    const store = openSqliteStore(file, { create: false });
    try {
      const withOriginal = [];
      for (const thread of firstRuns.keys()) withOriginal.push(...(await store.listRuns(thread)).filter((run) => run.original).map((run) => [thread, run.run_id, run.original]));
      expect(withOriginal).toEqual([[threadId, regenerated, { run_id: original, relation: 'regenerate' }]]);
      expect((await store.listThreads()).reduce((sum, thread) => sum + thread.event_count, 0)).toBe(events.length);
    } finally {
      await store.close();
    }
  });

  it('refuses to touch a file that exists', async () => {
    const file = path.join(dir, 'store.db');
    fs.writeFileSync(file, 'mine');
    await expect(writeSqliteStore(file, generateEvents(OPTIONS), [])).rejects.toThrow(/already exists/);
    expect(fs.readFileSync(file, 'utf8')).toBe('mine');
  });
});

describe('writeJsonlLayout', () => {
  it("writes DeerFlow's layout, one record a line, that the jsonl backend reads back", async () => {
    const root = path.join(dir, '.deer-flow');
    expect(writeJsonlLayout(root, generateEvents(OPTIONS))).toBe(300);
    const events = [...generateEvents(OPTIONS)];
    const first = events[0];
    const lines = fs.readFileSync(path.join(root, 'threads', first.thread_id, 'runs', `${first.run_id}.jsonl`), 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    const run = events.filter((e) => e.run_id === first.run_id);
    expect(lines.map((line) => JSON.parse(line))).toEqual(run);
    const mtime = fs.statSync(path.join(root, 'threads', first.thread_id, 'runs', `${first.run_id}.jsonl`)).mtimeMs;
    expect(mtime).toBe(Math.floor(Date.parse(run[run.length - 1].created_at)));
    const store = await openJsonlStore(root);
    try {
      expect(await store.sourceIssues()).toEqual([]);
      const threads = await store.listThreads();
      expect(threads.map((t) => t.event_count).reduce((a, b) => a + b)).toBe(300);
      expect(await store.listEvents(first.thread_id, first.run_id, { limit: 1000 })).toEqual(run);
    } finally {
      await store.close();
    }
  });
});

describe('writeSampleStore', () => {
  it('writes a small database with display names, an unused chat and every rare shape', async () => {
    const file = path.join(dir, 'sample.db');
    await writeSampleStore(file);
    const store = openSqliteStore(file, { create: false });
    try {
      const threads = await store.listThreads();
      const events = threads.reduce((sum, t) => sum + t.event_count, 0);
      expect(events).toBeGreaterThanOrEqual(200);
      expect(events).toBeLessThanOrEqual(1000);
      expect(threads.filter((t) => t.display_name !== null).length).toBeGreaterThanOrEqual(3);
      expect(threads.find((t) => t.display_name === 'New chat')).toMatchObject({ event_count: 0, run_count: 0 });
      const sizes = await Promise.all(threads.map(async (t) => (await store.listMessages(t.thread_id, { limit: 1000 })).map((m) => Buffer.byteLength(JSON.stringify(m.content)))));
      expect(Math.max(...sizes.flat())).toBeGreaterThan(100_000);
    } finally {
      await store.close();
    }
  });
});

describe('generate-cli', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

  it('writes the asked-for number of events in the asked-for format', () => {
    const out = path.join(dir, 'layout');
    const result = run('--events', '500', '--threads', '3', '--big-thread', '200', '--seed', '3', '--format', 'jsonl', '--out', out);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^500 events in 3 threads written to /);
    const threads = fs.readdirSync(path.join(out, 'threads'));
    expect(threads).toHaveLength(3);
    const lines = threads.flatMap((t) => fs.readdirSync(path.join(out, 'threads', t, 'runs')).map((r) => path.join(out, 'threads', t, 'runs', r)));
    expect(lines.map((f) => fs.readFileSync(f, 'utf8').split('\n').length - 1).reduce((a, b) => a + b)).toBe(500);
  });

  it('explains its arguments when they are wrong', () => {
    const result = run('--format', 'csv', '--out', path.join(dir, 'x'));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/usage: generate-cli\.ts/);
  });
});
