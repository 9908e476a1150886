// The health check's source for a store read through its public API (memory
// and JSONL stores, whose events only the open store has indexed): each
// thread's events run by run, page by page, as the scan engine reads them.
// Such stores have no `runs` or threads_meta table.
import type { InspectorStore } from '../../src-shared/types.ts';
import { eventsOfRun } from '../search/run-events.ts';
import type { HealthSource } from './check-store.ts';

export function storeHealthSource(store: InspectorStore, sourceFindings: HealthSource['sourceFindings'] = async () => []): HealthSource {
  return {
    threadIds: async () =>
      (await store.listThreads())
        .filter((thread) => thread.event_count > 0)
        .map((thread) => thread.thread_id)
        .sort(),
    async readEvents(threadId, visit) {
      for (const run of await store.listRuns(threadId)) for await (const event of eventsOfRun(store, threadId, run.run_id)) visit(event);
    },
    runsRows: async () => [],
    metaThreadIds: async () => null,
    sourceFindings,
  };
}
