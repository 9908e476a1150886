// runSummary's figures for every run of the generated stores, against a count
// made here, event by event, with no help from the code under test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { InspectorStore, JsonObject, JsonValue, RunEvent } from '../../src-shared/types.ts';
import { E2E_STORE, generateEvents, planThreads, writeSampleStore, type GenerateOptions } from '../generator/generate.ts';
import { writeSqliteStore } from '../generator/write-store.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { runAnatomy } from './run-anatomy.ts';

const WITH_LONG_RUN: GenerateOptions = { ...E2E_STORE, longRunEvents: 3_000 };

const asObject = (value: JsonValue | undefined): JsonObject | undefined => {
  if (typeof value === 'string' && value.startsWith('{')) {
    try {
      return asObject(JSON.parse(value) as JsonValue);
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
};
const num = (value: JsonValue | undefined) => (typeof value === 'number' ? value : 0);

async function directCount(store: InspectorStore, threadId: string, runId: string) {
  const events: RunEvent[] = await store.listEvents(threadId, runId, { limit: 100_000 });
  const ai = events.filter((e) => e.event_type === 'llm.ai.response' || e.event_type === 'ai_message');
  const tokens = { input: 0, output: 0, total: 0 };
  for (const e of ai) {
    const usage = asObject(asObject(e.content)?.usage_metadata) ?? asObject(e.metadata.usage);
    if (!usage) continue;
    tokens.input += num(usage.input_tokens);
    tokens.output += num(usage.output_tokens);
    tokens.total += typeof usage.total_tokens === 'number' ? usage.total_tokens : num(usage.input_tokens) + num(usage.output_tokens);
  }
  const lifecycle = events.filter((e) => ['run.end', 'run_end', 'run.error', 'run_error'].includes(e.event_type)).at(-1);
  const start = events.find((e) => e.event_type === 'run.start' || e.event_type === 'run_start');
  const times = events.map((e) => Date.parse(e.created_at));
  const recorded = await store.recordedRun(threadId, runId);
  // The contract's words: the runs row's status, else error if the run has a run.error, success if it has a run.end, else running.
  const has = (...types: string[]) => events.some((e) => types.includes(e.event_type));
  const statusFromEvents = has('run.error', 'run_error') ? 'error' : has('run.end', 'run_end') ? 'success' : 'running';
  return {
    llm_calls: ai.length,
    tool_calls: ai.reduce((sum, e) => {
      const calls = asObject(e.content)?.tool_calls;
      return sum + (Array.isArray(calls) ? calls.filter((c) => asObject(c) !== undefined).length : 0);
    }, 0),
    tool_errors: events.filter((e) => e.event_type === 'llm.tool.result' && asObject(e.content)?.status === 'error').length,
    subagent_tasks: new Set(events.filter((e) => e.event_type === 'subagent.start').map((e) => e.metadata.task_id)).size,
    tokens,
    status: recorded?.status ?? statusFromEvents,
    started: start ? Date.parse(start.created_at) : Math.min(...times),
    ended: lifecycle ? Date.parse(lifecycle.created_at) : Math.max(...times),
  };
}

async function checkEveryRun(store: InspectorStore): Promise<number> {
  let runs = 0;
  for (const thread of await store.listThreads()) {
    for (const run of await store.listRuns(thread.thread_id)) {
      const anatomy = await runAnatomy(store, thread.thread_id, run.run_id);
      const expected = await directCount(store, thread.thread_id, run.run_id);
      const { llm_calls, tool_calls, tool_errors, subagent_tasks, tokens, status } = anatomy;
      expect(
        { llm_calls, tool_calls, tool_errors, subagent_tasks, tokens, status, started: Date.parse(anatomy.started_at ?? ''), ended: Date.parse(anatomy.ended_at ?? '') },
        `${thread.thread_id} ${run.run_id}`,
      ).toEqual(expected);
      // The Runs tab shows the same three figures.
      expect([run.llm_calls, run.tool_calls, run.tool_errors]).toEqual([llm_calls, tool_calls, tool_errors]);
      runs++;
    }
  }
  return runs;
}

describe('runSummary over the generated stores', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-anatomy-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('counts every run of the e2e store with its long run as a direct count does (memory)', async () => {
    const store = new MemoryStore();
    await store.putBatch([...generateEvents(WITH_LONG_RUN)].map(({ seq: _seq, ...input }) => input));
    const runs = await checkEveryRun(store);
    expect(runs).toBeGreaterThan(planThreads(WITH_LONG_RUN).length);
  });

  it('counts every run of the sample and the e2e store as a direct count does, status from their runs rows (SQLite)', async () => {
    const sample = path.join(dir, 'sample.db');
    await writeSampleStore(sample);
    const e2e = path.join(dir, 'e2e.db');
    await writeSqliteStore(e2e, generateEvents(WITH_LONG_RUN), planThreads(WITH_LONG_RUN));
    for (const file of [sample, e2e]) {
      const store = openSqliteStore(file, { create: false });
      try {
        expect(await checkEveryRun(store)).toBeGreaterThan(5);
      } finally {
        await store.close();
      }
    }
  });
});
