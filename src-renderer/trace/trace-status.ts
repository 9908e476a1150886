// The trace's status line: how many events are loaded, of how many that
// match the filters, of how many in the run.
import type { EventCounts } from '../../src-shared/types.ts';
import { formatCount, plural } from '../common/format.ts';

/**
 * How many of the run's events the query matches, from the counts: every
 * event, the sum of the chosen types, or the task's; null where the counts
 * cannot say (a task and types at once).
 */
export function matchingCount(counts: EventCounts, types: readonly string[] | undefined | 'none', taskId: string | null): number | null {
  if (types === 'none') return 0;
  if (taskId !== null) return types === undefined ? (counts.by_task_id[taskId] ?? 0) : null;
  const byType = Object.entries(counts.by_event_type);
  return byType.reduce((sum, [type, n]) => (types === undefined || types.includes(type) ? sum + n : sum), 0);
}

export interface TraceStatusInput {
  loaded: number;
  hasMore: boolean;
  filtered: boolean;
  /** Events of the run matching the filters, where known. */
  matching: number | null;
  /** Every event of the run, where known. */
  total: number | null;
}

export function traceStatus({ loaded, hasMore, filtered, matching, total }: TraceStatusInput): string {
  const more = hasMore ? ' · scroll for more' : '';
  if (!filtered) return hasMore && total !== null ? `${formatCount(loaded)} of ${plural(total, 'event')} loaded${more}` : `${plural(loaded, 'event')}${more}`;
  if (!hasMore) {
    return total !== null ? `${formatCount(loaded)} of ${plural(total, 'event')} match the filters` : `${plural(loaded, 'event')} ${loaded === 1 ? 'matches' : 'match'} the filters`;
  }
  return matching !== null
    ? `${formatCount(loaded)} of ${formatCount(matching)} matching loaded (${formatCount(total ?? matching)} in the run)${more}`
    : `${formatCount(loaded)} matching loaded${total !== null ? ` (${formatCount(total)} in the run)` : ''}${more}`;
}
