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
  /**
   * Of those `runs` rows, the ones whose status is DeerFlow's pending or running (0 where the table has no
   * status column): DeerFlow may still be writing that run, or it crashed and the row never moved on.
   */
  active: number;
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

/** DeerFlow moves a run's status on as the run ends; one whose process died never does. */
const STALE_STATUS = 'A run that crashed stays listed as running for good, so this may be stale.';

/**
 * The delete's warning where DeerFlow lists runs it would take as pending or running (`active`), null
 * where none: DeerFlow may still be writing them, and what it writes after the delete would come back as
 * runs missing their start. Only a warning: the status may be a crashed run's.
 */
export function activeRunsWarning({ active }: RunRecordCounts, { thread, format = String }: { thread: boolean; format?: (n: number) => string }): string | null {
  if (active === 0) return null;
  if (!thread) return `DeerFlow lists this run as running: if it is, it will go on writing events after the delete, which come back as a run missing its start. ${STALE_STATUS}`;
  const [listed, still, they, runs] = active === 1 ? ['is', 'it is', 'it', 'a run missing its start'] : ['are', 'they are', 'they', 'runs missing their start'];
  return `${plural(active, 'run', 'runs', format)} of this thread ${listed} listed as running by DeerFlow: if ${still}, ${they} will go on writing events after the delete, which come back as ${runs}. ${STALE_STATUS}`;
}

/** What a delete removed in words, for its notice: "120 events, 3 runs rows, its threads_meta row and 2 feedback rows" (the records only where some went). */
export function describeRemoved(removed: DeletedRecords, format: (n: number) => string = String): string {
  const parts = [plural(removed.events, 'event', 'events', format)];
  if (removed.runs > 0) parts.push(plural(removed.runs, 'runs row', 'runs rows', format));
  if (removed.threadsMeta > 0) parts.push('its threads_meta row');
  if (removed.feedback > 0) parts.push(plural(removed.feedback, 'feedback row', 'feedback rows', format));
  return listed(parts);
}
