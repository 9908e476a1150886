// The health check's source for a PostgreSQL database, through the open
// store's pool (its login stays there): each thread's events a page at a time
// in keyset order, awaited, so the session keeps serving the page between
// pages while the server does the reading; the rows as the other database
// backend's (row-event.ts).
import type { HealthReads } from '../store/health-columns.ts';
import type { HealthSource } from './check-store.ts';
import { rowEventDecoder } from './row-event.ts';

/** Rows per page: a few megabytes of the columns read, a round trip a small share of a page's time. */
const PAGE_ROWS = 5_000;

export function postgresHealthSource(reads: HealthReads, pageRows = PAGE_ROWS): HealthSource {
  const decode = rowEventDecoder();
  return {
    threadIds: () => reads.threads(),
    async readEvents(threadId, visit) {
      for (let after = { seq: 0, id: 0 }; ; ) {
        const rows = await reads.page(threadId, after, pageRows);
        for (const { run_id, seq, event_type, content, metadata } of rows) visit(decode(threadId, run_id, seq, event_type, content, metadata));
        if (rows.length < pageRows) return;
        const last = rows[rows.length - 1];
        after = { seq: last.seq, id: last.id };
      }
    },
    runsRows: (threadId) => reads.runsRows(threadId),
    metaThreadIds: async () => {
      const threads = await reads.metaThreads();
      return threads === null ? null : new Set(threads);
    },
    sourceFindings: async () => [],
  };
}
