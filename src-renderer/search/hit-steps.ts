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

export interface LoadedHits {
  hits: readonly SearchHit[];
  /** No more pages. */
  done: boolean;
}

/**
 * One F3 from `current`: the hit to open and its index, after loading the next
 * page when the step runs past the loaded hits; null at either end, or when the
 * load was dropped (the search changed meanwhile).
 */
export async function stepThroughHits(
  current: number | null,
  direction: 1 | -1,
  loaded: LoadedHits,
  loadMore: () => Promise<LoadedHits | null>,
): Promise<{ hit: SearchHit; index: number } | null> {
  let step = stepHit(current, direction, loaded.hits.length, !loaded.done);
  let list = loaded;
  if (step.kind === 'load') {
    const more = await loadMore();
    if (!more) return null;
    list = more;
    step = stepHit(current, direction, list.hits.length, !list.done);
  }
  return step.kind === 'open' ? { hit: list.hits[step.index], index: step.index } : null;
}

/** Where a hit opens: a message in its thread's timeline, any other event in its run's trace. */
export function hitSelection(hit: SearchHit): Partial<Selection> {
  // The hit's run, unfiltered, in the event table, either way: the trace tab then shows the run the hit is in, with the event's row in it.
  return { threadId: hit.thread_id, tab: hit.category === 'message' ? 'messages' : 'trace', runId: hit.run_id, eventSeq: hit.seq, traceFilter: noFilter, traceMode: 'events' };
}
