import { describe, expect, it } from 'vitest';
import { gap, isErrorEvent, offsetLabel, runStartMs, truncation, truncationText } from './trace-rows.ts';

// "Acme vs Borealis": the subagent's buffered events were flushed before run.start.
const flushedFirst = [
  { created_at: '2026-04-04T01:08:19.200000+00:00' },
  { created_at: '2026-04-04T01:08:20.700000+00:00' },
  { created_at: '2026-04-04T01:08:01.000000+00:00' },
  { created_at: '2026-04-04T01:08:40.100000+00:00' },
];
const ms = (iso: string) => Date.parse(iso);

describe('trace row times', () => {
  it('counts from the earliest created_at, not the first event by seq', () => {
    expect(runStartMs(null, flushedFirst)).toBe(ms('2026-04-04T01:08:01Z'));
    expect(runStartMs('2026-04-04T01:08:01.000000+00:00', flushedFirst.slice(0, 2))).toBe(ms('2026-04-04T01:08:01Z'));
    // a summary from before the read model's fix (first by seq) is corrected by the loaded events
    expect(runStartMs('2026-04-04T01:08:19.200000+00:00', flushedFirst)).toBe(ms('2026-04-04T01:08:01Z'));
    expect(runStartMs(null, [{ created_at: 'not a date' }, ...flushedFirst])).toBe(ms('2026-04-04T01:08:01Z'));
    expect(runStartMs(null, [])).toBeNaN();
  });

  it('never shows a negative offset', () => {
    const start = ms('2026-04-04T01:08:01Z');
    expect(offsetLabel(ms('2026-04-04T01:08:19.800Z'), start)).toBe('+18.8 s');
    expect(offsetLabel(start - 500, start)).toBe('+0 ms');
  });

  it('gives the gap to the row above, saying why it runs backwards', () => {
    expect(gap(2_000, undefined)).toEqual({ label: '' });
    expect(gap(2_850, 2_000)).toEqual({ label: 'Δ 850 ms' });
    const back = gap(ms('2026-04-04T01:08:01Z'), ms('2026-04-04T01:08:21.5Z'));
    expect(back.label).toBe('Δ −20.5 s');
    expect(back.title).toMatch(/before the row above/);
  });
});

describe('trace row marks', () => {
  it('marks errors by category and by event type', () => {
    expect(isErrorEvent({ event_type: 'llm.error', category: 'trace' })).toBe(true);
    expect(isErrorEvent({ event_type: 'run.error', category: 'error' })).toBe(true);
    expect(isErrorEvent({ event_type: 'tool_error', category: 'trace' })).toBe(true);
    expect(isErrorEvent({ event_type: 'anything', category: 'error' })).toBe(true);
    expect(isErrorEvent({ event_type: 'llm.ai.response', category: 'message' })).toBe(false);
    expect(isErrorEvent({ event_type: 'middleware:error_handler', category: 'middleware' })).toBe(false);
  });

  it("reads the recorder's truncation marker", () => {
    expect(truncation({})).toBeNull();
    expect(truncation({ content_truncated: 'yes' })).toBeNull();
    expect(truncation({ content_truncated: true, original_byte_length: 52_431 })).toEqual({ originalBytes: 52_431 });
    expect(truncation({ content_truncated: true })).toEqual({ originalBytes: null });
    expect(truncationText({ originalBytes: 52_431 })).toBe('Content truncated by the recorder — original size 51 KB (52,431 bytes)');
    expect(truncationText({ originalBytes: null })).toBe('Content truncated by the recorder');
  });
});
