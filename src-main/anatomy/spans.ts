// A run's spans for the waterfall (issue 11), from its events alone: the run,
// each LLM call, each tool-call entry paired with its result, each subagent
// task with its steps and its subagent's own LLM calls inside it, and every
// other event as an instant on its lane.
import { isActiveStatus, isStoppedStatus, OUTCOME_TYPES, RUN_START_TYPES } from '../../src-shared/run-status.ts';
import { LEAD_AGENT_LANE, MIDDLEWARE_PREFIX, SUBAGENT_CALLER_PREFIX, SUBAGENT_END_TYPE, SUBAGENT_START_TYPE, SUBAGENT_STEP_TYPE, taskLane } from '../../src-shared/span-lanes.ts';
import type { JsonValue, RunEvent, RunSpan, SpanKind, SpanStatus } from '../../src-shared/types.ts';
import { aiModelOf, AI_MESSAGE_TYPES, isFailedToolResult, messageObject, objectOf, stringOf, taskIdOf, TOOL_RESULT_TYPE, toolCallIdOf, toolCallsOf } from '../store/run-facts.ts';
import { isErrorEvent } from '../store/overview.ts';
import { lifecycleOf, statusOf } from './stop-reason.ts';
import { before, extentOf, interval, measured, placement, stampedEvents, type Instant, type Stamped } from './span-time.ts';

/** A span while it is built: its parent by reference, made an index once the spans are sorted. */
interface Draft {
  kind: SpanKind;
  name: string;
  lane: string;
  seq: number;
  end_seq: number | null;
  start: Instant;
  end: Instant;
  status: SpanStatus;
  parent: Draft | null;
}

interface Task {
  id: string;
  type: string | null;
  start: RunEvent;
  end: RunEvent | undefined;
  span: Draft;
}

export interface RunShape {
  spans: RunSpan[];
  /** The run's start (run.start, else its earliest event) and end (run.end / run.error, else its latest event); null without events. */
  started_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  /** The latest created_at of its events (what a run without an end is judged by); null without events. */
  latest_created_at: string | null;
}

/** DeerFlow's tool that delegates to a subagent: its call's id is the task's id. */
const TASK_TOOL = 'task';

const callerOf = (event: RunEvent): string => stringOf(event.metadata.caller) ?? LEAD_AGENT_LANE;

/** A subagent step's names: one per tool call it records, else the tool it reports on, else `subagent.step`. */
function stepNames(content: JsonValue): string[] {
  const fallback = stringOf(messageObject(content)?.tool_name) ?? SUBAGENT_STEP_TYPE;
  const calls = toolCallsOf(content);
  return calls.length > 0 ? calls.map((call) => call.name ?? fallback) : [fallback];
}

/**
 * The task an LLM call at `event` belongs to: the one its own task id names,
 * else, of the tasks open at its seq, the one of its subagent type started
 * last; none else (it stays on its caller's lane, under the run).
 */
function enclosingTask(tasks: ReadonlyMap<string, Task>, event: RunEvent): Task | undefined {
  const ownId = taskIdOf(event);
  const own = ownId === null ? undefined : tasks.get(ownId);
  if (own) return own;
  const caller = callerOf(event);
  if (!caller.startsWith(SUBAGENT_CALLER_PREFIX)) return undefined;
  const type = caller.slice(SUBAGENT_CALLER_PREFIX.length);
  let latestOfType: Task | undefined;
  for (const task of tasks.values()) {
    if (task.type !== type || task.start.seq > event.seq || (task.end && task.end.seq < event.seq)) continue;
    if (!latestOfType || task.start.seq > latestOfType.start.seq) latestOfType = task;
  }
  return latestOfType;
}

const isWithin = (span: Draft, ancestor: Draft): boolean => {
  for (let at: Draft | null = span; at !== null; at = at.parent) if (at === ancestor) return true;
  return false;
};

/** The run's own span: failed when its status says it failed or was stopped short, open while it is going. */
const runSpanStatus = (status: string): SpanStatus => (isStoppedStatus(status) ? 'error' : isActiveStatus(status) ? 'open' : 'ok');

/** `events` in seq order; `status` the run's (statusOf: the runs row's, else its events'). */
export function deriveSpans(events: readonly RunEvent[], status: string = statusOf({ ...lifecycleOf(events), recorded: null })): RunShape {
  if (events.length === 0) return { spans: [], started_at: null, ended_at: null, duration_ms: null, latest_created_at: null };
  const stamped = stampedEvents(events);
  const extent = extentOf(stamped.map((e) => e.at));
  const startEvent = stamped.find((e) => RUN_START_TYPES.includes(e.event.event_type));
  const endEvent = stamped.findLast((e) => OUTCOME_TYPES.includes(e.event.event_type));
  // Where a lifecycle stamp is unreadable, the run spans its first to its last readable stamp.
  const earliest = extent?.earliest ?? stamped[0].at;
  const latest = extent?.latest ?? stamped[stamped.length - 1].at;
  const run: Draft = {
    kind: 'run',
    name: 'run',
    lane: LEAD_AGENT_LANE,
    seq: startEvent?.event.seq ?? stamped[0].event.seq,
    end_seq: endEvent?.event.seq ?? null,
    start: startEvent && !startEvent.at.borrowed ? startEvent.at : earliest,
    end: endEvent && !endEvent.at.borrowed ? endEvent.at : latest,
    status: runSpanStatus(status),
    parent: null,
  };
  /** An open span reaches the run's latest event, so its bar runs to the end. */
  const openEnd = latest;

  const tasks = new Map<string, Task>();
  const taskEnds = new Map<string, Stamped>();
  /** Each call id's results in seq order: calls of one id take them in turn. */
  const results = new Map<string, Stamped[]>();
  for (const stamp of stamped) {
    const { event } = stamp;
    const taskId = taskIdOf(event);
    if (event.event_type === SUBAGENT_END_TYPE && taskId !== null && !taskEnds.has(taskId)) taskEnds.set(taskId, stamp);
    if (event.event_type === TOOL_RESULT_TYPE) {
      const callId = toolCallIdOf(event.content);
      if (callId === null) continue;
      const queue = results.get(callId);
      if (queue) queue.push(stamp);
      else results.set(callId, [stamp]);
    }
  }
  for (const { event, at } of stamped) {
    const taskId = taskIdOf(event);
    if (event.event_type !== SUBAGENT_START_TYPE || taskId === null || tasks.has(taskId)) continue;
    const end = taskEnds.get(taskId);
    const endStatus = stringOf(objectOf(end?.event.content)?.status);
    tasks.set(taskId, {
      id: taskId,
      type: stringOf(objectOf(event.content)?.subagent_type),
      start: event,
      end: end?.event,
      span: {
        kind: 'subagent',
        name: stringOf(objectOf(event.content)?.subagent_type) ?? 'subagent',
        lane: taskLane(taskId),
        seq: event.seq,
        end_seq: end?.event.seq ?? null,
        start: at,
        end: end ? end.at : openEnd,
        status: !end ? 'open' : isStoppedStatus(endStatus) ? 'error' : 'ok',
        parent: run,
      },
    });
  }

  const drafts: Draft[] = [];
  const claimed = new Set<RunEvent>();
  const toolResults: Stamped[] = [];
  const taskCalls = new Map<string, Draft>();
  const instant = ({ event, at }: Stamped, name: string, lane: string, parent: Draft, status: SpanStatus = 'ok'): Draft =>
    ({ kind: 'event', name, lane, seq: event.seq, end_seq: event.seq, start: at, end: at, status, parent });

  for (const stamp of stamped) {
    if (stamp === startEvent || stamp === endEvent) continue;
    const { event, at } = stamp;
    const type = event.event_type;
    if (AI_MESSAGE_TYPES.includes(type)) {
      const task = enclosingTask(tasks, event);
      const lane = task ? task.span.lane : callerOf(event);
      const parent = task?.span ?? run;
      const latency = event.metadata.latency_ms;
      const start = typeof latency === 'number' && latency > 0 ? before(at, latency) : at;
      drafts.push({ kind: 'llm', name: aiModelOf(event.content, event.metadata) ?? 'llm', lane, seq: event.seq, end_seq: event.seq, start, end: at, status: 'ok', parent });
      for (const call of toolCallsOf(event.content)) {
        const paired = call.id === null ? undefined : results.get(call.id)?.shift();
        if (paired) claimed.add(paired.event);
        const span: Draft = {
          kind: 'tool',
          name: call.name ?? 'tool',
          lane,
          seq: event.seq,
          end_seq: paired?.event.seq ?? null,
          start: at,
          end: paired ? paired.at : openEnd,
          status: !paired ? 'open' : isFailedToolResult(paired.event) ? 'error' : 'ok',
          parent,
        };
        drafts.push(span);
        if (call.name === TASK_TOOL && call.id !== null && !taskCalls.has(call.id)) taskCalls.set(call.id, span);
      }
      continue;
    }
    if (type === TOOL_RESULT_TYPE) {
      toolResults.push(stamp);
      continue;
    }
    const taskId = taskIdOf(event);
    const task = taskId === null ? undefined : tasks.get(taskId);
    if (type === SUBAGENT_START_TYPE && task?.start === event) {
      drafts.push(task.span);
      continue;
    }
    if (type === SUBAGENT_END_TYPE && task?.end === event) continue;
    const lane = task ? task.span.lane : type.startsWith(MIDDLEWARE_PREFIX) ? type : callerOf(event);
    const status = isErrorEvent(event) ? 'error' : 'ok';
    // The tool calls a step records are the task's own: each an event span of its own, not a `tool` span.
    for (const name of type === SUBAGENT_STEP_TYPE ? stepNames(event.content) : [type]) drafts.push(instant(stamp, name, lane, task?.span ?? run, status));
  }
  // A tool result is its call's end; one no call claims is an instant where it was recorded.
  for (const result of toolResults) {
    if (claimed.has(result.event)) continue;
    const task = tasks.get(taskIdOf(result.event) ?? '');
    drafts.push(instant(result, TOOL_RESULT_TYPE, task?.span.lane ?? callerOf(result.event), task?.span ?? run, isFailedToolResult(result.event) ? 'error' : 'ok'));
  }
  // A task sits under the `task` tool call that started it, unless that call was made inside the task itself.
  for (const task of tasks.values()) {
    const call = taskCalls.get(task.id);
    task.span.parent = call && !isWithin(call, task.span) ? call : run;
  }

  return { spans: ordered(run, drafts), ...interval(run.start, run.end), latest_created_at: latest.text };
}

/** The run first, then every span by where it is placed and seq (stable), parents as indexes into that order. */
function ordered(run: Draft, drafts: readonly Draft[]): RunSpan[] {
  const placed = drafts.map((draft) => ({ draft, ...placement(draft.start, draft.end) }));
  placed.sort((a, b) => (a.first.ms < b.first.ms ? -1 : a.first.ms > b.first.ms ? 1 : a.draft.seq - b.draft.seq));
  const all = [{ draft: run, ...placement(run.start, run.end) }, ...placed];
  const index = new Map(all.map(({ draft }, i) => [draft, i]));
  return all.map(({ draft, first, last }): RunSpan => {
    const { started_at, ended_at, duration_ms } = measured({ first, last });
    return {
      kind: draft.kind,
      name: draft.name,
      lane: draft.lane,
      seq: draft.seq,
      end_seq: draft.end_seq,
      started_at,
      ended_at,
      duration_ms,
      status: draft.status,
      parent: draft.parent === null ? null : (index.get(draft.parent) ?? 0),
    };
  });
}
