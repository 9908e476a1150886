// What a run's own events say about it where no `runs` row does (JSONL
// sources, memory, databases without that table or without the run's row):
// its outcome from the lifecycle events, its model and token usage from the
// AI messages. Every backend reads these facts through the same functions.
// A run with neither end nor error keeps a null status: whether it is still
// running is the shared rule's to say (src-shared/run-status.ts), from the clock.
import { OUTCOME_TYPES, RUN_END_TYPES, RUN_ERROR_TYPES } from '../../src-shared/run-status.ts';
import type { JsonObject, JsonValue, RunEvent, RunSummary, TokenCounts } from '../../src-shared/types.ts';
/** `ai_message` is the legacy alias of `llm.ai.response`. */
export const AI_MESSAGE_TYPES: readonly string[] = ['llm.ai.response', 'ai_message'];

export type RunOutcome = Pick<RunSummary, 'status' | 'error'>;

/** The outcome a run's last lifecycle event (by seq) records; `undefined` when it has none. */
export function outcomeOf(event: Pick<RunEvent, 'event_type' | 'content' | 'metadata'> | undefined): RunOutcome {
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

export const objectOf = (value: JsonValue | undefined): JsonObject | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;

const numberOf = (value: JsonValue | undefined): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

export const stringOf = (value: JsonValue | undefined): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** A usage record in LangChain's or OpenAI's words; null when it counts no tokens. */
function countsOf(usage: JsonObject | undefined): TokenCounts | null {
  if (!usage) return null;
  const input = numberOf(usage.input_tokens) ?? numberOf(usage.prompt_tokens);
  const output = numberOf(usage.output_tokens) ?? numberOf(usage.completion_tokens);
  const total = numberOf(usage.total_tokens) ?? (input === null && output === null ? null : (input ?? 0) + (output ?? 0));
  return total === null ? null : { input: input ?? 0, output: output ?? 0, total };
}

/**
 * A message dump stored as JSON text (databases without content markers)
 * counts as the dump; other strings carry no usage.
 */
export function messageObject(content: JsonValue): JsonObject | undefined {
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
 * The tokens one AI message records: the message's own `usage_metadata`
 * (LangChain) or `response_metadata.token_usage` (OpenAI), else DeerFlow's
 * `metadata.usage`; one of them only, as they count the same call.
 */
export function aiTokensOf(content: JsonValue, metadata: JsonObject): TokenCounts | null {
  const message = messageObject(content);
  return countsOf(objectOf(message?.usage_metadata)) ?? countsOf(objectOf(objectOf(message?.response_metadata)?.token_usage)) ?? countsOf(objectOf(metadata.usage));
}

/** The model an AI message names: `response_metadata.model_name`, else `metadata.model_name`. */
export function aiModelOf(content: JsonValue, metadata: JsonObject): string | null {
  return stringOf(objectOf(messageObject(content)?.response_metadata)?.model_name) ?? stringOf(metadata.model_name);
}

/** The tokens and model one AI message records (aiTokensOf's total, aiModelOf). */
export function aiUsageOf(content: JsonValue, metadata: JsonObject): AiUsage {
  return { tokens: aiTokensOf(content, metadata)?.total ?? null, model: aiModelOf(content, metadata) };
}

export interface ToolCallEntry {
  id: string | null;
  name: string | null;
}

/**
 * The tool-call entries of an AI message: LangChain's `tool_calls[].{id, name, args}`
 * or OpenAI's `tool_calls[].{id, function: {name, arguments}}`. Only objects
 * are entries (the SQLite read model counts them the same way, sql.ts).
 */
export function toolCallsOf(content: JsonValue): ToolCallEntry[] {
  const calls = messageObject(content)?.tool_calls;
  if (!Array.isArray(calls)) return [];
  const entries: ToolCallEntry[] = [];
  for (const call of calls) {
    const entry = objectOf(call);
    if (entry) entries.push({ id: stringOf(entry.id), name: stringOf(entry.name) ?? stringOf(objectOf(entry.function)?.name) });
  }
  return entries;
}

/** The `tool_call_id` a tool result answers. */
export function toolCallIdOf(content: JsonValue): string | null {
  return stringOf(messageObject(content)?.tool_call_id);
}

/** The subagent task an event belongs to: its `metadata.task_id`, else its content's `task_id`. */
export function taskIdOf(event: Pick<RunEvent, 'content' | 'metadata'>): string | null {
  return stringOf(event.metadata.task_id) ?? stringOf(objectOf(event.content)?.task_id);
}

/** Sums a run's AI messages, fed in any order: tokens added up, the model of the latest message (by seq) that names one. */
export class UsageTally {
  tokens: number | null = null;
  model: string | null = null;
  /** The seq of the message that named `model`. */
  modelSeq = Number.NEGATIVE_INFINITY;

  add(seq: number, { tokens, model }: AiUsage): void {
    if (tokens !== null) this.tokens = (this.tokens ?? 0) + tokens;
    if (model !== null && seq > this.modelSeq) {
      this.model = model;
      this.modelSeq = seq;
    }
  }
}

/** A run's calls as the Runs tab counts them. */
export type CallFigures = Required<Pick<RunSummary, 'llm_calls' | 'tool_calls' | 'tool_errors'>>;

/**
 * `event` counted into `figures`: an AI message is an LLM call, asking for
 * its tool calls; a failed tool result is a tool error. True for an AI
 * message (whose usage a caller may want too).
 */
export function countCall(figures: CallFigures, event: Pick<RunEvent, 'event_type' | 'content'>): boolean {
  if (AI_MESSAGE_TYPES.includes(event.event_type)) {
    figures.llm_calls++;
    figures.tool_calls += toolCallsOf(event.content).length;
    return true;
  }
  if (isFailedToolResult(event)) figures.tool_errors++;
  return false;
}

type OutcomeEvent = Pick<RunEvent, 'seq' | 'event_type' | 'content' | 'metadata'>;

/** A lifecycle event as outcomeOf reads it: the content of an error only (a run.end's output may be large, and a tally outlives the event). */
const outcomeEvent = ({ seq, event_type, content, metadata }: RunEvent): OutcomeEvent => ({
  seq,
  event_type,
  content: RUN_ERROR_TYPES.includes(event_type) ? content : '',
  metadata: metadata.status === undefined ? {} : { status: metadata.status },
});

/** What a tally has taken in, as JSON: a kept index (the JSONL backend's sidecar) saves it and goes on counting from it. */
export interface RunFactsState {
  calls: CallFigures;
  tokens: number | null;
  model: string | null;
  /** null for none (JSON has no -Infinity). */
  modelSeq: number | null;
  outcome: OutcomeEvent | null;
}

/** What a run's events say about it, fed in any order: the outcome of its last lifecycle event (by seq), its calls, its usage. */
export class RunFactsTally {
  readonly calls: CallFigures = { llm_calls: 0, tool_calls: 0, tool_errors: 0 };
  readonly usage = new UsageTally();
  private lastOutcome: OutcomeEvent | undefined;

  static from(state: RunFactsState): RunFactsTally {
    const tally = new RunFactsTally();
    Object.assign(tally.calls, state.calls);
    Object.assign(tally.usage, { tokens: state.tokens, model: state.model, modelSeq: state.modelSeq ?? Number.NEGATIVE_INFINITY });
    tally.lastOutcome = state.outcome ?? undefined;
    return tally;
  }

  state(): RunFactsState {
    const { tokens, model, modelSeq } = this.usage;
    return { calls: { ...this.calls }, tokens, model, modelSeq: Number.isFinite(modelSeq) ? modelSeq : null, outcome: this.lastOutcome ?? null };
  }

  add(event: RunEvent): void {
    if (OUTCOME_TYPES.includes(event.event_type)) {
      if (!this.lastOutcome || event.seq > this.lastOutcome.seq) this.lastOutcome = outcomeEvent(event);
    } else if (countCall(this.calls, event)) this.usage.add(event.seq, aiUsageOf(event.content, event.metadata));
  }

  get outcome(): RunOutcome {
    return outcomeOf(this.lastOutcome);
  }
}
