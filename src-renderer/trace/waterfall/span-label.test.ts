import { describe, expect, it } from 'vitest';
import { spanEvents, spanLabel } from './span-label.ts';

describe('spanLabel', () => {
  it('names a span by its name and duration, and its status unless ok', () => {
    expect(spanLabel({ name: 'web_search', duration_ms: 920, status: 'ok' })).toBe('web_search 920 ms');
    expect(spanLabel({ name: 'bash', duration_ms: 2_860, status: 'error' })).toBe('bash 2.86 s error');
    expect(spanLabel({ name: 'task', duration_ms: 64_000, status: 'open' })).toBe('task 1 m 04 s open');
  });
});

describe('spanEvents', () => {
  it('says which events a span covers', () => {
    expect(spanEvents({ seq: 12, end_seq: 15 })).toBe('#12 … #15');
    expect(spanEvents({ seq: 12, end_seq: 12 })).toBe('#12');
    expect(spanEvents({ seq: 12, end_seq: null })).toBe('#12 …');
  });
});
