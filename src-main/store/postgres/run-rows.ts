// One run's counts, seq range and time span as the PostgreSQL backend reads
// them (SQL.allRuns, SQL.runsOfThreads) and keeps them (summary-file.ts).
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
