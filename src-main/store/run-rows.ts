// One run's counts, seq range and time span, as the PostgreSQL backend reads
// them (SQL.allRuns, SQL.runsOfThreads) and the server and SQLite thread
// summaries keep them (postgres/summary-file.ts, sqlite/summary-file.ts), and
// a thread's list entry made of its runs'. created_at is text as the
// database gives it: UTC text, which sorts in time order.
export interface RunRow {
  thread_id: string;
  run_id: string;
  event_count: number;
  message_count: number;
  first_seq: number;
  last_seq: number;
  first_created_at: string | null;
  last_created_at: string | null;
}

/** What a run's derived facts are kept by: events are only added and deleted, which changes the count or the seq range. */
export const runVersion = (row: Pick<RunRow, 'event_count' | 'first_seq' | 'last_seq'>) => `${row.event_count}:${row.first_seq}:${row.last_seq}`;

/** A run's key among every thread's runs. */
export const runKeyOf = (row: Pick<RunRow, 'thread_id' | 'run_id'>) => `${row.thread_id}\n${row.run_id}`;

/** The run that ended later, then the one with the higher seq. */
const endsLater = (a: RunRow, b: RunRow) => {
  const [x, y] = [a.last_created_at ?? '', b.last_created_at ?? ''];
  return x !== y ? x > y : a.last_seq > b.last_seq;
};

/** A thread's counts and time span, summed over its runs, and its latest run (by endsLater). */
export interface ThreadTotals {
  message_count: number;
  event_count: number;
  run_count: number;
  first_created_at: string | null;
  last_created_at: string | null;
  lastRun: RunRow | undefined;
}

export function threadTotals(runs: Iterable<RunRow>): ThreadTotals {
  const totals: ThreadTotals = { message_count: 0, event_count: 0, run_count: 0, first_created_at: null, last_created_at: null, lastRun: undefined };
  for (const run of runs) {
    totals.event_count += run.event_count;
    totals.message_count += run.message_count;
    totals.run_count++;
    if (run.first_created_at !== null && (totals.first_created_at === null || run.first_created_at < totals.first_created_at)) totals.first_created_at = run.first_created_at;
    if (run.last_created_at !== null && (totals.last_created_at === null || run.last_created_at > totals.last_created_at)) totals.last_created_at = run.last_created_at;
    if (!totals.lastRun || endsLater(run, totals.lastRun)) totals.lastRun = run;
  }
  return totals;
}
