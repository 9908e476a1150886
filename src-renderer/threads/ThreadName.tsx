import type { ThreadSummary } from '../../src-shared/types.ts';
import { useThreadTitle } from './thread-titles.ts';

/** A thread named by its title (its display name or first human message), its id as the tooltip. */
export function ThreadName({ thread, className }: { thread: ThreadSummary; className: string }) {
  const title = useThreadTitle(thread);
  return (
    <span className={className} title={thread.thread_id}>
      {title ?? thread.thread_id}
    </span>
  );
}
