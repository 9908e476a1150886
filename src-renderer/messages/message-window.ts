// The contiguous slice of a thread's messages the timeline holds, grown by
// seq cursors in either direction. It is capped: scrolling through a
// 200,000-message thread must not keep every page in memory, so growing one
// end drops rows from the other and marks that side as loadable again.
import type { RunEvent, RunSummary } from '../../src-shared/types.ts';

export interface MessageWindow {
  events: RunEvent[];
  /** Messages exist before events[0] (or the window is empty for now). */
  hasOlder: boolean;
  /** Messages exist after the last event. */
  hasNewer: boolean;
}

export const PAGE_SIZE = 100;
export const MAX_LOADED = 1500;

export const emptyWindow: MessageWindow = { events: [], hasOlder: false, hasNewer: false };

/** The newest page: what a thread opens at. */
export function latestWindow(page: RunEvent[], limit = PAGE_SIZE): MessageWindow {
  return { events: page, hasOlder: page.length >= limit, hasNewer: false };
}

/** The oldest page (after seq 0). */
export function startWindow(page: RunEvent[], limit = PAGE_SIZE): MessageWindow {
  return { events: page, hasOlder: false, hasNewer: page.length >= limit };
}

/** Pages on both sides of a seq jumped to: `before` ends below it, `from` starts at it. */
export function aroundWindow(before: RunEvent[], from: RunEvent[], limit: number): MessageWindow {
  return { events: [...before, ...from], hasOlder: before.length >= limit, hasNewer: from.length >= limit };
}

export function withOlder(window: MessageWindow, page: RunEvent[], limit = PAGE_SIZE, max = MAX_LOADED): MessageWindow {
  const first = window.events[0]?.seq ?? Infinity;
  const older = page.filter((e) => e.seq < first);
  let events = [...older, ...window.events];
  let hasNewer = window.hasNewer;
  if (events.length > max) {
    events = events.slice(0, max);
    hasNewer = true;
  }
  return { events, hasOlder: page.length >= limit, hasNewer };
}

export function withNewer(window: MessageWindow, page: RunEvent[], limit = PAGE_SIZE, max = MAX_LOADED): MessageWindow {
  const last = window.events[window.events.length - 1]?.seq ?? -Infinity;
  const newer = page.filter((e) => e.seq > last);
  let events = [...window.events, ...newer];
  let hasOlder = window.hasOlder;
  if (events.length > max) {
    events = events.slice(events.length - max);
    hasOlder = true;
  }
  return { events, hasOlder, hasNewer: page.length >= limit };
}

/** What the window needs of a run to tell whether it holds all of the run's messages. */
export type RunSpan = Pick<RunSummary, 'message_count' | 'first_seq' | 'last_seq'>;

/**
 * Whether the store was rewritten under the window, so appends past its end cannot bring it up to date:
 * a run of the window lost messages or seqs (events deleted inside a run kept), or a run whose seqs lie
 * wholly inside the loaded range has other messages there than the window holds (a thread deleted and
 * written again under seqs the window had passed). Runs that are only gone are not: their rows just leave.
 */
export function rewrittenUnder(window: MessageWindow, before: ReadonlyMap<string, RunSpan>, runs: ReadonlyMap<string, RunSpan>): boolean {
  const { events, hasOlder } = window;
  if (events.length === 0) return false;
  const low = hasOlder ? events[0].seq : Number.NEGATIVE_INFINITY;
  // Not past the last row even when the window reaches the end: a run the runs list saw grow is not loaded yet, not rewritten.
  const high = events[events.length - 1].seq;
  for (const runId of new Set(events.map((event) => event.run_id))) {
    const was = before.get(runId);
    const now = runs.get(runId);
    if (was && now && (now.message_count < was.message_count || (now.last_seq ?? 0) < (was.last_seq ?? 0))) return true;
  }
  const inside = (run: RunSpan | undefined): run is RunSpan & { first_seq: number; last_seq: number } =>
    run !== undefined && run.first_seq !== null && run.last_seq !== null && run.first_seq >= low && run.last_seq <= high;
  // One pass over the window (not one per run): how many of each such run's messages it holds.
  const held = new Map<string, number>();
  for (const event of events) {
    const run = runs.get(event.run_id);
    if (inside(run) && event.seq >= run.first_seq && event.seq <= run.last_seq) held.set(event.run_id, (held.get(event.run_id) ?? 0) + 1);
  }
  for (const [runId, run] of runs) if (inside(run) && (held.get(runId) ?? 0) !== run.message_count) return true;
  return false;
}
