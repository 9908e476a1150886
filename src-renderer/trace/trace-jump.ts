// Going to one event of a run's trace ("Show in trace", the seq box, a link):
// the trace loads forward from the run's start, so an event past the loaded
// pages is reached by loading the pages up to it.

export type JumpState =
  /** Nothing to go to. */
  | { state: 'none' }
  | { state: 'found'; index: number }
  /** Beyond the loaded pages: load more. */
  | { state: 'reaching' }
  /** Not among this run's events as filtered: another run's, filtered out, or no event at all. */
  | { state: 'absent' };

export interface SeqRange {
  first_seq?: number | null;
  last_seq?: number | null;
}

export function jumpState(target: number | null, events: readonly { seq: number }[], hasMore: boolean, run?: SeqRange): JumpState {
  if (target === null) return { state: 'none' };
  const index = events.findIndex((e) => e.seq === target);
  if (index >= 0) return { state: 'found', index };
  // The run's seq range, where the read model knows it, spares loading a whole run for another run's event.
  if ((run?.first_seq != null && target < run.first_seq) || (run?.last_seq != null && target > run.last_seq)) return { state: 'absent' };
  const last = events[events.length - 1];
  return hasMore && last !== undefined && last.seq < target ? { state: 'reaching' } : { state: 'absent' };
}

/** The page size that reaches `target` from `lastSeq` in as few requests as stay small: seqs count every event of the thread, so no more than that many rows lie between. */
export function reachLimit(target: number, lastSeq: number, page: number, maxPage: number): number {
  return Math.min(maxPage, Math.max(page, target - lastSeq));
}
