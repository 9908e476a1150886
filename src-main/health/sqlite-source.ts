// The health check's source for a SQLite database, on a read-only connection
// of its own (the job worker's, or a script's): each thread's rows a page at
// a time in keyset order with only the columns a rule reads
// (health-columns.ts, row-event.ts); the runs rows and threads_meta's threads
// in one query each.
import Database from 'better-sqlite3';
import { healthKeyAfter } from '../store/health-columns.ts';
import { assertSqliteFile, detectSchema } from '../store/sqlite/schema.ts';
import { prepareHealthStatements, type HealthRunsRow } from '../store/sqlite/sql.ts';
import { BUSY_TIMEOUT_MS, storeErrorFrom } from '../store/sqlite/sqlite-store.ts';
import { stringOrNull } from '../store/table-values.ts';
import type { HealthSource } from './check-store.ts';
import { HEALTH_PAGE_ROWS, readInPages } from './row-event.ts';
import type { RunsRow } from './thread-check.ts';

export interface SqliteHealthSource extends HealthSource {
  /** Each thread's events, to share the threads out evenly. */
  threadSizes(): Promise<Map<string, number>>;
  close(): void;
}

const runsRow = ({ run_id, thread_id, status }: HealthRunsRow): RunsRow => ({ run_id, thread_id, status: stringOrNull(status) });

export function openSqliteHealthSource(file: string, pageRows = HEALTH_PAGE_ROWS): SqliteHealthSource {
  assertSqliteFile(file);
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  const reading = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      throw storeErrorFrom(error, file);
    }
  };
  let sql: ReturnType<typeof prepareHealthStatements>;
  let rowsPerPage = pageRows;
  try {
    const schema = detectSchema(db, file);
    sql = prepareHealthStatements(db, schema);
    // A view has no row key to page by: a thread is one page.
    if (schema.eventsView) rowsPerPage = Number.MAX_SAFE_INTEGER;
  } catch (error) {
    db.close();
    throw storeErrorFrom(error, file);
  }
  return {
    threadIds: async () => reading(() => sql.threads.all().map((row) => row.thread_id)),
    threadSizes: async () => reading(() => new Map(sql.threads.all().map((row) => [row.thread_id, row.events]))),
    readEvents: (thread, visit) =>
      readInPages(thread, (after, limit) => reading(() => sql.threadEvents.all({ thread, ...healthKeyAfter(after), limit })), visit, rowsPerPage),
    runsRows: async (threadId) =>
      reading(() => {
        if (threadId !== undefined && sql.threadRunsRows) return sql.threadRunsRows.all(threadId).map(runsRow);
        return (sql.runsRows?.all() ?? []).map(runsRow);
      }),
    metaThreadIds: async () => reading(() => (sql.metaThreads ? new Set(sql.metaThreads.all()) : null)),
    sourceFindings: async () => [],
    close: () => db.close(),
  };
}
