// Events of one run for the derivation's tests, DeerFlow-shaped: the generator's
// builders where it has the shape, else records made here.
import type { JsonObject, JsonValue, RunEvent } from '../../src-shared/types.ts';
import { Prng } from '../../src-main/generator/prng.ts';
import { MODELS, TOPICS } from '../../src-main/generator/texts.ts';
import { ThreadWriter } from '../../src-main/generator/thread-writer.ts';

const START = Date.parse('2026-03-02T10:00:00Z');

/** `at` seconds after the run's start, in DeerFlow's form. */
export const stamp = (at: number) => new Date(START + at * 1000).toISOString().replace('Z', '+00:00');

export function event(seq: number, event_type: string, at: number, content: JsonValue = '', metadata: JsonObject = {}): RunEvent {
  const category = event_type.startsWith('llm.') || event_type === 'ai_message' ? 'message' : 'trace';
  return { thread_id: 't1', run_id: 'r1', seq, event_type, category, content, metadata, created_at: stamp(at) };
}

export const aiMessage = (toolCalls: JsonObject[], extra: JsonObject = {}): JsonObject => ({
  content: '',
  type: 'ai',
  tool_calls: toolCalls,
  response_metadata: { model_name: 'qwen3-max' },
  ...extra,
});

export const call = (id: string, name: string): JsonObject => ({ name, args: {}, id, type: 'tool_call' });

export const toolResult = (id: string, status: 'success' | 'error' = 'success'): JsonObject => ({ content: 'ok', type: 'tool', tool_call_id: id, status });

/** A writer for the generator's run builders. */
export const writer = () =>
  new ThreadWriter({ threadId: 't1', rng: new Prng(7), topic: TOPICS[0], model: MODELS[0], title: TOPICS[0].title, startMicros: START * 1000 });
