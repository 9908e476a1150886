// F3 / Shift+F3 and the ▲▼ buttons: from the hit opened last to the next or
// previous one, asking for the next page when the step runs past the loaded hits.
import type { SearchHit } from '../../src-shared/types.ts';
import type { Selection } from '../app/selection.ts';
import { noFilter } from '../trace/trace-filter.ts';

export type HitStep = { kind: 'open'; index: number } | { kind: 'load' } | { kind: 'none' };

/** `current` null: no hit opened yet, and either key starts at the first. No wrapping: the ends say so. */
export function stepHit(current: number | null, direction: 1 | -1, loaded: number, hasMore: boolean): HitStep {
  const target = current === null ? 0 : current + direction;
  if (target < 0) return { kind: 'none' };
  if (target < loaded) return { kind: 'open', index: target };
  return hasMore ? { kind: 'load' } : { kind: 'none' };
}

/** Where a hit opens: a message in its thread's timeline, any other event in its run's trace. */
export function hitSelection(hit: SearchHit): Partial<Selection> {
  // The hit's run, unfiltered, either way: the trace tab then shows the run the hit is in, with the event in it.
  return { threadId: hit.thread_id, tab: hit.category === 'message' ? 'messages' : 'trace', runId: hit.run_id, eventSeq: hit.seq, traceFilter: noFilter };
}
