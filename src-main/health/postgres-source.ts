// The health check's source for a PostgreSQL database, through the open
// store's pool (its login stays there): each thread's events a page at a time
// in keyset order (row-event.ts, as the SQLite source's), awaited, so the
// session keeps serving the page between pages while the server reads.
import type { HealthReads } from '../store/health-columns.ts';
import type { HealthSource } from './check-store.ts';
import { HEALTH_PAGE_ROWS, readInPages } from './row-event.ts';

export function postgresHealthSource(reads: HealthReads, pageRows = HEALTH_PAGE_ROWS): HealthSource {
  return {
    threadIds: () => reads.threads(),
    readEvents: (threadId, visit) => readInPages(threadId, (after, limit) => reads.page(threadId, after, limit), visit, pageRows),
    runsRows: (threadId) => reads.runsRows(threadId),
    metaThreadIds: async () => {
      const threads = await reads.metaThreads();
      return threads === null ? null : new Set(threads);
    },
    sourceFindings: async () => [],
  };
}
