import { describe, expect, it } from 'vitest';
import type { JsonValue, RunEvent, RunSpan } from '../../src-shared/types.ts';
import { openAiAssistantMessage, openAiToolMessage } from '../generator/messages.ts';
import { guardrailDeniedRun, loopStoppedRun } from '../generator/runs.ts';
import { deriveSpans } from './spans.ts';
import { aiMessage, call, event, stamp, toolResult, writer } from '../../test/support/anatomy-events.ts';

/** name, kind, lane, status and the parent's name, a span as a reader of the waterfall sees it. */
const outline = (spans: RunSpan[]) => spans.map((s) => [s.kind, s.name, s.lane, s.status, s.parent === null ? null : spans[s.parent].name]);

describe('deriveSpans', () => {
  it('pairs parallel tool calls with their results by id, whatever order they come back in', () => {
    const { spans } = deriveSpans([
      event(1, 'run.start', 0),
      event(2, 'llm.ai.response', 2, aiMessage([call('c1', 'web_search'), call('c2', 'bash')])),
      event(3, 'llm.tool.result', 3, toolResult('c2', 'error')),
      event(4, 'llm.tool.result', 5, toolResult('c1')),
      event(5, 'run.end', 6),
    ]);
    expect(outline(spans)).toEqual([
      ['run', 'run', 'lead_agent', 'ok', null],
      ['llm', 'qwen3-max', 'lead_agent', 'ok', 'run'],
      ['tool', 'web_search', 'lead_agent', 'ok', 'run'],
      ['tool', 'bash', 'lead_agent', 'error', 'run'],
    ]);
    expect(spans.map((s) => [s.seq, s.end_seq, s.duration_ms])).toEqual([[1, 5, 6000], [2, 2, 0], [2, 4, 3000], [2, 3, 1000]]);
    expect([spans[2].started_at, spans[2].ended_at]).toEqual([stamp(2), stamp(5)]);
  });

  it('measures durations to the microsecond the stamps carry, with no floating-point tail', () => {
    const at = (seq: number, type: string, created_at: string) => ({ ...event(seq, type, 0), created_at });
    const { spans, duration_ms } = deriveSpans([at(1, 'run.start', '2026-01-12T13:01:29.505217+00:00'), at(2, 'run.end', '2026-01-12T13:01:35.973086+00:00')]);
    expect([duration_ms, spans[0].duration_ms]).toEqual([6467.869, 6467.869]);
  });

  it('leaves a call without a result open, reaching the run’s latest event', () => {
    const result = deriveSpans([
      event(1, 'run.start', 0),
      event(2, 'llm.ai.response', 1, aiMessage([call('c1', 'web_fetch')])),
      event(3, 'middleware:summarize', 9, { name: 'SummarizationMiddleware', action: 'summarize' }),
    ]);
    const [run, , tool] = result.spans;
    expect(tool).toMatchObject({ kind: 'tool', name: 'web_fetch', status: 'open', end_seq: null, ended_at: stamp(9), duration_ms: 8000 });
    expect(run).toMatchObject({ status: 'open', end_seq: null, ended_at: stamp(9) });
    expect(result.latest_created_at).toBe(stamp(9));
  });

  it('puts two tasks at once under the calls that started them, each subagent LLM call in the open task of its type', () => {
    const task = (id: string, type: string) => ({ task_id: id, subagent_type: type, description: `task ${id}` });
    const { spans } = deriveSpans([
      event(1, 'run.start', 0),
      event(2, 'llm.ai.response', 1, aiMessage([call('t1', 'task'), call('t2', 'task')])),
      event(3, 'subagent.start', 2, task('t1', 'general-purpose'), { task_id: 't1' }),
      event(4, 'subagent.start', 3, task('t2', 'bash'), { task_id: 't2' }),
      event(5, 'subagent.step', 4, { task_id: 't1', kind: 'ai', tool_calls: [{ name: 'web_search', args: {} }] }, { task_id: 't1' }),
      event(6, 'llm.ai.response', 5, aiMessage([]), { caller: 'subagent:bash' }),
      event(7, 'subagent.step', 6, { task_id: 't2', kind: 'tool', tool_name: 'bash' }, { task_id: 't2' }),
      event(8, 'llm.ai.response', 7, aiMessage([]), { caller: 'subagent:general-purpose' }),
      // No task of its type is open: it stays on its caller's lane, under the run.
      event(9, 'llm.ai.response', 8, aiMessage([]), { caller: 'subagent:researcher' }),
      event(10, 'subagent.end', 9, { task_id: 't1', status: 'completed' }, { task_id: 't1' }),
      event(11, 'subagent.end', 10, { task_id: 't2', status: 'failed' }, { task_id: 't2' }),
      event(12, 'llm.tool.result', 11, toolResult('t1')),
      event(13, 'llm.tool.result', 12, toolResult('t2', 'error')),
      // After both ended, a subagent's call belongs to no task.
      event(14, 'llm.ai.response', 13, aiMessage([]), { caller: 'subagent:bash' }),
      event(15, 'run.end', 14),
    ]);
    const seqOf = (seq: number) => spans.filter((s) => s.seq === seq);
    const parentOf = (span: RunSpan) => (span.parent === null ? undefined : spans[span.parent]);
    const [taskCall1, taskCall2] = seqOf(2).filter((s) => s.kind === 'tool');
    const [task1] = seqOf(3);
    const [task2] = seqOf(4);
    expect(task1).toMatchObject({ kind: 'subagent', name: 'general-purpose', lane: 'task:t1', status: 'ok', end_seq: 10, duration_ms: 7000 });
    expect(task2).toMatchObject({ kind: 'subagent', name: 'bash', lane: 'task:t2', status: 'error', end_seq: 11 });
    expect([parentOf(task1), parentOf(task2)]).toEqual([taskCall1, taskCall2]);
    expect(parentOf(taskCall1)?.kind).toBe('run');
    expect(seqOf(5)).toMatchObject([{ kind: 'event', name: 'web_search', lane: 'task:t1' }]);
    expect(parentOf(seqOf(5)[0])).toBe(task1);
    expect(seqOf(7)).toMatchObject([{ kind: 'event', name: 'bash', lane: 'task:t2' }]);
    expect([6, 8, 9].map((seq) => [seqOf(seq)[0].kind, seqOf(seq)[0].lane, parentOf(seqOf(seq)[0])])).toEqual([
      ['llm', 'task:t2', task2],
      ['llm', 'task:t1', task1],
      ['llm', 'subagent:researcher', spans[0]],
    ]);
    expect(seqOf(14)).toMatchObject([{ kind: 'llm', lane: 'subagent:bash', parent: 0 }]);
    // The task calls' results are their ends, not spans of their own.
    expect(seqOf(12)).toEqual([]);
    expect([taskCall1.end_seq, taskCall2.status]).toEqual([12, 'error']);
  });

  it('files a subagent LLM call under the task its own task id names, before any task of its type', () => {
    const { spans } = deriveSpans([
      event(1, 'llm.ai.response', 0, aiMessage([call('t1', 'task'), call('t2', 'task')])),
      event(2, 'subagent.start', 1, { task_id: 't1', subagent_type: 'bash' }, { task_id: 't1' }),
      event(3, 'subagent.start', 2, { task_id: 't2', subagent_type: 'bash' }, { task_id: 't2' }),
      event(4, 'llm.ai.response', 3, aiMessage([]), { caller: 'subagent:bash', task_id: 't1' }),
      event(5, 'llm.ai.response', 4, { ...aiMessage([]), task_id: 't1' }, { caller: 'subagent:bash' }),
      // Two open tasks of its type and no id: the one started last.
      event(6, 'llm.ai.response', 5, aiMessage([]), { caller: 'subagent:bash' }),
    ]);
    expect([4, 5, 6].map((seq) => spans.find((s) => s.seq === seq)?.lane)).toEqual(['task:t1', 'task:t1', 'task:t2']);
  });

  it('joins a task only to the `task` call whose id is its task id', () => {
    const { spans } = deriveSpans([
      // Another tool's call that happens to carry the same id comes first.
      event(1, 'llm.ai.response', 0, aiMessage([call('t1', 'web_search')])),
      event(2, 'llm.ai.response', 1, aiMessage([call('t1', 'task')])),
      event(3, 'subagent.start', 2, { task_id: 't1', subagent_type: 'bash' }, { task_id: 't1' }),
      event(4, 'subagent.start', 3, { task_id: 't9', subagent_type: 'bash' }, { task_id: 't9' }),
      event(5, 'llm.ai.response', 4, aiMessage([call('t9', 'web_fetch')])),
    ]);
    const parentOf = (span: RunSpan | undefined) => (span?.parent == null ? undefined : spans[span.parent]);
    const taskSpan = (lane: string) => spans.find((s) => s.kind === 'subagent' && s.lane === lane);
    expect(parentOf(taskSpan('task:t1'))).toMatchObject({ kind: 'tool', name: 'task', seq: 2 });
    expect(parentOf(taskSpan('task:t9'))).toMatchObject({ kind: 'run' });
  });

  it('never parents a span by a span inside it: a task call made inside the task of the same id, and two tasks calling each other', () => {
    const { spans } = deriveSpans([
      event(1, 'subagent.start', 0, { task_id: 't1', subagent_type: 'bash' }, { task_id: 't1' }),
      event(2, 'subagent.start', 1, { task_id: 'a', subagent_type: 'alpha' }, { task_id: 'a' }),
      event(3, 'subagent.start', 2, { task_id: 'b', subagent_type: 'beta' }, { task_id: 'b' }),
      // Inside t1, a call of the task t1 itself; inside a, the call of b; inside b, the call of a.
      event(4, 'llm.ai.response', 3, aiMessage([call('t1', 'task')]), { caller: 'subagent:bash', task_id: 't1' }),
      event(5, 'llm.ai.response', 4, aiMessage([call('b', 'task')]), { caller: 'subagent:alpha', task_id: 'a' }),
      event(6, 'llm.ai.response', 5, aiMessage([call('a', 'task')]), { caller: 'subagent:beta', task_id: 'b' }),
    ]);
    spans.forEach((span, i) => {
      const seen = new Set([i]);
      for (let parent = span.parent; parent !== null; parent = spans[parent].parent) {
        expect(seen.has(parent), `span ${i} (${span.name}) is inside itself`).toBe(false);
        seen.add(parent);
      }
    });
    const task = (lane: string) => spans.find((s) => s.kind === 'subagent' && s.lane === lane);
    expect(task('task:t1')?.parent).toBe(0);
    // The first task joins its call (inside the second); the second then cannot join its call inside the first.
    expect([task('task:a')?.parent, task('task:b')?.parent].filter((p) => p === 0)).toHaveLength(1);
  });

  it('pairs calls that share an id with their results in seq order, each call its own result', () => {
    const { spans } = deriveSpans([
      event(1, 'llm.ai.response', 0, aiMessage([call('c1', 'bash')])),
      event(2, 'llm.tool.result', 1, toolResult('c1')),
      event(3, 'llm.ai.response', 2, aiMessage([call('c1', 'bash')])),
      event(4, 'llm.tool.result', 4, toolResult('c1', 'error')),
      // A third result of the id answers no call: an instant where it was recorded.
      event(5, 'llm.tool.result', 5, toolResult('c1')),
    ]);
    expect(spans.filter((s) => s.kind === 'tool').map((s) => [s.seq, s.end_seq, s.status, s.duration_ms])).toEqual([
      [1, 2, 'ok', 1000],
      [3, 4, 'error', 2000],
    ]);
    expect(spans.filter((s) => s.kind === 'event').map((s) => [s.name, s.seq])).toEqual([['llm.tool.result', 5]]);
  });

  it('shows each tool call of a subagent step as an event span in its task, named by its tool, in any shape', () => {
    const step = (seq: number, content: JsonValue) => event(seq, 'subagent.step', seq, content, { task_id: 't1' });
    const { spans } = deriveSpans([
      event(1, 'subagent.start', 0, { task_id: 't1', subagent_type: 'bash' }, { task_id: 't1' }),
      step(2, { task_id: 't1', kind: 'ai', tool_calls: [call('s1', 'web_search'), call('s2', 'web_fetch')] }),
      step(3, { task_id: 't1', kind: 'ai', tool_calls: [{ id: 's3', type: 'function', function: { name: 'bash', arguments: '{}' } }] }),
      step(4, JSON.stringify({ task_id: 't1', kind: 'ai', tool_calls: [call('s4', 'read_file')] })),
      step(5, { task_id: 't1', kind: 'tool', tool_name: 'bash' }),
      step(6, { task_id: 't1', kind: 'ai', text: 'thinking' }),
    ]);
    const steps = spans.filter((s) => s.seq >= 2);
    expect(steps.map((s) => [s.kind, s.name, s.seq, s.lane, spans[s.parent ?? 0].kind])).toEqual([
      ['event', 'web_search', 2, 'task:t1', 'subagent'],
      ['event', 'web_fetch', 2, 'task:t1', 'subagent'],
      ['event', 'bash', 3, 'task:t1', 'subagent'],
      ['event', 'read_file', 4, 'task:t1', 'subagent'],
      ['event', 'bash', 5, 'task:t1', 'subagent'],
      ['event', 'subagent.step', 6, 'task:t1', 'subagent'],
    ]);
  });

  it('shows a run stopped by loop detection: the stripped call open, the hard stop on the middleware lane', () => {
    const events = loopStoppedRun(writer());
    const { spans } = deriveSpans(events);
    const tools = spans.filter((s) => s.kind === 'tool');
    expect(tools.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'open']);
    const stop = events.find((e) => e.event_type === 'middleware:loop_detection');
    expect(spans.find((s) => s.seq === stop?.seq)).toMatchObject({ kind: 'event', name: 'middleware:loop_detection', lane: 'middleware:loop_detection', parent: 0 });
    expect(spans[0]).toMatchObject({ status: 'ok', end_seq: events.length });
  });

  it('shows a guardrail deny as an instant and the denied call failed', () => {
    const { spans } = deriveSpans(guardrailDeniedRun(writer()));
    expect(spans.filter((s) => s.kind === 'tool').map((s) => [s.name, s.status])).toEqual([['bash', 'error']]);
    expect(spans.filter((s) => s.lane === 'middleware:guardrail').map((s) => s.name)).toEqual(['middleware:guardrail']);
  });

  it('reads a run with no messages: its instants, an error among them, and the run open', () => {
    const { spans, started_at, ended_at, duration_ms } = deriveSpans([
      event(1, 'run.start', 0),
      event(2, 'context:memory', 1, { content_sha256: 'ab' }),
      event(3, 'middleware:summarize', 2, { name: 'SummarizationMiddleware', action: 'summarize' }),
      event(4, 'llm.error', 4, 'Error code: 529 - overloaded'),
    ]);
    expect(outline(spans)).toEqual([
      ['run', 'run', 'lead_agent', 'open', null],
      ['event', 'context:memory', 'lead_agent', 'ok', 'run'],
      ['event', 'middleware:summarize', 'middleware:summarize', 'ok', 'run'],
      ['event', 'llm.error', 'lead_agent', 'error', 'run'],
    ]);
    expect([started_at, ended_at, duration_ms]).toEqual([stamp(0), stamp(4), 4000]);
  });

  it('has no spans and no times without events', () => {
    expect(deriveSpans([])).toEqual({ spans: [], started_at: null, ended_at: null, duration_ms: null, latest_created_at: null });
  });

  it('reads legacy names: run_start / run_error, ai_message as JSON text, trace events as instants', () => {
    const { spans } = deriveSpans([
      event(1, 'run_start', 0, '{"chain": "lead_agent"}'),
      event(2, 'tool_start', 1, '{"name": "bash"}'),
      event(3, 'tool_error', 2, 'bash failed: connection reset by peer'),
      event(4, 'ai_message', 3, JSON.stringify({ role: 'assistant', content: 'done', tool_calls: null })),
      event(5, 'run_error', 4, 'Run cancelled by user', { error_type: 'CancelledError' }),
    ]);
    expect(outline(spans)).toEqual([
      ['run', 'run', 'lead_agent', 'error', null],
      ['event', 'tool_start', 'lead_agent', 'ok', 'run'],
      ['event', 'tool_error', 'lead_agent', 'error', 'run'],
      ['llm', 'llm', 'lead_agent', 'ok', 'run'],
    ]);
    expect(spans[0]).toMatchObject({ seq: 1, end_seq: 5, duration_ms: 4000 });
  });

  it('reads OpenAI-style calls and results, and messages stored as JSON text without markers', () => {
    const bash = { id: 'call_1', name: 'bash', args: { command: 'ls' } };
    const fetch = { id: 'call_2', name: 'web_fetch', args: { url: 'https://example.com' } };
    const { spans } = deriveSpans([
      event(1, 'llm.ai.response', 1, openAiAssistantMessage('', [bash])),
      event(2, 'llm.tool.result', 2, openAiToolMessage(bash, 'a.txt')),
      event(3, 'llm.ai.response', 3, JSON.stringify(aiMessage([call('call_2', 'web_fetch')]))),
      event(4, 'llm.tool.result', 5, JSON.stringify(toolResult(fetch.id, 'error'))),
    ]);
    expect(spans.filter((s) => s.kind === 'tool').map((s) => [s.name, s.status, s.end_seq])).toEqual([
      ['bash', 'ok', 2],
      ['web_fetch', 'error', 4],
    ]);
    // No run.start: the run spans its first to its last event.
    expect(spans[0]).toMatchObject({ seq: 1, end_seq: null, started_at: stamp(1), ended_at: stamp(5), status: 'open' });
  });

  it('starts an LLM call its latency before its event, and keeps one without latency an instant', () => {
    const { spans } = deriveSpans([
      event(1, 'run.start', 0),
      event(2, 'llm.ai.response', 10, aiMessage([]), { latency_ms: 1500 }),
      event(3, 'llm.ai.response', 12, aiMessage([])),
      event(4, 'run.end', 13),
    ]);
    const llm = spans.filter((s) => s.kind === 'llm');
    expect(llm.map((s) => [s.seq, s.duration_ms, s.ended_at])).toEqual([[2, 1500, stamp(10)], [3, 0, stamp(12)]]);
    expect(Date.parse(llm[0].started_at)).toBe(Date.parse(stamp(8.5)));
  });

  it('places a span whose stamp does not parse at the previous event’s time, lasting 0, not at the run’s start', () => {
    const unreadable = (e: RunEvent): RunEvent => ({ ...e, created_at: 'not a time' });
    const { spans, started_at, ended_at } = deriveSpans([
      unreadable(event(1, 'context:memory', 0)),
      event(2, 'run.start', 1),
      event(3, 'llm.ai.response', 2, aiMessage([call('c1', 'bash'), call('c2', 'ls')])),
      unreadable(event(4, 'middleware:summarize', 0, { name: 'SummarizationMiddleware', action: 'summarize' })),
      event(5, 'llm.tool.result', 5, toolResult('c2')),
      unreadable(event(6, 'llm.tool.result', 0, toolResult('c1'))),
      unreadable(event(7, 'llm.ai.response', 0, aiMessage([]), { latency_ms: 1500 })),
      unreadable(event(8, 'run.end', 0)),
    ]);
    expect(spans.map((s) => [s.kind, s.seq, s.end_seq, s.started_at, s.duration_ms])).toEqual([
      ['run', 2, 8, stamp(1), 4000],
      // Before any readable stamp: the run's earliest.
      ['event', 1, 1, stamp(1), 0],
      ['llm', 3, 3, stamp(2), 0],
      // Its result's stamp is unreadable: the call is an instant at its start.
      ['tool', 3, 6, stamp(2), 0],
      ['tool', 3, 5, stamp(2), 3000],
      ['event', 4, 4, stamp(2), 0],
      ['llm', 7, 7, stamp(5), 0],
    ]);
    expect([started_at, ended_at]).toEqual([stamp(1), stamp(5)]);
  });

  it('orders spans by start then seq when created_at is out of seq order, never with a negative duration', () => {
    const { spans } = deriveSpans([
      event(1, 'run.start', 5),
      event(2, 'llm.ai.response', 8, aiMessage([call('c1', 'bash')])),
      // Recorded earlier than its call, as another machine's clock may say.
      event(3, 'llm.tool.result', 6, toolResult('c1')),
      event(4, 'subagent.step', 1, { kind: 'ai' }, { task_id: 'unknown' }),
      event(5, 'run.end', 4),
    ]);
    expect(spans.map((s) => [s.kind, s.seq])).toEqual([['run', 1], ['event', 4], ['tool', 2], ['llm', 2]]);
    expect(spans.every((s) => s.duration_ms >= 0)).toBe(true);
    expect(spans.find((s) => s.kind === 'tool')).toMatchObject({ started_at: stamp(6), ended_at: stamp(6), duration_ms: 0 });
    expect(spans[0]).toMatchObject({ started_at: stamp(4), ended_at: stamp(4), duration_ms: 0 });
    expect(spans.slice(1).every((s) => s.parent === 0)).toBe(true);
  });
});
