// Which run_events ids a reader of a PostgreSQL source (the live follower,
// the thread list) has seen: all up to `top`, but for the gaps. A SERIAL id
// is handed out at insert and becomes visible at commit, so a writer that
// commits later than another shows a lower id after a higher one was seen;
// the ids missing below the top are kept as gaps and looked at again at each
// check, until a row fills them or they are old enough to be a rolled-back
// insert's (a census of the table still catches a commit later than that).

/** Ids from `first` to `last` not seen, since `since` (performance.now()). */
export interface IdGap {
  first: number;
  last: number;
  since: number;
}

export interface GapRules {
  /** A gap older than this is let go: its insert was rolled back, or commits so late only the census sees it. */
  keepMs: number;
  /** At most this many gaps are kept, the youngest (a writer rolling back often makes many). */
  most: number;
}

/** `gap` without the ids in `ids` (ascending, from `from` on): the pieces left, and where `ids` goes on after it. */
function piecesOf(gap: IdGap, ids: readonly number[], from: number): { pieces: IdGap[]; next: number } {
  const pieces: IdGap[] = [];
  let first = gap.first;
  let at = from;
  for (; at < ids.length && ids[at] <= gap.last; at++) {
    if (ids[at] > first) pieces.push({ first, last: ids[at] - 1, since: gap.since });
    first = ids[at] + 1;
  }
  if (first <= gap.last) pieces.push({ first, last: gap.last, since: gap.since });
  return { pieces, next: at };
}

export class IdGaps {
  /** The highest id seen. */
  readonly top: number;
  /** Ascending and apart, all below `top`. */
  readonly gaps: readonly IdGap[];

  constructor(top: number, gaps: readonly IdGap[] = []) {
    this.top = top;
    this.gaps = gaps;
  }

  /**
   * The ids seen after a look that found `ids` (ascending: rows above the top and in the gaps) and read
   * the table up to `reached` (≥ every id above the top it found): what it did not find up to there is a
   * gap since `now`.
   */
  after(ids: readonly number[], reached: number, now: number, rules: GapRules): IdGaps {
    const unseen = reached > this.top ? [...this.gaps, { first: this.top + 1, last: reached, since: now }] : this.gaps;
    let pieces: IdGap[] = [];
    let at = 0;
    for (const gap of unseen) {
      while (at < ids.length && ids[at] < gap.first) at++;
      const cut = piecesOf(gap, ids, at);
      pieces.push(...cut.pieces);
      at = cut.next;
    }
    pieces = pieces.filter((gap) => now - gap.since <= rules.keepMs);
    if (pieces.length > rules.most) {
      const youngest = new Set([...pieces].sort((a, b) => b.since - a.since).slice(0, rules.most));
      pieces = pieces.filter((gap) => youngest.has(gap));
    }
    return new IdGaps(Math.max(this.top, reached), pieces);
  }

  /** The gaps as the look's two arrays (SQL's unnest). */
  get bounds(): { firsts: number[]; lasts: number[] } {
    return { firsts: this.gaps.map((gap) => gap.first), lasts: this.gaps.map((gap) => gap.last) };
  }
}
