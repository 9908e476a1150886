// What a run's own events say about it where no `runs` row does (JSONL
// sources, memory, databases without that table or without the run's row):
// its outcome from the lifecycle events, its model and token usage from the
// AI messages. Every backend reads these facts through the same functions.
// A run with neither end nor error keeps a null status: whether it is still
// running is the shared rule's to say (src-shared/run-status.ts), from the clock.
import { RUN_END_TYPES, RUN_ERROR_TYPES } from '../../src-shared/run-status.ts';
import type { JsonObject, JsonValue, RunEvent, RunSummary } from '../../src-shared/types.ts';
/** `ai_message` is the legacy alias of `llm.ai.response`. */
export const AI_MESSAGE_TYPES: readonly string[] = ['llm.ai.response', 'ai_message'];

export type RunOutcome = Pick<RunSummary, 'status' | 'error'>;

/** The outcome a run's last lifecycle event (by seq) records; `undefined` when it has none. */
export function outcomeOf(event: RunEvent | undefined): RunOutcome {
  if (event && RUN_ERROR_TYPES.includes(event.event_type)) {
    return { status: 'error', error: typeof event.content === 'string' ? event.content : JSON.stringify(event.content) };
  }
  if (event && RUN_END_TYPES.includes(event.event_type)) {
    const status = event.metadata.status;
    return { status: typeof status === 'string' ? status : 'success', error: null };
  }
  return { status: null, error: null };
}

export interface AiUsage {
  tokens: number | null;
  model: string | null;
}

const objectOf = (value: JsonValue | undefined): JsonObject | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;

const numberOf = (value: JsonValue | undefined): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

const stringOf = (value: JsonValue | undefined): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** `total_tokens`, else input + output, of a usage record in LangChain's or OpenAI's words. */
function totalOf(usage: JsonObject | undefined): number | null {
  if (!usage) return null;
  const total = numberOf(usage.total_tokens);
  if (total !== null) return total;
  const input = numberOf(usage.input_tokens) ?? numberOf(usage.prompt_tokens);
  const output = numberOf(usage.output_tokens) ?? numberOf(usage.completion_tokens);
  return input === null && output === null ? null : (input ?? 0) + (output ?? 0);
}

/**
 * A message dump stored as JSON text (databases without content markers)
 * counts as the dump; other strings carry no usage.
 */
function messageObject(content: JsonValue): JsonObject | undefined {
  if (typeof content !== 'string') return objectOf(content);
  if (!content.startsWith('{')) return undefined;
  try {
    return objectOf(JSON.parse(content) as JsonValue);
  } catch {
    return undefined;
  }
}

/** A tool's answer to a tool call (LangChain's ToolMessage dump). */
export const TOOL_RESULT_TYPE = 'llm.tool.result';

/** A tool result whose message (an object, or its JSON text) has `status: "error"`: a failed tool call. */
export function isFailedToolResult(event: Pick<RunEvent, 'event_type' | 'content'>): boolean {
  return event.event_type === TOOL_RESULT_TYPE && messageObject(event.content)?.status === 'error';
}

/**
 * The tokens and model one AI message records: the message's own
 * `usage_metadata` (LangChain) or `response_metadata.token_usage` (OpenAI),
 * else DeerFlow's `metadata.usage`; one of them only, as they count the same
 * call. The model from `response_metadata.model_name`, else `metadata.model_name`.
 */
export function aiUsageOf(content: JsonValue, metadata: JsonObject): AiUsage {
  const message = messageObject(content);
  const response = objectOf(message?.response_metadata);
  const tokens = totalOf(objectOf(message?.usage_metadata)) ?? totalOf(objectOf(response?.token_usage)) ?? totalOf(objectOf(metadata.usage));
  return { tokens, model: stringOf(response?.model_name) ?? stringOf(metadata.model_name) };
}

/** Sums a run's AI messages, fed in any order: tokens added up, the model of the latest message (by seq) that names one. */
export class UsageTally {
  tokens: number | null = null;
  model: string | null = null;
  private modelSeq = Number.NEGATIVE_INFINITY;

  add(seq: number, { tokens, model }: AiUsage): void {
    if (tokens !== null) this.tokens = (this.tokens ?? 0) + tokens;
    if (model !== null && seq > this.modelSeq) {
      this.model = model;
      this.modelSeq = seq;
    }
  }
}
