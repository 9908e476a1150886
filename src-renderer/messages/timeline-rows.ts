// The timeline's rows: messages, with a run boundary wherever the run
// changes and one for each run without messages where it happened, minus the
// kinds of message the viewer chose to hide.
import { instantMs } from '../../src-shared/time.ts';
import type { RunEvent, RunSummary } from '../../src-shared/types.ts';
import type { MessageView } from '../../src-shared/message-model.ts';
import { viewOf } from '../../src-shared/message-model.ts';
import type { MessageWindow } from './message-window.ts';

export interface Visibility {
  hidden: boolean;
  middleware: boolean;
  subagent: boolean;
}

export const defaultVisibility: Visibility = { hidden: false, middleware: false, subagent: true };

export type TimelineRow =
  | { kind: 'run'; key: string; runId: string; hasMessages: boolean }
  | { kind: 'message'; key: number; event: RunEvent; view: MessageView };

/** The toggles a message answers to: a middleware's title message is often hidden too. */
export function concealedBy(view: MessageView): (keyof Visibility)[] {
  const toggles: (keyof Visibility)[] = [];
  if (view.hidden) toggles.push('hidden');
  if (view.callerKind !== 'lead') toggles.push(view.callerKind);
  return toggles;
}

/** Any one of its toggles shows a message: asking for middleware messages shows them, hidden or not. */
export function isShown(view: MessageView, visibility: Visibility): boolean {
  const toggles = concealedBy(view);
  return toggles.length === 0 || toggles.some((toggle) => visibility[toggle]);
}

/** The toggles with one more on, so that a message sought (a search hit, a link, a typed seq) shows; null when it shows already. */
export function revealing(message: RunEvent, visibility: Visibility): Visibility | null {
  const view = viewOf(message);
  return isShown(view, visibility) ? null : { ...visibility, [concealedBy(view)[0]]: true };
}

/**
 * Whether a run without messages happened before a message: by seq where the
 * store knows the run's seq range, else by the time of its first event. A run
 * placed by neither goes after every message.
 */
function precedes(run: RunSummary, event: RunEvent): boolean {
  if (run.first_seq != null) return run.first_seq < event.seq;
  if (run.first_created_at) return instantMs(run.first_created_at) < instantMs(event.created_at);
  return false;
}

/** Runs without messages by the index of the loaded message each precedes (events.length: after them all), in the order they ran. */
function silentRunSlots(events: readonly RunEvent[], runs: Iterable<RunSummary>): Map<number, RunSummary[]> {
  const slots = new Map<number, RunSummary[]>();
  for (const run of runs) {
    if (run.message_count > 0) continue;
    const found = events.findIndex((event) => precedes(run, event));
    const slot = found < 0 ? events.length : found;
    slots.set(slot, [...(slots.get(slot) ?? []), run]);
  }
  const started = (run: RunSummary) => run.first_seq ?? (run.first_created_at ? instantMs(run.first_created_at) : Number.POSITIVE_INFINITY);
  for (const group of slots.values()) group.sort((a, b) => started(a) - started(b) || a.run_id.localeCompare(b.run_id));
  return slots;
}

/**
 * A boundary precedes the first loaded message of each run segment; at the
 * top of the window only once nothing older is left to load (otherwise the
 * run may have begun further up). A run without messages gets its boundary
 * where it falls among the loaded messages: before the first one or after the
 * last one only when nothing older, or newer, is left to load.
 */
export function buildRows(window: MessageWindow, visibility: Visibility, runs: Iterable<RunSummary> = []): TimelineRow[] {
  const { events, hasOlder, hasNewer } = window;
  const slots = silentRunSlots(events, runs);
  const rows: TimelineRow[] = [];
  let currentRun = hasOlder ? events[0]?.run_id : undefined;
  const placeSilentRuns = (slot: number) => {
    const outside = (slot === 0 && hasOlder) || (slot === events.length && hasNewer);
    if (outside) return;
    for (const { run_id } of slots.get(slot) ?? []) {
      rows.push({ kind: 'run', key: `run:${run_id}`, runId: run_id, hasMessages: false });
      currentRun = run_id;
    }
  };
  events.forEach((event, i) => {
    placeSilentRuns(i);
    if (event.run_id !== currentRun) {
      rows.push({ kind: 'run', key: `run:${event.run_id}:${event.seq}`, runId: event.run_id, hasMessages: true });
      currentRun = event.run_id;
    }
    const view = viewOf(event);
    if (isShown(view, visibility)) rows.push({ kind: 'message', key: event.seq, event, view });
  });
  placeSilentRuns(events.length);
  return rows;
}

/** How many loaded messages each toggle answers for, for the toggles' labels. */
export function concealedCounts(events: readonly RunEvent[]): Record<keyof Visibility, number> {
  const counts = { hidden: 0, middleware: 0, subagent: 0 };
  for (const event of events) for (const toggle of concealedBy(viewOf(event))) counts[toggle]++;
  return counts;
}

export interface ToolPairs {
  /** tool_call_id → the tool result message answering it. */
  results: Map<string, RunEvent>;
  /** tool_call_id → the AI message that made the call. */
  calls: Map<string, RunEvent>;
}

export function pairTools(events: readonly RunEvent[]): ToolPairs {
  const pairs: ToolPairs = { results: new Map(), calls: new Map() };
  for (const event of events) {
    const view = viewOf(event);
    if (view.toolCallId) pairs.results.set(view.toolCallId, event);
    for (const call of view.toolCalls) if (call.id) pairs.calls.set(call.id, event);
  }
  return pairs;
}
