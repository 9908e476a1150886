// The rare shapes a generated store is guaranteed to hold (the showcase,
// legacy and big threads), found in its events: the generator's test checks
// the e2e seed has each, and the e2e specs look them up here instead of
// guessing or falling back on other data.
import type { JsonObject, JsonValue, RunEvent } from '../../src-shared/types.ts';

export interface Shapes {
  /** The showcase thread: every shape below but the legacy ones is in it. */
  threadId: string;
  image: RunEvent;
  /** An OpenAI-style assistant message with tool_calls, and the tool message answering its first call. */
  openAiCall: RunEvent;
  openAiResult: RunEvent;
  reasoning: RunEvent;
  /** A tool result whose text is a JSON array. */
  jsonResult: RunEvent;
  /** The longest message. */
  long: RunEvent;
  truncatedMessage: RunEvent;
  truncatedTrace: RunEvent;
  /** The run.error of a failed run. */
  runError: RunEvent;
  /** A run that recorded trace events only. */
  messagelessRunId: string;
  /** The legacy thread's human_message and its OpenAI-style reply stored as JSON text. */
  legacyHuman: RunEvent;
  legacyOpenAiText: RunEvent;
  /** The thread with the most events (the generator's big one, when asked for). */
  bigThreadId: string;
  /** In the big thread past its tenth message: a trace event right before a human message, which the timeline always shows. */
  traceBeforeMessage: RunEvent;
  /** A thread of several runs of the current vintage only, neither the big nor the showcase one. */
  plainMultiRunThreadId: string;
}

const asObject = (value: JsonValue | undefined): JsonObject => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {});
const body = (e: RunEvent) => asObject(e.content);
const json = (e: RunEvent) => JSON.stringify(e.content);

/** A shape the generated store must hold; a spec that cannot find one fails here, naming it. */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the generated store has no ${what}`);
  return value;
}

export function findShapes(events: readonly RunEvent[]): Shapes {
  const image = required(
    events.find((e) => e.category === 'message' && json(e).includes('"image_url"')),
    'message with an image',
  );
  const threadId = image.thread_id;
  const thread = events.filter((e) => e.thread_id === threadId);
  const messages = thread.filter((e) => e.category === 'message');
  const openAiCall = required(
    messages.find((e) => body(e).role === 'assistant' && Array.isArray(body(e).tool_calls)),
    'OpenAI-style tool call',
  );
  const [firstCall] = Array.isArray(body(openAiCall).tool_calls) ? (body(openAiCall).tool_calls as JsonValue[]) : [];
  const callId = asObject(firstCall).id;
  const messageless = [...new Set(thread.map((e) => e.run_id))].find((runId) => !messages.some((e) => e.run_id === runId));
  const legacy = events.filter((e) => e.event_type === 'human_message' || e.event_type === 'ai_message');
  const byThread = Map.groupBy(events, (e) => e.thread_id);
  const [bigThreadId, big] = [...byThread].reduce((a, b) => (b[1].length > a[1].length ? b : a));
  const bigMessages = big.filter((e) => e.category === 'message');
  const legacyThreads = new Set(legacy.map((e) => e.thread_id));
  const plainMultiRun = [...byThread].find(([id, own]) => ![threadId, bigThreadId].includes(id) && !legacyThreads.has(id) && new Set(own.map((e) => e.run_id)).size > 1);
  return {
    threadId,
    image,
    openAiCall,
    openAiResult: required(
      messages.find((e) => body(e).role === 'tool' && body(e).tool_call_id === callId),
      'result of the OpenAI-style call',
    ),
    reasoning: required(
      messages.find((e) => json(e).includes('reasoning_content')),
      'message with reasoning',
    ),
    jsonResult: required(
      messages.find((e) => e.event_type === 'llm.tool.result' && String(body(e).content ?? '').startsWith('[{')),
      'JSON tool result',
    ),
    long: messages.reduce((a, b) => (json(b).length > json(a).length ? b : a)),
    truncatedMessage: required(
      messages.find((e) => e.metadata.content_truncated === true),
      'truncated message',
    ),
    truncatedTrace: required(
      thread.find((e) => e.category !== 'message' && e.metadata.content_truncated === true),
      'truncated trace event',
    ),
    runError: required(
      thread.find((e) => e.event_type === 'run.error'),
      'run.error',
    ),
    messagelessRunId: required(messageless, 'run without messages'),
    legacyHuman: required(
      legacy.find((e) => e.event_type === 'human_message'),
      'human_message',
    ),
    legacyOpenAiText: required(
      legacy.find((e) => e.event_type === 'ai_message' && typeof e.content === 'string' && e.content.startsWith('{"role":"assistant"')),
      'OpenAI-style ai_message text',
    ),
    bigThreadId,
    traceBeforeMessage: required(
      big.find((e, i) => e.category !== 'message' && e.seq > (bigMessages[10]?.seq ?? Infinity) && big[i + 1]?.event_type === 'llm.human.input'),
      'trace event before a human message in the big thread',
    ),
    plainMultiRunThreadId: required(plainMultiRun?.[0], 'thread of several current-vintage runs besides the big and showcase ones'),
  };
}
