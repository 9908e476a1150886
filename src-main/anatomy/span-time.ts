// Span instants: created_at stamps in any offset are compared as instants
// and returned as given; a span's start never comes after its end.
import { instantMs } from '../../src-shared/time.ts';
import type { RunEvent } from '../../src-shared/types.ts';

export interface Instant {
  text: string;
  ms: number;
  /** Its event's stamp did not parse: this is its neighbour's time, so a span with it lasts 0. */
  borrowed?: true;
}

/** An event and the instant it is placed at. */
export interface Stamped {
  event: RunEvent;
  at: Instant;
}

const instantOf = (text: string): Instant => ({ text, ms: instantMs(text) });

const isReadable = (at: Instant): boolean => !Number.isNaN(at.ms);

/** `ms` before `end`, as ISO text in DeerFlow's UTC form (a computed start: an LLM call's created_at less its latency). */
export const before = (end: Instant, ms: number): Instant => {
  const at = end.ms - ms;
  return Number.isFinite(at) && !end.borrowed ? { text: new Date(at).toISOString().replace('Z', '+00:00'), ms: at } : end;
};

/**
 * Each event's created_at, parsed once (parsing is most of the derivation's
 * time on a long run). A stamp that does not parse takes its neighbour's
 * time: the previous readable stamp in seq order, else the run's earliest.
 * Its span then keeps its place among the run's spans, lasting 0, rather than
 * passing for a span at the run's start (where a reader of an unreadable
 * time would put it); the event itself keeps its created_at as written.
 * Where no stamp parses there is no neighbour: every span lasts 0.
 */
export function stampedEvents(events: readonly RunEvent[]): Stamped[] {
  const parsed = events.map((event) => instantOf(event.created_at));
  let previous = extentOf(parsed)?.earliest;
  return events.map((event, i) => {
    const at = parsed[i];
    if (isReadable(at)) previous = at;
    return { event, at: isReadable(at) || !previous ? at : { ...previous, borrowed: true } };
  });
}

const isEarlier = (a: Instant, b: Instant): boolean => a.ms < b.ms;

export interface Placement {
  first: Instant;
  last: Instant;
}

/** Where a span sits: its start clamped to its end; a borrowed time measures nothing, so the span is an instant at its other, readable end. */
export function placement(start: Instant, end: Instant): Placement {
  const last = end.borrowed ? start : end;
  return { first: start.borrowed || isEarlier(last, start) ? last : start, last };
}

/** A placed span's stamps and duration, 0 where a stamp is unreadable. */
export function measured({ first, last }: Placement): { started_at: string; ended_at: string; duration_ms: number } {
  // Stamps carry microseconds: rounded to them, a duration has no floating-point tail (6467.869, not 6467.868896484375).
  const duration = Math.round((last.ms - first.ms) * 1000) / 1000;
  return { started_at: first.text, ended_at: last.text, duration_ms: Number.isFinite(duration) ? duration : 0 };
}

export const interval = (start: Instant, end: Instant) => measured(placement(start, end));

/** The earliest and latest of the stamps that parse (a record without a time is no part of the run's extent). */
export function extentOf(stamps: Iterable<Instant>): { earliest: Instant; latest: Instant } | null {
  let earliest: Instant | null = null;
  let latest: Instant | null = null;
  for (const at of stamps) {
    if (!isReadable(at)) continue;
    if (!earliest || at.ms < earliest.ms) earliest = at;
    if (!latest || at.ms > latest.ms) latest = at;
  }
  return earliest && latest ? { earliest, latest } : null;
}
