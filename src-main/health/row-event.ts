// A database thread's health pass (health-columns.ts), for both database
// backends: its rows a page at a time in keyset order, each page asked from
// where the last ended, so no query holds the database (a writer in
// rollback-journal mode, a server's connection) for a whole big thread; each
// row as the event the check reads, decoded as the store decodes a row
// (rowToEvent: content its metadata marks as JSON is parsed) when it carries
// content or metadata, into one object filled again for each row, so a
// million rows allocate no envelope each.
import type { JsonObject } from '../../src-shared/types.ts';
import type { HealthRow } from '../store/health-columns.ts';
import { rowToEvent } from '../store/sqlite/encoding.ts';
import type { CheckedEvent } from './thread-check.ts';

/** Rows per page: a few megabytes of the columns read; a page's seek and round trip a small share of its time. */
export const HEALTH_PAGE_ROWS = 5_000;

const NOTHING: JsonObject = Object.freeze({}) as JsonObject;

/** A page of a thread's rows after the row given (null: its first page), at most `limit`. */
export type HealthPage = (after: HealthRow | null, limit: number) => HealthRow[] | Promise<HealthRow[]>;

/** A thread's rows through `page`, each shown to `visit` as the check's event (valid until the next one). */
export async function readInPages(threadId: string, page: HealthPage, visit: (event: CheckedEvent) => void, pageRows = HEALTH_PAGE_ROWS): Promise<void> {
  const decode = rowEventDecoder(threadId);
  for (let after: HealthRow | null = null; ; ) {
    const rows = await page(after, pageRows);
    for (const row of rows) visit(decode(row));
    if (rows.length < pageRows) return;
    after = rows[rows.length - 1];
  }
}

/** A decoder with its own event object: what it returns is valid until its next call. */
function rowEventDecoder(threadId: string): (row: HealthRow) => CheckedEvent {
  const event: CheckedEvent = { run_id: '', seq: 0, event_type: '', content: '', metadata: NOTHING };
  return ({ run_id, seq, event_type, content, metadata }) => {
    event.run_id = run_id;
    event.seq = seq;
    event.event_type = event_type;
    if (content === null && metadata === null) {
      event.content = '';
      event.metadata = NOTHING;
    } else {
      const decoded = rowToEvent({ thread_id: threadId, run_id, event_type, category: '', content, event_metadata: metadata ?? '{}', seq, created_at: null });
      event.content = decoded.content;
      event.metadata = decoded.metadata;
    }
    return event;
  };
}
