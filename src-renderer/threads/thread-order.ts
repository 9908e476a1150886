// The threads pane's order: the newest activity first, threads without
// events last, ties by id.
import { instantMs } from '../../src-shared/time.ts';
import type { ThreadSummary } from '../../src-shared/types.ts';

/**
 * The threads in the pane's order, a new array. Each thread's last activity
 * is read once: parsed at every comparison, 2,000 threads' ~44,000 of them
 * held the first paint of the list back by tens of milliseconds.
 */
export function byLatestActivity(threads: readonly ThreadSummary[]): ThreadSummary[] {
  const keyed = threads.map((thread) => ({ thread, at: thread.last_created_at ? instantMs(thread.last_created_at) : Number.NEGATIVE_INFINITY }));
  keyed.sort((a, b) => b.at - a.at || a.thread.thread_id.localeCompare(b.thread.thread_id));
  return keyed.map(({ thread }) => thread);
}
