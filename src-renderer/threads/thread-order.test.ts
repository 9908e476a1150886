import { describe, expect, it } from 'vitest';
import type { ThreadSummary } from '../../src-shared/types.ts';
import { byLatestActivity } from './thread-order.ts';

const thread = (thread_id: string, last_created_at: string | null): ThreadSummary => ({
  thread_id,
  display_name: null,
  message_count: last_created_at ? 1 : 0,
  event_count: last_created_at ? 1 : 0,
  run_count: last_created_at ? 1 : 0,
  first_created_at: last_created_at,
  last_created_at,
});

describe('byLatestActivity', () => {
  it('puts the newest activity first, by instant whatever the offset it is written with', () => {
    const threads = [thread('a', '2026-04-04T09:00:00+00:00'), thread('b', '2026-04-04T10:30:00+02:00'), thread('c', '2026-04-04T09:00:00.000001+00:00')];
    // b is 08:30 UTC: the oldest of the three.
    expect(byLatestActivity(threads).map((t) => t.thread_id)).toEqual(['c', 'a', 'b']);
  });

  it('lists threads without events last, and ties by id', () => {
    const threads = [thread('z-empty', null), thread('b', '2026-04-04T09:00:00+00:00'), thread('a-empty', null), thread('a', '2026-04-04T09:00:00+00:00')];
    expect(byLatestActivity(threads).map((t) => t.thread_id)).toEqual(['a', 'b', 'a-empty', 'z-empty']);
  });

  it('leaves the list it was given as it was', () => {
    const threads = [thread('old', '2026-04-01T00:00:00+00:00'), thread('new', '2026-04-02T00:00:00+00:00')];
    byLatestActivity(threads);
    expect(threads.map((t) => t.thread_id)).toEqual(['old', 'new']);
  });
});
