// Span instants: created_at stamps in any offset are compared as instants
// and returned as given; a span's start never comes after its end.
import { instantMs } from '../../src-shared/time.ts';

export interface Instant {
  text: string;
  ms: number;
}

export const instantOf = (text: string): Instant => ({ text, ms: instantMs(text) });

/** `ms` before `end`, as ISO text in DeerFlow's UTC form (a computed start: an LLM call's created_at less its latency). */
export const before = (end: Instant, ms: number): Instant => {
  const at = end.ms - ms;
  return Number.isFinite(at) ? { text: new Date(at).toISOString().replace('Z', '+00:00'), ms: at } : end;
};

export const isEarlier = (a: Instant, b: Instant): boolean => a.ms < b.ms;

/** The start and end of a span, the start clamped to the end; its duration, 0 where a stamp is unreadable. */
export function interval(start: Instant, end: Instant): { started_at: string; ended_at: string; duration_ms: number } {
  const clamped = isEarlier(end, start) ? end : start;
  // Stamps carry microseconds: rounded to them, a duration has no floating-point tail (6467.869, not 6467.868896484375).
  const duration = Math.round((end.ms - clamped.ms) * 1000) / 1000;
  return { started_at: clamped.text, ended_at: end.text, duration_ms: Number.isFinite(duration) ? duration : 0 };
}

/** The earliest and latest of the stamps that parse (a record without a time is no part of the run's extent). */
export function extentOf(stamps: Iterable<Instant>): { earliest: Instant; latest: Instant } | null {
  let earliest: Instant | null = null;
  let latest: Instant | null = null;
  for (const at of stamps) {
    if (Number.isNaN(at.ms)) continue;
    if (!earliest || at.ms < earliest.ms) earliest = at;
    if (!latest || at.ms > latest.ms) latest = at;
  }
  return earliest && latest ? { earliest, latest } : null;
}
