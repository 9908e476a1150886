import { useMemo } from 'react';
import { OVERVIEW_BUCKETS, type SeqRange } from '../messages/overview-strip.ts';
import { stripMarks } from './health-marks.ts';
import { useSeqMarks } from './last-report.ts';

/** The last health report's findings with a seq in this thread, as lines across the overview strip (one a bucket at most). */
export function StripHealthMarks({ threadId, range }: { threadId: string; range: SeqRange }) {
  const seqMarks = useSeqMarks(threadId);
  const { first, last } = range;
  const marks = useMemo(() => stripMarks(seqMarks, { first, last }, OVERVIEW_BUCKETS), [seqMarks, first, last]);
  return marks.map((mark) => (
    <div key={mark.seq} className={`overview-health-mark health-${mark.severity}`} style={{ left: `${mark.fraction * 100}%` }} data-seq={mark.seq} data-severity={mark.severity} />
  ));
}
