// The queries and read model of a store whose events are indexed in this
// process, one thread at a time: the memory index (event-index.ts) and the
// JSONL layout's index of where each event lies in its file
// (jsonl/layout-index.ts). The stores built on them (jsonl/indexed-store.ts)
// check arguments and bring the index up to date before they ask.
import type { EventCounts, ListEventsOptions, ListMessagesOptions, RunEvent, RunSummary, ThreadOverview, ThreadSummary } from '../../src-shared/types.ts';
import type { MarksWanted } from './overview.ts';

export interface IndexQueries {
  /** True when answers are the index's own records, which a store copies before they leave it; false when each answer is read anew. */
  readonly sharesRecords: boolean;
  threadIds(): string[];
  summarizeThread(threadId: string): ThreadSummary;
  summarizeRuns(threadId: string): RunSummary[];
  listMessages(threadId: string, options: ListMessagesOptions): RunEvent[];
  listMessagesByRun(threadId: string, runId: string, options: ListMessagesOptions): RunEvent[];
  listEvents(threadId: string, runId: string, options: ListEventsOptions): RunEvent[];
  countMessages(threadId: string): number;
  getEvent(threadId: string, seq: number): RunEvent | null;
  threadOverview(threadId: string, buckets: number, marks: MarksWanted): ThreadOverview;
  eventCounts(threadId: string, runId?: string): EventCounts;
}
