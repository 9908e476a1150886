// The timeline's rows: messages, with a run boundary wherever the run
// changes, minus the kinds of message the viewer chose to hide.
import type { RunEvent } from '../../src-shared/types.ts';
import type { MessageView } from './message-model.ts';
import { viewOf } from './message-model.ts';

export interface Visibility {
  hidden: boolean;
  middleware: boolean;
  subagent: boolean;
}

export const defaultVisibility: Visibility = { hidden: false, middleware: false, subagent: true };

export type TimelineRow =
  | { kind: 'run'; key: string; runId: string; firstSeq: number }
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

/**
 * A boundary precedes the first loaded message of each run segment; at the
 * top of the window only once nothing older is left to load (otherwise the
 * run may have begun further up).
 */
export function buildRows(events: readonly RunEvent[], hasOlder: boolean, visibility: Visibility): TimelineRow[] {
  const rows: TimelineRow[] = [];
  events.forEach((event, i) => {
    const startsRun = i === 0 ? !hasOlder : events[i - 1].run_id !== event.run_id;
    if (startsRun) rows.push({ kind: 'run', key: `run:${event.run_id}:${event.seq}`, runId: event.run_id, firstSeq: event.seq });
    const view = viewOf(event);
    if (isShown(view, visibility)) rows.push({ kind: 'message', key: event.seq, event, view });
  });
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
