// Turns a message event's content — a LangChain dump, an OpenAI-style
// message, a LangChain "lc" constructor record or a plain string (DESIGN.md
// §1) — into one shape the timeline renders, and gives a thread its title
// (main keeps titles in the SQLite thread summary, the page finds its own
// elsewhere). Pure, so every shape is tested without a browser. Unknown
// shapes fall through to a raw JSON part: nothing a producer wrote is ever
// dropped from view.
import type { JsonObject, JsonValue, RunEvent } from './types.ts';

export type Role = 'human' | 'ai' | 'tool' | 'system' | 'summary' | (string & {});

export type ContentPart =
  | { kind: 'text'; text: string }
  | { kind: 'image'; label: string; bytes: number | null }
  | { kind: 'json'; value: JsonValue };

export interface ToolCall {
  id: string | null;
  name: string;
  args: JsonValue;
}

export interface TokenUsage {
  input: number | null;
  output: number | null;
  total: number | null;
}

/** Who produced a message, from metadata.caller: the lead agent, a middleware or a subagent. */
export type CallerKind = 'lead' | 'middleware' | 'subagent';

export interface MessageView {
  role: Role;
  /** The producer's name for the role when it differs from ours (e.g. `AIMessageChunk`), for display. */
  rawRole: string | null;
  parts: ContentPart[];
  toolCalls: ToolCall[];
  toolCallId: string | null;
  toolName: string | null;
  /** LangChain's ToolMessage.status: `error` when the tool failed. */
  toolStatus: string | null;
  reasoning: string | null;
  model: string | null;
  finishReason: string | null;
  usage: TokenUsage | null;
  latencyMs: number | null;
  caller: string | null;
  callerKind: CallerKind;
  hidden: boolean;
  messageId: string | null;
  /** The recorder cut the content (metadata.content_truncated); originalBytes is its size before the cut, where recorded. */
  truncation: { originalBytes: number | null } | null;
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const obj = (value: unknown): JsonObject => (isObject(value) ? value : {});

const ROLE_ALIASES: Record<string, Role> = {
  human: 'human',
  user: 'human',
  humanmessage: 'human',
  humanmessagechunk: 'human',
  ai: 'ai',
  assistant: 'ai',
  aimessage: 'ai',
  aimessagechunk: 'ai',
  tool: 'tool',
  function: 'tool',
  toolmessage: 'tool',
  toolmessagechunk: 'tool',
  system: 'system',
  developer: 'system',
  systemmessage: 'system',
};

const EVENT_TYPE_ROLES: Record<string, Role> = {
  'llm.human.input': 'human',
  'llm.ai.response': 'ai',
  'llm.tool.result': 'tool',
  // The journal's names before mid-2026.
  human_message: 'human',
  ai_message: 'ai',
  tool_message: 'tool',
  system_message: 'system',
  summary: 'summary',
};

function roleFromEventType(eventType: string): Role {
  return EVENT_TYPE_ROLES[eventType] ?? eventType;
}

/** LangChain's `dumpd` form: `{lc: 1, type: "constructor", id: [..., "AIMessage"], kwargs: {...}}`. */
function unwrapConstructor(content: JsonObject): { body: JsonObject; typeName: string | null } {
  if (content.lc !== undefined && content.type === 'constructor' && isObject(content.kwargs)) {
    const id = Array.isArray(content.id) ? content.id : [];
    return { body: content.kwargs, typeName: str(id[id.length - 1]) };
  }
  return { body: content, typeName: null };
}

/** A message whose role or type names one of ours, or a LangChain constructor record holding one. */
function isMessageObject(value: JsonValue): value is JsonObject {
  if (!isObject(value)) return false;
  const { body, typeName } = unwrapConstructor(value);
  const declared = str(body.type) ?? str(body.role) ?? typeName;
  return declared !== null && declared.toLowerCase() in ROLE_ALIASES && 'content' in body;
}

/**
 * Older journals stored every content as text, so a message dump arrives as
 * its JSON text; only a text that parses to a message is read as one (any
 * other JSON-looking text stays the text it is).
 */
function messageOfText(content: JsonValue): JsonObject | null {
  if (typeof content !== 'string' || !content.trimStart().startsWith('{')) return null;
  try {
    const parsed = JSON.parse(content) as JsonValue;
    return isMessageObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * An image shown as a placeholder: its media type and payload size for data
 * URLs (the payload itself is never rendered or fetched), the link otherwise.
 */
function imagePart(source: string | null): ContentPart {
  if (!source) return { kind: 'image', label: 'embedded image', bytes: null };
  const comma = source.indexOf(',');
  if (!source.startsWith('data:') || comma < 0) return { kind: 'image', label: source, bytes: null };
  const header = source.slice(5, comma);
  const payload = source.length - comma - 1;
  const base64 = header.endsWith(';base64');
  const padding = source.endsWith('==') ? 2 : source.endsWith('=') ? 1 : 0;
  return {
    kind: 'image',
    label: header.replace(/;base64$/, '') || 'image',
    bytes: base64 ? Math.max(0, Math.floor((payload * 3) / 4) - padding) : payload,
  };
}

interface PartsResult {
  parts: ContentPart[];
  reasoning: string[];
}

function readParts(content: JsonValue | undefined): PartsResult {
  const result: PartsResult = { parts: [], reasoning: [] };
  if (content === undefined || content === null || content === '') return result;
  if (typeof content === 'string') {
    result.parts.push({ kind: 'text', text: content });
    return result;
  }
  if (!Array.isArray(content)) {
    result.parts.push({ kind: 'json', value: content });
    return result;
  }
  for (const item of content) {
    if (typeof item === 'string') {
      result.parts.push({ kind: 'text', text: item });
      continue;
    }
    const part = obj(item);
    const type = str(part.type);
    if (type === 'text' && typeof part.text === 'string') {
      result.parts.push({ kind: 'text', text: part.text });
    } else if (type === 'image_url' || type === 'input_image') {
      const ref = part.image_url ?? part.url;
      result.parts.push(imagePart(str(ref) ?? str(obj(ref).url)));
    } else if (type === 'image') {
      const data = str(part.data) ?? str(part.base64);
      result.parts.push(imagePart(str(part.url) ?? (data ? `data:${str(part.mime_type) ?? 'image'};base64,${data}` : null)));
    } else if (type === 'reasoning' || type === 'thinking') {
      const text = str(part.reasoning) ?? str(part.thinking) ?? str(part.text);
      if (text) result.reasoning.push(text);
    } else {
      result.parts.push({ kind: 'json', value: item });
    }
  }
  return result;
}

/** OpenAI's `{function: {name, arguments: "<json>"}}` and LangChain's `{name, args}` alike. */
function readToolCalls(value: JsonValue | undefined): ToolCall[] {
  if (!Array.isArray(value)) return [];
  return value.map((item) => {
    const call = obj(item);
    const fn = obj(call.function);
    let args: JsonValue = call.args ?? fn.arguments ?? null;
    if (typeof args === 'string') {
      try {
        args = JSON.parse(args) as JsonValue;
      } catch {
        // arguments that are not JSON are shown as the text they are
      }
    }
    return { id: str(call.id), name: str(call.name) ?? str(fn.name) ?? 'tool', args };
  });
}

function readUsage(...sources: JsonValue[]): TokenUsage | null {
  for (const source of sources) {
    const u = obj(source);
    const input = num(u.input_tokens) ?? num(u.prompt_tokens);
    const output = num(u.output_tokens) ?? num(u.completion_tokens);
    const total = num(u.total_tokens) ?? (input !== null && output !== null ? input + output : null);
    if (input !== null || output !== null || total !== null) return { input, output, total };
  }
  return null;
}

export function callerKind(caller: string | null): CallerKind {
  if (caller?.startsWith('middleware:')) return 'middleware';
  if (caller?.startsWith('subagent:')) return 'subagent';
  return 'lead';
}

export function toMessageView(event: Pick<RunEvent, 'event_type' | 'content' | 'metadata'>): MessageView {
  const metadata = obj(event.metadata);
  const caller = str(metadata.caller);
  const base = {
    toolCalls: [] as ToolCall[],
    toolCallId: null,
    toolName: null,
    toolStatus: null,
    reasoning: null,
    model: str(metadata.model_name) ?? str(metadata.model),
    finishReason: null,
    usage: readUsage(metadata.usage ?? null),
    latencyMs: num(metadata.latency_ms),
    caller,
    callerKind: callerKind(caller),
    hidden: metadata.hide_from_ui === true,
    messageId: null,
    rawRole: null,
    truncation: metadata.content_truncated === true ? { originalBytes: num(metadata.original_byte_length) } : null,
  };

  const content = messageOfText(event.content) ?? event.content;
  if (!isObject(content)) {
    const { parts, reasoning } = readParts(content);
    return { ...base, role: roleFromEventType(event.event_type), parts, reasoning: reasoning.join('\n\n') || null };
  }

  const { body, typeName } = unwrapConstructor(content);
  const declared = str(body.type) ?? str(body.role) ?? typeName;
  const alias = declared ? ROLE_ALIASES[declared.toLowerCase()] : undefined;
  if (!alias && !('content' in body)) {
    // Not a message shape at all: show the object as it is.
    return { ...base, role: roleFromEventType(event.event_type), parts: [{ kind: 'json', value: content }] };
  }

  const kwargs = obj(body.additional_kwargs);
  const response = obj(body.response_metadata);
  const { parts, reasoning } = readParts(body.content);
  const reasoningText = str(kwargs.reasoning_content) ?? str(body.reasoning_content) ?? (reasoning.join('\n\n') || null);
  const toolCalls = readToolCalls(body.tool_calls);
  const role = alias ?? roleFromEventType(event.event_type);
  return {
    ...base,
    role,
    rawRole: declared && declared !== role ? declared : null,
    parts,
    toolCalls: toolCalls.length > 0 ? toolCalls : readToolCalls(kwargs.tool_calls),
    toolCallId: str(body.tool_call_id),
    toolName: role === 'tool' ? str(body.name) : null,
    toolStatus: str(body.status),
    reasoning: reasoningText,
    model: str(response.model_name) ?? str(response.model) ?? base.model,
    finishReason: str(response.finish_reason) ?? str(response.stop_reason),
    usage: readUsage(body.usage_metadata ?? null, response.token_usage ?? null, response.usage ?? null, metadata.usage ?? null),
    hidden: base.hidden || kwargs.hide_from_ui === true,
    messageId: str(body.id),
  };
}

/** The message's text parts joined, for previews and thread titles. */
export function messageText(view: MessageView): string {
  return view.parts
    .filter((part): part is Extract<ContentPart, { kind: 'text' }> => part.kind === 'text')
    .map((part) => part.text)
    .join('\n');
}

const viewCache = new WeakMap<RunEvent, MessageView>();

/** Views are derived once per loaded record: rows re-render far more often than records change. */
export function viewOf(event: RunEvent): MessageView {
  let view = viewCache.get(event);
  if (!view) viewCache.set(event, (view = toMessageView(event)));
  return view;
}

/** A title's length at most, in UTF-16 units: a row shows one line of it, and main keeps one per thread. */
export const TITLE_MAX_LENGTH = 200;

/** `text` cut to `max` UTF-16 units, never between the two halves of a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\ud800-\udbff]/.test(text[max - 1]) ? max - 1 : max;
  return text.slice(0, end);
}

/** A thread's title when it has no display name: its first human message, on one line, cut to TITLE_MAX_LENGTH. */
export function firstHumanText(events: readonly RunEvent[]): string | null {
  for (const event of events) {
    const view = viewOf(event);
    if (view.role !== 'human') continue;
    const text = messageText(view).replace(/\s+/g, ' ').trim();
    if (text) return cut(text, TITLE_MAX_LENGTH);
  }
  return null;
}

/**
 * What a human message is known by before it is read (for a filter in SQL
 * that must keep every one): its event type reads as human
 * (roleFromEventType, which takes an unknown type as the role), or its
 * content holds one of these role names (ROLE_ALIASES), whatever the case.
 */
export const HUMAN_MESSAGE_SIGNS: { eventTypes: readonly string[]; roleNames: readonly string[] } = {
  eventTypes: [...Object.keys(EVENT_TYPE_ROLES).filter((type) => EVENT_TYPE_ROLES[type] === 'human'), 'human'],
  roleNames: Object.keys(ROLE_ALIASES).filter((name) => ROLE_ALIASES[name] === 'human'),
};
