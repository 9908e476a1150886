import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src-shared/types.ts';
import { EventIndex } from './event-index.ts';

const event = (seq: number, created_at: string): RunEvent => ({
  thread_id: 't1',
  run_id: 'r1',
  event_type: 'llm.ai.response',
  category: 'message',
  content: '',
  metadata: {},
  seq,
  created_at,
});

describe('EventIndex time spans', () => {
  it('passes over records that lack a created_at (JSONL keeps them as "")', () => {
    const index = new EventIndex();
    [event(1, ''), event(2, '2026-01-01T00:00:00+00:00'), event(3, '2026-01-02T00:00:00+00:00'), event(4, '')].forEach((e) => index.add(e));
    const summary = index.summarizeThread('t1');
    expect([summary.first_created_at, summary.last_created_at]).toEqual(['2026-01-01T00:00:00+00:00', '2026-01-02T00:00:00+00:00']);
    const [run] = index.summarizeRuns('t1');
    expect([run.first_created_at, run.last_created_at]).toEqual(['2026-01-01T00:00:00+00:00', '2026-01-02T00:00:00+00:00']);
  });

  it('is null when no record has one', () => {
    const index = new EventIndex();
    index.add(event(1, ''));
    expect(index.summarizeThread('t1').first_created_at).toBeNull();
  });
});
