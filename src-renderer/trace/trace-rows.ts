// What a trace row shows beside the event's own fields: its time from the
// run's start and from the row above, whether it reports an error, and
// whether the recorder cut its content.
import type { JsonObject } from '../../src-shared/types.ts';
import { instantMs } from '../../src-shared/time.ts';
import { formatBytes, formatDuration, plural } from '../common/format.ts';

/**
 * The run's start: its earliest created_at. DeerFlow flushes a subagent's
 * buffered events before run.start, so neither the first event by seq nor
 * (on a store that predates the fix) the summary alone is safe: the earliest
 * of both.
 */
export function runStartMs(firstCreatedAt: string | null | undefined, events: readonly { created_at: string }[]): number {
  let start = firstCreatedAt ? instantMs(firstCreatedAt) : Number.NaN;
  for (const event of events) {
    const at = instantMs(event.created_at);
    if (!Number.isNaN(at) && !(at >= start)) start = at;
  }
  return start;
}

/** `+1.25 s` from the run's start; never negative. */
export const offsetLabel = (atMs: number, startMs: number): string => `+${formatDuration(Math.max(0, atMs - startMs))}`;

/** `Δ 850 ms` to the row above in the order shown: negative where seq order goes back in time. */
export function gap(atMs: number, previousMs: number | undefined): { label: string; title?: string } {
  if (previousMs === undefined) return { label: '' };
  const ms = atMs - previousMs;
  if (ms >= 0) return { label: `Δ ${formatDuration(ms)}` };
  return { label: `Δ −${formatDuration(-ms)}`, title: `Recorded ${formatDuration(-ms)} before the row above: rows are in seq order, and this event was written out later than it happened` };
}

/** An event reporting a failure: the error category, or an error event type of another category (llm.error is `trace`). */
export const isErrorEvent = (event: { event_type: string; category: string }): boolean =>
  event.category === 'error' || /(^|[._:])error$/i.test(event.event_type);

/** The recorder's truncation marker (DeerFlow cuts `trace` content over 10,240 bytes), or null. */
export function truncation(metadata: JsonObject): { originalBytes: number | null } | null {
  if (metadata.content_truncated !== true) return null;
  const original = metadata.original_byte_length;
  return { originalBytes: typeof original === 'number' && Number.isFinite(original) ? original : null };
}

export function truncationText({ originalBytes }: { originalBytes: number | null }): string {
  return `Content truncated by the recorder${originalBytes === null ? '' : ` — original size ${formatBytes(originalBytes)} (${plural(originalBytes, 'byte')})`}`;
}
