// Every thread's overview-strip marks (errors, failed tool calls: issue 11),
// found in the job worker when a SQLite source opens, so the strip of a
// thread opened later draws them at once instead of reading its rows then.
// The source is opened read-only, on a connection of the worker's own.
import type { OverviewMarks } from '../store/overview.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';

export interface MarksSpec {
  /** The SQLite database (absolute). */
  source: string;
}

export interface MarksSummary {
  marks: Map<string, OverviewMarks>;
}

export async function scanMarks({ source }: MarksSpec, signal: AbortSignal): Promise<MarksSummary> {
  const store = openSqliteStore(source, { create: false, readOnly: true });
  try {
    return { marks: await store.scanOverviewMarks(signal) };
  } finally {
    await store.close();
  }
}
