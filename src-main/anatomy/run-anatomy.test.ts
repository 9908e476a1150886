import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src-shared/errors.ts';
import type { JsonValue, RecordedRun, RecordedTokens } from '../../src-shared/types.ts';
import { guardrailDeniedRun, loopStoppedRun } from '../generator/runs.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { deriveAnatomy, runAnatomy } from './run-anatomy.ts';
import { aiMessage, call, event, stamp, toolResult, writer } from '../../test/support/anatomy-events.ts';

const LATER = Date.parse(stamp(3600));
const noTokens: RecordedTokens = { input: null, output: null, total: null, lead_agent: null, subagent: null, middleware: null };
const recorded = (over: Partial<RecordedRun>): RecordedRun => ({ status: null, stop_reason: null, error: null, model_name: null, tokens: noTokens, ...over });

describe('deriveAnatomy', () => {
  it('counts calls, tool-call entries, failed results, tasks, tokens and models', () => {
    const usage = (input: number, output: number, total?: number) => ({ usage_metadata: { input_tokens: input, output_tokens: output, ...(total === undefined ? {} : { total_tokens: total }) } });
    const anatomy = deriveAnatomy(
      'r1',
      [
        event(1, 'run.start', 0),
        event(2, 'llm.ai.response', 1, aiMessage([call('c1', 'bash'), call('c2', 'ls')], { ...usage(100, 20, 120), response_metadata: { model_name: 'gpt-4.1' } })),
        event(3, 'llm.tool.result', 2, toolResult('c1', 'error')),
        event(4, 'llm.tool.result', 3, toolResult('c2')),
        event(5, 'subagent.start', 4, { task_id: 't1', subagent_type: 'bash' }, { task_id: 't1' }),
        // The total defaults to input + output.
        event(6, 'llm.ai.response', 5, aiMessage([], { ...usage(7, 3), response_metadata: {} }), { caller: 'subagent:bash', model_name: 'qwen3-max' }),
        event(7, 'subagent.end', 6, { task_id: 't1', status: 'completed' }, { task_id: 't1' }),
        event(8, 'llm.ai.response', 7, aiMessage([], { ...usage(50, 5, 55), response_metadata: { model_name: 'gpt-4.1' } })),
        event(9, 'run.end', 8, {}, { status: 'success' }),
      ],
      null,
      LATER,
    );
    expect(anatomy).toMatchObject({
      run_id: 'r1',
      status: 'success',
      started_at: stamp(0),
      ended_at: stamp(8),
      duration_ms: 8000,
      stop: { reason: 'completed', detail: null, seq: 9 },
      llm_calls: 3,
      tool_calls: 2,
      tool_errors: 1,
      subagent_tasks: 1,
      tokens: { input: 157, output: 28, total: 185 },
      tokens_recorded: null,
      models: ['gpt-4.1', 'qwen3-max'],
    });
  });

  it('counts a task by the same task id its span has: metadata.task_id, else the content’s', () => {
    const anatomy = deriveAnatomy('r1', [event(1, 'run.start', 0), event(2, 'subagent.start', 1, { task_id: 't1', subagent_type: 'bash' }), event(3, 'run.end', 2)], null, LATER);
    expect(anatomy.subagent_tasks).toBe(1);
    expect(anatomy.spans.filter((s) => s.kind === 'subagent').map((s) => s.lane)).toEqual(['task:t1']);
  });

  it('says why an errored run stopped, from its run.error, else the runs row', () => {
    const events = [event(1, 'run.start', 0), event(2, 'run.error', 1, 'Sandbox container exited with code 137', { error_type: 'SandboxError' })];
    expect(deriveAnatomy('r1', events, null, LATER)).toMatchObject({ status: 'error', stop: { reason: 'error', detail: 'Sandbox container exited with code 137', seq: 2 } });
    const row = recorded({ status: 'error', error: 'GraphRecursionError: limit 100', tokens: { ...noTokens, total: 900 } });
    expect(deriveAnatomy('r1', [event(1, 'run.start', 0)], row, LATER)).toMatchObject({
      status: 'error',
      stop: { reason: 'error', detail: 'GraphRecursionError: limit 100', seq: null },
      tokens_recorded: { total: 900 },
    });
  });

  it('calls a run with any run.error failed, though a run.end follows it, and reads no status from a run.end', () => {
    const errorThenEnd = [event(1, 'run.start', 0), event(2, 'run.error', 1, 'first'), event(3, 'run_error', 2, 'boom'), event(4, 'run.end', 3, {}, { status: 'success' })];
    const failed = deriveAnatomy('r1', errorThenEnd, null, LATER);
    expect(failed).toMatchObject({ status: 'error', stop: { reason: 'error', detail: 'boom', seq: 3 } });
    expect(failed.spans[0]).toMatchObject({ kind: 'run', status: 'error', end_seq: 4 });
    const interruptedEnd = deriveAnatomy('r1', [event(1, 'run.start', 0), event(2, 'run.end', 1, {}, { status: 'interrupted' })], null, LATER);
    expect(interruptedEnd).toMatchObject({ status: 'success', stop: { reason: 'completed', detail: null, seq: 2 } });
    expect(interruptedEnd.spans[0].status).toBe('ok');
  });

  it('points at no event when only the runs row says the run failed or was stopped, and draws the run failed', () => {
    const ended = [event(1, 'run.start', 0), event(2, 'run.end', 1)];
    for (const status of ['error', 'cancelled', 'interrupted']) {
      const anatomy = deriveAnatomy('r1', ended, recorded({ status }), LATER);
      expect(anatomy.stop.seq, status).toBeNull();
      expect(anatomy.spans[0], status).toMatchObject({ kind: 'run', status: 'error', end_seq: 2 });
    }
    expect(deriveAnatomy('r1', ended, recorded({ status: 'error' }), LATER).stop).toEqual({ reason: 'error', detail: 'Run error', seq: null });
    expect(deriveAnatomy('r1', ended, recorded({ status: 'running' }), LATER).spans[0].status).toBe('open');
    // A row that says the run succeeded overrules a run.error.
    const overruled = deriveAnatomy('r1', [...ended, event(3, 'run.error', 2, 'boom')], recorded({ status: 'success' }), LATER);
    expect([overruled.status, overruled.stop.reason, overruled.stop.seq, overruled.spans[0].status]).toEqual(['success', 'completed', 2, 'ok']);
  });

  it('has no recorded tokens when the runs row records none of its six figures', () => {
    const ended = [event(1, 'run.start', 0), event(2, 'run.end', 1)];
    expect(deriveAnatomy('r1', ended, recorded({ status: 'success' }), LATER).tokens_recorded).toBeNull();
    expect(deriveAnatomy('r1', ended, recorded({ tokens: { ...noTokens, middleware: 0 } }), LATER).tokens_recorded).toEqual({ ...noTokens, middleware: 0 });
  });

  it('says an error recorded as an object in its own words: its message, else error, else detail; a string as it is', () => {
    const failedWith = (content: JsonValue) => deriveAnatomy('r1', [event(1, 'run.start', 0), event(2, 'run.error', 1, content)], null, LATER).stop.detail;
    expect(failedWith({ error: 'GraphRecursionError', message: 'Recursion limit of 100 reached' })).toBe('Recursion limit of 100 reached');
    expect(failedWith({ error: 'Sandbox exited with code 137', code: 137 })).toBe('Sandbox exited with code 137');
    expect(failedWith({ detail: 'rate limited' })).toBe('rate limited');
    expect(failedWith({ code: 137 })).toBe('{"code":137}');
    expect(failedWith('{"message": "kept as text"}')).toBe('{"message": "kept as text"}');
  });

  it('says a run stopped by loop detection was stopped by that middleware, pointing at it, though a run.end follows', () => {
    const events = loopStoppedRun(writer());
    const stopEvent = events.find((e) => e.event_type === 'middleware:loop_detection');
    const anatomy = deriveAnatomy('r1', events, null, LATER);
    expect(anatomy.status).toBe('success');
    expect(anatomy.stop).toEqual({ reason: 'middleware', detail: 'LoopDetectionMiddleware: hard_stop (tool: web_search, repeated_calls: 4, tool_calls_removed: 1)', seq: stopEvent?.seq });
    expect([anatomy.llm_calls, anatomy.tool_calls, anatomy.tool_errors]).toEqual([4, 4, 0]);
  });

  it('says a guardrail deny stopped the run', () => {
    const events = guardrailDeniedRun(writer());
    const anatomy = deriveAnatomy('r1', events, null, LATER);
    expect(anatomy.stop).toMatchObject({ reason: 'middleware', seq: events.find((e) => e.event_type === 'middleware:guardrail')?.seq });
    expect(anatomy.stop.detail).toMatch(/^GuardrailMiddleware: deny \(tool: bash, rule: no_recursive_delete, /);
    expect(anatomy.tool_errors).toBe(1);
  });

  it('lets an error after a middleware stop say why, and ignores a stop the run went on after its end', () => {
    const stop = event(2, 'middleware:guardrail', 1, { name: 'GuardrailMiddleware', action: 'deny', changes: {} });
    expect(deriveAnatomy('r1', [event(1, 'run.start', 0), stop, event(3, 'run.error', 2, 'boom')], null, LATER).stop).toMatchObject({ reason: 'error', detail: 'boom' });
    const late = { ...stop, seq: 4 };
    expect(deriveAnatomy('r1', [event(1, 'run.start', 0), event(3, 'run.end', 2), late], null, LATER).stop.reason).toBe('completed');
  });

  it('tells a cancel and an interruption from the runs row, and a legacy cancel from its CancelledError', () => {
    const end = [event(1, 'run.start', 0), event(2, 'run.end', 1)];
    expect(deriveAnatomy('r1', end, recorded({ status: 'cancelled' }), LATER)).toMatchObject({ status: 'cancelled', stop: { reason: 'cancelled', seq: null } });
    expect(deriveAnatomy('r1', end.slice(0, 1), recorded({ status: 'interrupted', stop_reason: 'user_cancelled' }), LATER).stop).toEqual({
      reason: 'cancelled',
      detail: 'cancelled by the user (user_cancelled)',
      seq: null,
    });
    expect(deriveAnatomy('r1', end.slice(0, 1), recorded({ status: 'interrupted', stop_reason: 'interrupted_by_new_run' }), LATER)).toMatchObject({
      status: 'interrupted',
      stop: { reason: 'interrupted', detail: 'a newer run of the thread took over (interrupted_by_new_run)', seq: null },
    });
    const legacy = [event(1, 'run_start', 0), event(2, 'run_error', 1, 'Run cancelled by user', { error_type: 'CancelledError' })];
    expect(deriveAnatomy('r1', legacy, null, LATER)).toMatchObject({ status: 'error', stop: { reason: 'cancelled', detail: 'Run cancelled by user', seq: 2 } });
  });

  it('calls a run without an end running while its last event is recent, else says no end was recorded', () => {
    const events = [event(1, 'run.start', 0), event(2, 'llm.error', 10, 'overloaded')];
    const recent = Date.parse(stamp(70));
    expect(deriveAnatomy('r1', events, null, recent)).toMatchObject({ status: 'running', stop: { reason: 'running', detail: null, seq: null } });
    const old = deriveAnatomy('r1', events, null, LATER);
    expect(old.status).toBe('running');
    expect(old.stop).toMatchObject({ reason: 'no_end', seq: null });
    expect(old.stop.detail).toMatch(/no run\.end or run\.error was recorded/i);
    // The runs row says it is still going: the clock does not overrule it.
    expect(deriveAnatomy('r1', events, recorded({ status: 'running' }), LATER).stop.reason).toBe('running');
  });

  it('answers a run with a runs row and no events, with no spans', () => {
    const row = recorded({ status: 'pending', tokens: { ...noTokens, input: 0 } });
    expect(deriveAnatomy('r1', [], row, LATER)).toMatchObject({ status: 'pending', started_at: null, duration_ms: null, spans: [], llm_calls: 0, tokens_recorded: row.tokens });
  });
});

describe('runAnatomy', () => {
  it('reads the run page by page from the store', async () => {
    const store = new MemoryStore();
    const events = loopStoppedRun(writer());
    await store.putBatch(events.map(({ seq: _seq, ...input }) => input));
    const anatomy = await runAnatomy(store, 't1', events[0].run_id);
    expect(anatomy.spans.length).toBeGreaterThan(events.length / 2);
    expect(anatomy.stop.reason).toBe('middleware');
  });

  it('is NOT_FOUND for a run with no events and no runs row', async () => {
    const failure = await runAnatomy(new MemoryStore(), 't1', 'nope').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).code).toBe('NOT_FOUND');
  });
});
