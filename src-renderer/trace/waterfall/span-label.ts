// How a span is named to a reader and to assistive technology: its name and
// duration as the waterfall shows them, and its status where it is not ok.
import type { RunSpan } from '../../../src-shared/types.ts';
import { formatDuration } from '../../common/format.ts';

/** `web_search 920 ms`, `bash 2.86 s error`, `task 1 m 04 s open`. */
export function spanLabel(span: Pick<RunSpan, 'name' | 'duration_ms' | 'status'>): string {
  const label = `${span.name} ${formatDuration(span.duration_ms)}`;
  return span.status === 'ok' ? label : `${label} ${span.status}`;
}

/** The events a span covers: `#12 … #15`, `#12` for an instant, `#12 …` while open. */
export function spanEvents(span: Pick<RunSpan, 'seq' | 'end_seq'>): string {
  if (span.end_seq === null) return `#${span.seq} …`;
  return span.end_seq === span.seq ? `#${span.seq}` : `#${span.seq} … #${span.end_seq}`;
}
