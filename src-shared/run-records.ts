// DeerFlow's run records beside a thread's events (issue 15): its `runs`
// rows, its `threads_meta` row and its `feedback`. DeerFlow's own thread
// delete removes them with the events since its fix #5535; the app's
// DeerFlow-style delete does too, in the same transaction. Shared by the
// stores that keep them, the contract and the page's words for them.
import { plural } from './plural.ts';

/** What a delete of a thread (or of one run) would take besides its events. */
export interface RunRecordCounts {
  /** `runs` rows: the thread's, or the run's. */
  runs: number;
  /** The thread's `threads_meta` row: 1 or 0, always 0 for a run (its thread keeps its row). */
  threadsMeta: number;
  /** `feedback` rows; null where the database has no feedback table. */
  feedback: number | null;
}

/** What a delete removed: the events, and the run records when it was asked to take them. */
export interface DeletedRecords {
  events: number;
  runs: number;
  threadsMeta: number;
  feedback: number;
}

/** What a delete of the events only takes besides them. */
export const NO_RECORDS: Omit<DeletedRecords, 'events'> = { runs: 0, threadsMeta: 0, feedback: 0 };

export const eventsOnly = (events: number): DeletedRecords => ({ events, ...NO_RECORDS });

/** Everything a delete removed, events and records. */
export const rowsRemoved = ({ events, runs, threadsMeta, feedback }: DeletedRecords): number => events + runs + threadsMeta + feedback;

const listed = (parts: string[]): string => (parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`);

/**
 * The records in words, for the delete's confirmation and its notice: "3 runs rows, its threads_meta
 * row and 2 feedback rows". A thread delete (`thread`) says whether its threads_meta row goes; a
 * feedback table that is not there is not mentioned.
 */
export function describeRecords(counts: RunRecordCounts, { thread, format = String }: { thread: boolean; format?: (n: number) => string }): string {
  const parts = [plural(counts.runs, 'runs row', 'runs rows', format)];
  if (thread) parts.push(counts.threadsMeta > 0 ? 'its threads_meta row' : 'no threads_meta row');
  if (counts.feedback !== null) parts.push(plural(counts.feedback, 'feedback row', 'feedback rows', format));
  return listed(parts);
}

/** What a delete removed in words, for its notice: "120 events, 3 runs rows, its threads_meta row and 2 feedback rows" (the records only where some went). */
export function describeRemoved(removed: DeletedRecords, format: (n: number) => string = String): string {
  const parts = [plural(removed.events, 'event', 'events', format)];
  if (removed.runs > 0) parts.push(plural(removed.runs, 'runs row', 'runs rows', format));
  if (removed.threadsMeta > 0) parts.push('its threads_meta row');
  if (removed.feedback > 0) parts.push(plural(removed.feedback, 'feedback row', 'feedback rows', format));
  return listed(parts);
}
