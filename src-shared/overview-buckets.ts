// How a thread's seq range is cut into the overview strip's buckets (issue 11):
// every backend counts into these buckets, and the page estimates them from
// the runs list while the counts are on their way (overview-strip.ts).

/** How a seq range [first, last] is cut: `count` buckets of `width` seqs, at most as many as asked for. */
export interface Bucketing {
  first: number;
  last: number;
  width: number;
  count: number;
}

export function bucketing(first: number, last: number, buckets: number): Bucketing {
  const seqs = last - first + 1;
  const width = Math.ceil(seqs / buckets);
  return { first, last, width, count: Math.ceil(seqs / width) };
}

export const bucketOf = ({ first, width }: Bucketing, seq: number): number => Math.floor((seq - first) / width);
