import { describe, expect, it } from 'vitest';
import { formatAgo, formatBytes, formatCount, formatDateTime, formatDuration, plural } from './format.ts';

describe('format', () => {
  it('shows durations in the largest short unit', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(1250)).toBe('1.25 s');
    expect(formatDuration(12_500)).toBe('12.5 s');
    expect(formatDuration(184_000)).toBe('3 m 04 s');
    expect(formatDuration(7_500_000)).toBe('2 h 05 m');
    expect(formatDuration(-20)).toBe('-20 ms');
    expect(formatDuration(Number.NaN)).toBe('—');
  });

  it('keeps text that is not a date as it came', () => {
    expect(formatDateTime('yesterday-ish')).toBe('yesterday-ish');
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('2026-04-04T00:49:25.123456+00:00')).toMatch(/^2026-04-0[34] \d\d:\d\d:25$/);
  });

  it('says how long ago, coarsely', () => {
    const now = Date.parse('2026-04-04T12:00:00Z');
    expect(formatAgo('2026-04-04T11:59:30+00:00', now)).toBe('just now');
    expect(formatAgo('2026-04-04T11:30:00+00:00', now)).toBe('30 min ago');
    expect(formatAgo('2026-04-04T07:00:00+00:00', now)).toBe('5 h ago');
    expect(formatAgo('2026-04-01T12:00:00+00:00', now)).toBe('3 d ago');
    expect(formatAgo(null, now)).toBe('no events');
  });

  it('formats sizes and counts', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MB');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(plural(1, 'event')).toBe('1 event');
    expect(plural(2000, 'event')).toBe('2,000 events');
  });
});
