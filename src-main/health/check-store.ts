// The store health check (issue 15) over any backend: one pass over each
// thread's events (ThreadCheck), then what needs the store's side tables —
// `runs` rows without events, threads without a threads_meta row — and what
// only the source's own reading knows (a JSONL layout's lines). A backend
// gives the check a HealthSource; the rules are all here and in thread-check.
import { healthReport, type HealthFinding, type HealthProgress, type HealthReport } from '../../src-shared/health.ts';
import { StoreError } from '../../src-shared/errors.ts';
import { finding, ThreadCheck, type CheckedEvent, type RunsRow } from './thread-check.ts';

export interface HealthSource {
  /** The threads that have events, in id order. */
  threadIds(): Promise<string[]>;
  /**
   * Shows `visit` each of a thread's events once, in seq order where the backend reads them so. The event
   * may be one object filled again for each row: the check keeps nothing of it.
   */
  readEvents(threadId: string, visit: (event: CheckedEvent) => void): Promise<void> | void;
  /** The `runs` rows (of this thread, when given and the table records threads); none without the table. */
  runsRows(threadId?: string): Promise<RunsRow[]>;
  /** The threads threads_meta has a row for; null where the database has no such table. */
  metaThreadIds(): Promise<ReadonlySet<string> | null>;
  /** Findings of the source's own reading (a JSONL layout's lines and files); of this thread, when given. */
  sourceFindings(threadId?: string): Promise<HealthFinding[]>;
}

export interface CheckOptions {
  /** Only this thread (its runs rows too, where the table records threads). */
  threadId?: string;
  /** Threads checked of the whole store's, at most every PROGRESS_MS and once at the end; never for one thread. */
  onProgress?: (progress: HealthProgress) => void;
  signal?: AbortSignal;
}

const PROGRESS_MS = 250;
const YIELD_MS = 20;

/** A run's key among every thread's. */
const runKey = (threadId: string | null, runId: string) => `${threadId ?? ''}\u0000${runId}`;

export async function checkHealth(source: HealthSource, { threadId, onProgress, signal }: CheckOptions = {}): Promise<HealthReport> {
  const threads = threadId === undefined ? await source.threadIds() : [threadId];
  const rows = await source.runsRows(threadId);
  const meta = await source.metaThreadIds();
  const statuses = new Map(rows.map((row) => [runKey(row.thread_id, row.run_id), row.status]));
  const findings = await source.sourceFindings(threadId);
  /** The runs that have events, by thread and run, and by run alone (for a runs table that records no thread). */
  const withEvents = new Set<string>();
  const report = progressReporter(threadId === undefined ? onProgress : undefined, threads.length);
  let yielded = performance.now();
  for (const [checked, thread] of threads.entries()) {
    // A backend that reads synchronously (SQLite) still lets its thread hear a cancel, and its host go on.
    if (performance.now() - yielded > YIELD_MS) {
      await new Promise(setImmediate);
      yielded = performance.now();
    }
    if (signal?.aborted) throw new StoreError('CANCELLED', 'cancelled');
    const check = new ThreadCheck(thread);
    await source.readEvents(thread, (event) => check.add(event));
    report(checked + 1);
    if (check.events === 0) continue;
    findings.push(...check.finish((runId) => statuses.get(runKey(thread, runId)) ?? statuses.get(runKey(null, runId))));
    for (const runId of check.runIds()) withEvents.add(runKey(thread, runId)).add(runKey(null, runId));
    if (meta !== null && !meta.has(thread)) {
      findings.push(finding('orphan_events', thread, null, null, `${check.events.toLocaleString('en-US')} events and no threads_meta row: a thread delete left them (DeerFlow before #5535), or its row was removed`));
    }
  }
  report(threads.length, true);
  for (const row of rows) {
    // A table that records no thread names none of its rows as the thread's.
    if (withEvents.has(runKey(row.thread_id, row.run_id)) || (threadId !== undefined && row.thread_id !== threadId)) continue;
    const status = row.status === null ? '' : ` (status ${JSON.stringify(row.status)})`;
    findings.push(finding('runs_row_without_events', row.thread_id, row.run_id, null, `runs row${status} with no events`));
  }
  return healthReport(findings);
}

/** `onProgress` told of threads checked, at most every PROGRESS_MS, and at the end (`last`). */
function progressReporter(onProgress: CheckOptions['onProgress'], total: number): (checked: number, last?: boolean) => void {
  let told = Number.NEGATIVE_INFINITY;
  return (checked, last = false) => {
    if (!onProgress) return;
    const now = performance.now();
    if (!last && now - told < PROGRESS_MS) return;
    told = now;
    onProgress({ checked, total });
  };
}
