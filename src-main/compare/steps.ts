// A run's steps as a comparison sees them (issue 12): what a developer reads
// when two runs of one prompt are put side by side, in the run's order. Each
// step has a key that the sequence diff matches on (its kind and its tool,
// subagent type or role) and a text that decides whether a matched pair is the
// same: ids, seqs and timestamps are never part of either.
import { SUBAGENT_END_TYPE, SUBAGENT_START_TYPE } from '../../src-shared/span-lanes.ts';
import type { JsonObject, JsonValue, RunEvent } from '../../src-shared/types.ts';
import { ERROR_EVENT_TYPES } from '../store/overview.ts';
import { AI_MESSAGE_TYPES, messageObject, objectOf, stringOf, TOOL_RESULT_TYPE } from '../store/run-facts.ts';

export interface Step {
  /** What the diff matches on: kind, then tool name / subagent type / role. */
  key: string;
  seq: number;
  event_type: string;
  label: string;
  /** Untruncated: compared whole, cut only when sent. */
  text: string;
}

const HUMAN_TYPES: readonly string[] = ['llm.human.input', 'human_message'];
const TOOL_RESULT_TYPES: readonly string[] = [TOOL_RESULT_TYPE, 'tool_message', 'tool_end'];
/** The journal's tool call before mid-2026: `{name, args}` as JSON text, its answer the next tool_end / tool_error. */
const LEGACY_TOOL_START = 'tool_start';

/** JSON with object keys sorted, so two equal values read the same whatever order a producer wrote their keys in. */
export function canonicalJson(value: JsonValue | undefined): string {
  return JSON.stringify(value ?? null, (_key, inner: unknown) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : inner,
  );
}

/** A LangChain `dumpd` record's message (`kwargs`), else the object itself. */
function unwrapped(message: JsonObject): JsonObject {
  return message.type === 'constructor' ? (objectOf(message.kwargs) ?? message) : message;
}

/** A message content's text: the string, or its text parts joined; any other shape as canonical JSON. */
function contentText(content: JsonValue | undefined): string {
  if (typeof content === 'string') return content;
  if (content === undefined || content === null) return '';
  if (Array.isArray(content)) {
    return content.map((part) => (typeof part === 'string' ? part : (stringOf(objectOf(part)?.text) ?? canonicalJson(part)))).join('\n');
  }
  return canonicalJson(content);
}

/** The text of a message event: its message's content, else the event's content as it is. */
function messageText(content: JsonValue): string {
  const message = messageObject(content);
  if (message === undefined) return contentText(content);
  const body = unwrapped(message);
  return 'content' in body ? contentText(body.content) : canonicalJson(content);
}

interface ParsedCall {
  id: string | null;
  name: string;
  args: string;
}

/** A tool call's arguments as canonical JSON: LangChain's `args` object, or OpenAI's `function.arguments` JSON text. */
function argumentsOf(call: JsonObject): string {
  if (call.args !== undefined) return canonicalJson(call.args);
  const raw = objectOf(call.function)?.arguments;
  if (typeof raw !== 'string') return canonicalJson(raw);
  try {
    return canonicalJson(JSON.parse(raw) as JsonValue);
  } catch {
    return raw;
  }
}

function callsOf(content: JsonValue): ParsedCall[] {
  const message = messageObject(content);
  const calls = message === undefined ? undefined : unwrapped(message).tool_calls;
  if (!Array.isArray(calls)) return [];
  return calls.flatMap((value) => {
    const call = objectOf(value);
    if (!call) return [];
    const name = stringOf(call.name) ?? stringOf(objectOf(call.function)?.name) ?? 'tool';
    return [{ id: stringOf(call.id), name, args: argumentsOf(call) }];
  });
}

/** Calls listed by name, then arguments: parallel calls a run made in another order are the same calls. */
const byNameAndArguments = (x: ParsedCall, y: ParsedCall) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.args < y.args ? -1 : x.args > y.args ? 1 : 0);

const toolStep = (kind: 'call' | 'result', name: string, event: RunEvent, text: string): Step => ({
  key: `tool_${kind}:${name}`,
  seq: event.seq,
  event_type: event.event_type,
  label: `Tool ${kind} ${name}`,
  text,
});

/** The calls' order each result takes: its call's place among the turn's calls, sorted as the calls are. */
interface Turn {
  order: Map<string, number>;
  names: Map<string, string>;
}

/** A run's steps, `events` in seq order. */
export function stepsOf(events: readonly RunEvent[]): Step[] {
  const steps: Step[] = [];
  let turn: Turn = { order: new Map(), names: new Map() };
  /** The tool results since the turn's AI message, each with its call's place, listed in that place's order once the turn ends. */
  let results: { place: number; step: Step }[] = [];
  let legacyCallName: string | null = null;
  const endResults = () => {
    steps.push(...results.sort((x, y) => x.place - y.place).map(({ step }) => step));
    results = [];
  };
  for (const event of events) {
    const type = event.event_type;
    if (TOOL_RESULT_TYPES.includes(type)) {
      const message = messageObject(event.content);
      const callId = message === undefined ? null : stringOf(unwrapped(message).tool_call_id);
      const name = (callId === null ? undefined : turn.names.get(callId)) ?? (message && stringOf(unwrapped(message).name)) ?? legacyCallName ?? 'tool';
      const place = (callId === null ? undefined : turn.order.get(callId)) ?? Number.MAX_SAFE_INTEGER;
      results.push({ place, step: toolStep('result', name, event, messageText(event.content)) });
      legacyCallName = null;
      continue;
    }
    endResults();
    if (HUMAN_TYPES.includes(type)) {
      steps.push({ key: 'human', seq: event.seq, event_type: type, label: 'Human input', text: messageText(event.content) });
    } else if (AI_MESSAGE_TYPES.includes(type)) {
      steps.push({ key: 'ai', seq: event.seq, event_type: type, label: 'AI response', text: messageText(event.content) });
      const calls = callsOf(event.content).sort(byNameAndArguments);
      turn = { order: new Map(), names: new Map() };
      calls.forEach((call, place) => {
        if (call.id !== null) {
          turn.order.set(call.id, place);
          turn.names.set(call.id, call.name);
        }
        steps.push(toolStep('call', call.name, event, call.args));
      });
    } else if (type === LEGACY_TOOL_START) {
      const call = messageObject(event.content);
      legacyCallName = stringOf(call?.name) ?? 'tool';
      steps.push(toolStep('call', legacyCallName, event, call ? argumentsOf(call) : contentText(event.content)));
    } else if (ERROR_EVENT_TYPES.includes(type)) {
      steps.push({ key: 'error', seq: event.seq, event_type: type, label: `Error (${type})`, text: messageText(event.content) });
      legacyCallName = null;
    } else if (type === SUBAGENT_START_TYPE || type === SUBAGENT_END_TYPE) {
      const content = objectOf(event.content);
      const subagent = stringOf(content?.subagent_type) ?? 'subagent';
      const start = type === SUBAGENT_START_TYPE;
      steps.push({
        key: start ? `task:${subagent}` : 'task_end',
        seq: event.seq,
        event_type: type,
        label: start ? `Subagent task ${subagent}` : 'Subagent task end',
        text: start ? contentText(content?.description ?? content?.prompt ?? event.content) : contentText(content?.result ?? event.content),
      });
    }
  }
  endResults();
  return steps;
}
