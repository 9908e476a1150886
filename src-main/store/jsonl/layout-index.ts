// The JSONL layout store's index (jsonl-store.ts): its threads as ThreadFiles
// (thread-files.ts), answering the queries of IndexedStore. A thread not
// read (yet) answers as a thread without events.
import type { EventCounts, ListEventsOptions, ListMessagesOptions, RunEvent, RunSummary, ThreadOverview, ThreadSummary } from '../../../src-shared/types.ts';
import type { IndexQueries } from '../index-queries.ts';
import type { MarksWanted } from '../overview.ts';
import { ThreadFiles } from './thread-files.ts';

export class LayoutIndex implements IndexQueries {
  /** Every answer is read from the files anew. */
  readonly sharesRecords = false;
  readonly threads = new Map<string, ThreadFiles>();

  private of(threadId: string): ThreadFiles {
    return this.threads.get(threadId) ?? new ThreadFiles('', threadId);
  }

  /** In id order, as the folders list (threads are read in another order: see the store's pass). */
  threadIds(): string[] {
    return [...this.threads.keys()].sort();
  }

  summarizeThread(threadId: string): ThreadSummary {
    return this.of(threadId).summary();
  }

  summarizeRuns(threadId: string): RunSummary[] {
    return this.of(threadId).runSummaries();
  }

  listMessages(threadId: string, options: ListMessagesOptions): RunEvent[] {
    return this.of(threadId).listMessages(options);
  }

  listMessagesByRun(threadId: string, runId: string, options: ListMessagesOptions): RunEvent[] {
    return this.of(threadId).listMessagesByRun(runId, options);
  }

  listEvents(threadId: string, runId: string, options: ListEventsOptions): RunEvent[] {
    return this.of(threadId).listEvents(runId, options);
  }

  countMessages(threadId: string): number {
    return this.of(threadId).countMessages();
  }

  getEvent(threadId: string, seq: number): RunEvent | null {
    return this.of(threadId).getEvent(seq);
  }

  threadOverview(threadId: string, buckets: number, marks: MarksWanted): ThreadOverview {
    return this.of(threadId).threadOverview(buckets, marks);
  }

  eventCounts(threadId: string, runId?: string): EventCounts {
    return this.of(threadId).eventCounts(runId);
  }
}
