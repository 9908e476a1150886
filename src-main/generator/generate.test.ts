import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue, RunEvent } from '../../src-shared/types.ts';
import { checkEventInput } from '../store/validate.ts';
import { E2E_STORE, generateEvents, LONG_RUN_THREAD_ID, planThreads, STOPPED_RUNS_THREAD_ID, threadDisplayNames, unansweredCallThread, type GenerateOptions } from './generate.ts';
import { findShapes } from '../../test/support/shapes.ts';

const OPTIONS: GenerateOptions = { seed: 42, threads: 6, totalEvents: 2_000, bigThreadEvents: 600 };
const events = [...generateEvents(OPTIONS)];

const isObject = (value: JsonValue | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
function groupBy(list: RunEvent[], key: (event: RunEvent) => string): Map<string, RunEvent[]> {
  const groups = new Map<string, RunEvent[]>();
  for (const event of list) {
    const group = groups.get(key(event));
    if (group) group.push(event);
    else groups.set(key(event), [event]);
  }
  return groups;
}
const byThread = (list: RunEvent[]) => groupBy(list, (event) => event.thread_id);
const byRun = (list: RunEvent[]) => groupBy(list, (event) => `${event.thread_id}/${event.run_id}`);
const ofType = (type: string) => events.filter((event) => event.event_type === type);

describe('generateEvents', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect([...generateEvents(OPTIONS)]).toEqual(events);
    const other = [...generateEvents({ ...OPTIONS, seed: 43 })];
    expect(other.map((e) => e.thread_id)).not.toEqual(events.map((e) => e.thread_id));
  });

  it('honours the total, the big thread and the thread count', () => {
    expect(events).toHaveLength(2_000);
    const threads = byThread(events);
    expect(threads.size).toBe(6);
    const plans = planThreads(OPTIONS);
    expect(threads.get(plans[0].thread_id)).toHaveLength(600);
    for (const plan of plans) expect(threads.get(plan.thread_id)).toHaveLength(plan.events);
    expect([...threadDisplayNames(OPTIONS).keys()]).toEqual([...threads.keys()]);
  });

  it('puts one very long run in the big thread, so a trace page can be full', () => {
    const big = [...byRun(events.filter((e) => e.thread_id === planThreads(OPTIONS)[0].thread_id)).values()];
    expect(Math.max(...big.map((run) => run.length))).toBe(150);
  });

  it('gives each thread a natural size when no total is asked for', () => {
    const natural = [...generateEvents({ seed: 1, threads: 3 })];
    expect(byThread(natural).size).toBe(3);
    for (const plan of planThreads({ seed: 1, threads: 3 })) expect(natural.filter((e) => e.thread_id === plan.thread_id)).toHaveLength(plan.events);
  });

  it('numbers seqs 1, 2, 3… per thread with created_at in DeerFlow form, always increasing', () => {
    for (const thread of byThread(events).values()) {
      expect(thread.map((e) => e.seq)).toEqual(thread.map((_, i) => i + 1));
      for (let i = 1; i < thread.length; i++) expect(thread[i].created_at > thread[i - 1].created_at).toBe(true);
    }
    for (const event of events) expect(event.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/);
  });

  it('uses ids that are safe as path parts', () => {
    for (const event of events) {
      expect(event.thread_id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      expect(event.run_id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    }
  });

  it('produces only events the store accepts', () => {
    for (const event of events) expect(() => checkEventInput(event)).not.toThrow();
  });

  it('writes DeerFlow key order and no user_id', () => {
    expect(Object.keys(events[0])).toEqual(['thread_id', 'run_id', 'event_type', 'category', 'content', 'metadata', 'seq', 'created_at']);
  });

  it('starts every run with a start event and ends it with an end or error event, but for one the next run interrupted', () => {
    const unended: RunEvent[][] = [];
    for (const run of byRun(events).values()) {
      expect(['run.start', 'run_start']).toContain(run[0].event_type);
      if (!['run.end', 'run.error', 'run_end', 'run_error'].includes(run[run.length - 1].event_type)) unended.push(run);
    }
    expect(unended).toHaveLength(1);
    const [interrupted] = unended;
    expect(interrupted.map((e) => e.category)).toEqual(['trace', 'context', 'middleware', 'trace']);
    expect(events.some((e) => e.thread_id === interrupted[0].thread_id && e.seq > interrupted[interrupted.length - 1].seq && e.event_type === 'run.start')).toBe(true);
  });

  it('covers the event catalog with the right categories', () => {
    const categories = new Map(events.map((e) => [e.event_type.startsWith('middleware:') ? 'middleware:*' : e.event_type, e.category]));
    expect(Object.fromEntries(categories)).toMatchObject({
      'run.start': 'trace',
      'context:memory': 'context',
      'middleware:*': 'middleware',
      'llm.human.input': 'message',
      'llm.ai.response': 'message',
      'llm.tool.result': 'message',
      'subagent.start': 'subagent',
      'subagent.step': 'subagent',
      'subagent.end': 'subagent',
      'llm.error': 'trace',
      workspace_changes: 'workspace',
      'run.end': 'outputs',
      'run.error': 'error',
      ai_message: 'message',
      run_start: 'lifecycle',
      run_end: 'lifecycle',
    });
    for (const start of ofType('run.start')) expect(start.content).toEqual({ chain: 'lead_agent' });
    for (const end of ofType('run.end')) expect(end.metadata.status).toBe('success');
    for (const error of ofType('run.error')) {
      expect(typeof error.content).toBe('string');
      expect(typeof error.metadata.error_type).toBe('string');
    }
  });

  it('pairs every tool result with an earlier tool call of its run', () => {
    for (const run of byRun(events).values()) {
      const calls = new Set<string>();
      for (const event of run) {
        const content = event.content;
        if (!isObject(content)) continue;
        const toolCalls = event.event_type === 'llm.ai.response' ? content.tool_calls : undefined;
        if (Array.isArray(toolCalls)) for (const call of toolCalls) if (isObject(call)) calls.add(String(call.id));
        if (event.event_type === 'llm.tool.result') expect(calls).toContain(content.tool_call_id);
        if (event.category === 'subagent') expect(calls).toContain(event.metadata.task_id);
      }
    }
  });

  it('shapes LangChain dumps as DeerFlow persists them', () => {
    const ai = ofType('llm.ai.response').map((e) => e.content).filter(isObject).filter((c) => c.type === 'ai');
    const withCalls = ai.find((c) => Array.isArray(c.tool_calls) && c.tool_calls.length > 0);
    expect(withCalls?.tool_calls).toEqual(expect.arrayContaining([expect.objectContaining({ id: expect.any(String), name: expect.any(String), args: expect.any(Object) })]));
    expect(ai[0]).toMatchObject({ usage_metadata: { input_tokens: expect.any(Number), output_tokens: expect.any(Number), total_tokens: expect.any(Number) }, response_metadata: { model_name: expect.any(String), finish_reason: expect.any(String) } });
    expect(ai.some((c) => isObject(c.additional_kwargs) && c.additional_kwargs.hide_from_ui === true)).toBe(true);
    expect(ai.some((c) => isObject(c.additional_kwargs) && typeof c.additional_kwargs.reasoning_content === 'string')).toBe(true);
    expect(ofType('llm.human.input').some((e) => isObject(e.content) && e.content.type === 'human')).toBe(true);
    expect(ofType('llm.tool.result').some((e) => isObject(e.content) && e.content.type === 'tool')).toBe(true);
    const callers = new Set(ofType('llm.ai.response').map((e) => String(e.metadata.caller).split(':')[0]));
    expect(callers).toEqual(new Set(['lead_agent', 'subagent', 'middleware']));
    expect(ofType('llm.ai.response').every((e) => typeof e.metadata.latency_ms === 'number' && isObject(e.metadata.usage))).toBe(true);
  });

  it('includes the rare shapes the timeline must render', () => {
    const messages = events.filter((e) => e.category === 'message');
    const json = (e: RunEvent) => JSON.stringify(e.content);
    expect(messages.some((e) => isObject(e.content) && e.content.role === 'assistant' && Array.isArray(e.content.tool_calls))).toBe(true);
    expect(messages.some((e) => isObject(e.content) && e.content.role === 'tool')).toBe(true);
    expect(messages.some((e) => typeof e.content === 'string' && e.event_type === 'llm.human.input')).toBe(true);
    expect(messages.some((e) => json(e).includes('"type":"image_url"'))).toBe(true);
    expect(messages.some((e) => /[\u4e00-\u9fff]/.test(json(e)) && /\p{Extended_Pictographic}/u.test(json(e)))).toBe(true);
    expect(Math.max(...messages.map((e) => Buffer.byteLength(json(e))))).toBeGreaterThan(100_000);
    const truncated = events.filter((e) => e.metadata.content_truncated === true);
    expect(truncated.map((e) => e.category)).toEqual(['message', 'trace']);
    const text = (e: RunEvent) => (typeof e.content === 'string' ? e.content : String(isObject(e.content) ? e.content.content : ''));
    for (const event of truncated) {
      expect(event.metadata.original_byte_length).toBeGreaterThan(Buffer.byteLength(text(event)));
      expect(Buffer.byteLength(text(event))).toBeLessThanOrEqual(10_240);
    }
  });

  it('gives the e2e store each shape the specs need', () => {
    const e2e = [...generateEvents(E2E_STORE)];
    const shapes = findShapes(e2e);
    const plans = planThreads(E2E_STORE);
    expect(shapes.threadId).toBe(plans.find((plan) => plan.showcase)?.thread_id);
    expect(shapes.bigThreadId).toBe(plans.find((plan) => plan.big)?.thread_id);
    const plain = plans.find((plan) => plan.thread_id === shapes.plainMultiRunThreadId);
    expect(plain).toMatchObject({ big: false, showcase: false, legacy: false });
    expect(Buffer.byteLength(JSON.stringify(shapes.long.content))).toBeGreaterThan(100_000);
    expect(shapes.openAiResult.seq).toBeGreaterThan(shapes.openAiCall.seq);
    const thread = e2e.filter((e) => e.thread_id === shapes.threadId);
    expect(thread.filter((e) => e.run_id === shapes.messagelessRunId)).toHaveLength(4);
    // The showcase thread's latest run failed.
    expect(thread[thread.length - 1].event_type).toBe('run.error');
    expect(shapes.legacyHuman.thread_id).toBe(shapes.legacyOpenAiText.thread_id);
    expect(shapes.traceBeforeMessage.thread_id).toBe(shapes.bigThreadId);
  });

  it('writes a run left at an unanswered tool call, stamped from the given start', () => {
    const startMs = Date.parse('2026-04-04T12:00:00Z');
    const run = unansweredCallThread('live', startMs);
    expect(run.map((e) => [e.thread_id, e.seq, e.event_type])).toEqual([
      ['live', 1, 'run.start'],
      ['live', 2, 'llm.human.input'],
      ['live', 3, 'llm.ai.response'],
    ]);
    expect(new Set(run.map((e) => e.run_id)).size).toBe(1);
    const [call] = run[2].content && isObject(run[2].content) && Array.isArray(run[2].content.tool_calls) ? run[2].content.tool_calls : [];
    expect(isObject(call) && typeof call.id === 'string').toBe(true);
    const times = run.map((e) => Date.parse(e.created_at) - startMs);
    expect(times.every((ms, i) => ms >= 0 && ms < 60_000 && (i === 0 || ms > times[i - 1]))).toBe(true);
  });

  it('keeps older-vintage runs in one thread, with string content', () => {
    const legacy = events.filter((e) => e.category === 'lifecycle' || e.event_type === 'ai_message');
    expect(new Set(legacy.map((e) => e.thread_id)).size).toBe(1);
    expect(legacy.every((e) => typeof e.content === 'string')).toBe(true);
  });

  it('streams lazily: the first event comes without building the rest', () => {
    const huge = generateEvents({ seed: 1, threads: 2_000, totalEvents: 50_000_000 });
    expect(huge.next().value?.seq).toBe(1);
  });

  it('adds a thread of one long run of exactly the size asked for, the other threads as they were', () => {
    for (const size of [4, 5, 57, 3_000]) {
      const withLong = [...generateEvents({ ...OPTIONS, longRunEvents: size })];
      const long = withLong.filter((e) => e.thread_id === LONG_RUN_THREAD_ID);
      expect(long).toHaveLength(size);
      expect(withLong.slice(0, events.length)).toEqual(events);
      expect(new Set(long.map((e) => e.run_id)).size).toBe(1);
      expect([long[0].event_type, long[long.length - 1].event_type]).toEqual(['run.start', 'run.end']);
      for (const event of long) expect(() => checkEventInput(event)).not.toThrow();
    }
    expect(planThreads({ ...OPTIONS, longRunEvents: 10 }).at(-1)).toMatchObject({ thread_id: LONG_RUN_THREAD_ID, events: 10, longRun: true });
  });

  it('adds a last thread of a run loop detection stops and one a guardrail ends, after the long run, the other threads as they were', () => {
    const all = [...generateEvents({ ...OPTIONS, longRunEvents: 10, stoppedRuns: true })];
    const stopped = all.filter((e) => e.thread_id === STOPPED_RUNS_THREAD_ID);
    expect(all.slice(0, events.length)).toEqual(events);
    expect(all.at(-1)?.thread_id).toBe(STOPPED_RUNS_THREAD_ID);
    expect(planThreads({ ...OPTIONS, longRunEvents: 10, stoppedRuns: true }).at(-1)).toMatchObject({ thread_id: STOPPED_RUNS_THREAD_ID, events: stopped.length, stopped: true });
    const runs = [...groupBy(stopped, (e) => e.run_id).values()];
    expect(runs.map((run) => run.filter((e) => e.event_type.startsWith('middleware:')).map((e) => isObject(e.content) && e.content.action))).toEqual([['hard_stop'], ['deny']]);
    expect(runs.map((run) => run.at(-1)?.event_type)).toEqual(['run.end', 'run.end']);
  });

  it('fills the long run with parallel tool calls, two subagent tasks at once and middleware', () => {
    const long = [...generateEvents({ seed: 3, threads: 1, longRunEvents: 3_000 })].filter((e) => e.thread_id === LONG_RUN_THREAD_ID);
    const callsOf = (e: RunEvent) => (isObject(e.content) && Array.isArray(e.content.tool_calls) ? e.content.tool_calls : []);
    const parallel = long.filter((e) => e.event_type === 'llm.ai.response' && callsOf(e).length >= 2);
    expect(parallel.filter((e) => callsOf(e).every((call) => isObject(call) && call.name !== 'task')).length).toBeGreaterThan(50);
    expect(parallel.filter((e) => callsOf(e).every((call) => isObject(call) && call.name === 'task')).length).toBeGreaterThan(5);
    // Two tasks at once: a task starts while another has not ended, and their steps interleave.
    const open = new Set<unknown>();
    let overlapping = 0;
    let interleaved = 0;
    let lastStepTask: unknown;
    for (const event of long) {
      const task = event.metadata.task_id;
      if (event.event_type === 'subagent.start') overlapping += open.size > 0 ? 1 : 0;
      if (event.event_type === 'subagent.start') open.add(task);
      if (event.event_type === 'subagent.end') open.delete(task);
      if (event.event_type === 'subagent.step') {
        if (lastStepTask !== undefined && lastStepTask !== task && open.has(lastStepTask)) interleaved++;
        lastStepTask = task;
      }
    }
    expect(overlapping).toBeGreaterThan(5);
    expect(interleaved).toBeGreaterThan(5);
    expect(long.filter((e) => e.event_type.startsWith('middleware:')).length).toBeGreaterThan(20);
    expect(long.filter((e) => e.event_type === 'llm.ai.response' && e.metadata.caller !== 'lead_agent').length).toBeGreaterThan(5);
  });

  it('rejects counts that cannot be honoured', () => {
    expect(() => planThreads({ seed: 1, threads: 1, longRunEvents: 3 })).toThrow(RangeError);
    expect(() => planThreads({ seed: 1, threads: 0 })).toThrow(RangeError);
    expect(() => planThreads({ seed: 1, threads: 10, totalEvents: 20 })).toThrow(/cannot be split over 10 threads \(/);
    expect(() => planThreads({ seed: 1, threads: 1, totalEvents: 100, bigThreadEvents: 50 })).toThrow(/cannot be split over 1 thread \(/);
    expect(() => planThreads({ seed: 1.5, threads: 1 })).toThrow(RangeError);
  });
});
