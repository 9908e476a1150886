// A run's events through the store's public listEvents, page by page, as
// the scan engine and the JSONL index sync read them: memory is bounded by
// a page, whatever the run's length. And the count of all of them.
import type { InspectorStore, RunEvent, ThreadSummary } from '../../src-shared/types.ts';

const PAGE_SIZE = 1000;

/** The run's events in seq order; of `eventTypes` only, when given. */
export async function* eventsOfRun(store: InspectorStore, threadId: string, runId: string, eventTypes?: string[]): AsyncGenerator<RunEvent> {
  for (let afterSeq = 0; ; ) {
    const page = await store.listEvents(threadId, runId, { afterSeq, limit: PAGE_SIZE, eventTypes });
    yield* page;
    if (page.length < PAGE_SIZE) return;
    afterSeq = page[page.length - 1].seq;
  }
}

/** Every event of the listed threads: what a search reads, or an index holds once built. */
export const eventTotal = (threads: ThreadSummary[]): number => threads.reduce((sum, thread) => sum + thread.event_count, 0);
