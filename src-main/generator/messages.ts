// Message payloads in the shapes DeerFlow persists: LangChain `model_dump()`
// of human / AI / tool messages (keys in pydantic's order), plus the
// OpenAI-style dicts older journals wrote.
import type { JsonObject, JsonValue } from '../../src-shared/types.ts';

export interface ToolCall {
  id: string;
  name: string;
  args: JsonObject;
}

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
}

export function humanMessage(id: string, content: JsonValue, additionalKwargs: JsonObject = {}): JsonObject {
  return { content, additional_kwargs: additionalKwargs, response_metadata: {}, type: 'human', name: null, id };
}

export interface AiMessageParts {
  id: string;
  content: JsonValue;
  toolCalls: readonly ToolCall[];
  usage: Usage;
  modelName: string;
  reasoning?: string;
  hideFromUi?: boolean;
}

export function aiMessage({ id, content, toolCalls, usage, modelName, reasoning, hideFromUi }: AiMessageParts): JsonObject {
  const additionalKwargs: JsonObject = {};
  if (reasoning !== undefined) additionalKwargs.reasoning_content = reasoning;
  if (hideFromUi) additionalKwargs.hide_from_ui = true;
  return {
    content,
    additional_kwargs: additionalKwargs,
    response_metadata: { finish_reason: toolCalls.length > 0 ? 'tool_calls' : 'stop', model_name: modelName },
    type: 'ai',
    name: null,
    id,
    tool_calls: toolCalls.map((call) => ({ name: call.name, args: call.args, id: call.id, type: 'tool_call' })),
    invalid_tool_calls: [],
    usage_metadata: { ...usage, input_token_details: { cache_read: Math.floor(usage.input_tokens * 0.6) }, output_token_details: {} },
  };
}

export function toolMessage(id: string, call: ToolCall, content: string, status: 'success' | 'error'): JsonObject {
  return {
    content,
    additional_kwargs: {},
    response_metadata: {},
    type: 'tool',
    name: call.name,
    id,
    tool_call_id: call.id,
    artifact: null,
    status,
  };
}

/** An OpenAI Chat Completions assistant message, as older journals stored responses. */
export function openAiAssistantMessage(content: string, toolCalls: readonly ToolCall[]): JsonObject {
  return {
    role: 'assistant',
    content,
    tool_calls: toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } })),
  };
}

export function openAiToolMessage(call: ToolCall, content: string): JsonObject {
  return { role: 'tool', tool_call_id: call.id, content };
}
