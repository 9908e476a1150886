// A big delete from a SQLite database, run in the job worker on a
// connection of its own, so the process serving the page keeps answering
// while SQLite removes the rows and their index entries (DESIGN.md §4: big
// deletes run off the UI path). The store's own delete is one transaction
// under its busy timeout; the page's connection sees it once committed.
import { eventsOnly, type DeletedRecords } from '../../src-shared/run-records.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';

export interface DeleteSpec {
  /** The SQLite database (absolute). */
  source: string;
  threadId: string;
  /** Only this run of the thread; absent: the whole thread. */
  runId?: string;
  /** DeerFlow's run records too (its runs rows, threads_meta row and feedback), in the same transaction. */
  records: boolean;
}

/** What went: the events, and the run records when asked for. */
export type DeleteSummary = DeletedRecords;

export async function deleteEvents({ source, threadId, runId, records }: DeleteSpec): Promise<DeleteSummary> {
  const store = openSqliteStore(source, { create: false });
  try {
    if (records) return await store.deleteWithRecords(threadId, runId);
    return eventsOnly(runId === undefined ? await store.deleteByThread(threadId) : await store.deleteByRun(threadId, runId));
  } finally {
    await store.close();
  }
}
