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
   * Shows `visit` each of a thread's events once, in the order its index gives them (seq order, or run by
   * run). The event may be one object filled again for each row: the check keeps nothing of it.
   */
  readEvents(threadId: string, visit: (event: CheckedEvent) => void): Promise<void> | void;
  /** The `runs` rows (of this thread, when given and the table records threads); none without the table. */
  runsRows(threadId?: string): Promise<RunsRow[]>;
  /** The threads threads_meta has a row for; null where the database has no such table. */
  metaThreadIds(): Promise<ReadonlySet<string> | null>;
  /** Findings of the source's own reading (a JSONL layout's lines and files); of this thread, when given. */
  sourceFindings(threadId?: string): Promise<HealthFinding[]>;
}

/** One thread's event pass: its findings, and what the store-wide rules need of it. */
export interface CheckedThread {
  threadId: string;
  events: number;
  runIds: string[];
  findings: HealthFinding[];
}

/** A run's `runs` row status (ThreadCheck.finish's statusOf), from the rows of a table that may or may not record threads. */
export type RunStatuses = (threadId: string, runId: string) => string | null | undefined;

/**
 * A share of a whole store's threads checked elsewhere (a helper thread of the job worker, on both
 * cores): given every thread, the threads left to check here and the others' results as they come.
 */
export type ShareOut = (threads: readonly string[]) => Promise<{ here: readonly string[]; elsewhere: AsyncIterable<CheckedThread> | Iterable<CheckedThread> }>;

export interface CheckOptions {
  /** Only this thread (its runs rows too, where the table records threads). */
  threadId?: string;
  /** Threads checked of the whole store's, at most every PROGRESS_MS and once at the end; never for one thread. */
  onProgress?: (progress: HealthProgress) => void;
  signal?: AbortSignal;
  /** For a whole store: where a share of its threads is checked meanwhile. */
  shareOut?: ShareOut;
}

const PROGRESS_MS = 250;
const YIELD_MS = 20;

/** A run's key among every thread's. */
const runKey = (threadId: string | null, runId: string) => `${threadId ?? ''}\u0000${runId}`;

export function runStatuses(rows: readonly RunsRow[]): RunStatuses {
  const statuses = new Map(rows.map((row) => [runKey(row.thread_id, row.run_id), row.status]));
  return (threadId, runId) => statuses.get(runKey(threadId, runId)) ?? statuses.get(runKey(null, runId));
}

const cancelled = () => new StoreError('CANCELLED', 'cancelled');

/** Each thread's event pass, in this thread; a backend that reads synchronously (SQLite) still lets it hear a cancel, and its host go on. */
export async function* checkThreads(source: HealthSource, threads: readonly string[], statusOf: RunStatuses, signal?: AbortSignal): AsyncGenerator<CheckedThread> {
  let yielded = performance.now();
  for (const threadId of threads) {
    if (performance.now() - yielded > YIELD_MS) {
      await new Promise(setImmediate);
      yielded = performance.now();
    }
    if (signal?.aborted) throw cancelled();
    const check = new ThreadCheck(threadId);
    await source.readEvents(threadId, (event) => check.add(event));
    const findings = check.events === 0 ? [] : check.finish((runId) => statusOf(threadId, runId));
    yield { threadId, events: check.events, runIds: [...check.runIds()], findings };
  }
}

export async function checkHealth(source: HealthSource, { threadId, onProgress, signal, shareOut }: CheckOptions = {}): Promise<HealthReport> {
  const threads = threadId === undefined ? await source.threadIds() : [threadId];
  const rows = await source.runsRows(threadId);
  const meta = await source.metaThreadIds();
  const findings = await source.sourceFindings(threadId);
  /** The runs that have events, by thread and run, and by run alone (for a runs table that records no thread). */
  const withEvents = new Set<string>();
  const report = progressReporter(threadId === undefined ? onProgress : undefined, threads.length);
  let checked = 0;
  const take = ({ threadId: thread, events, runIds, findings: found }: CheckedThread) => {
    report(++checked);
    if (events === 0) return;
    findings.push(...found);
    for (const runId of runIds) withEvents.add(runKey(thread, runId)).add(runKey(null, runId));
    if (meta !== null && !meta.has(thread)) {
      findings.push(finding('orphan_events', thread, null, null, `${events.toLocaleString('en-US')} events and no threads_meta row: a thread delete left them (DeerFlow before #5535), or its row was removed`));
    }
  };
  const { here, elsewhere } = shareOut && threadId === undefined ? await shareOut(threads) : { here: threads, elsewhere: [] };
  // One pass failing (or a cancel) stops the other at its next thread: a helper thread ends with its results' iteration.
  let failed = false;
  const drain = async (results: AsyncIterable<CheckedThread> | Iterable<CheckedThread>) => {
    try {
      for await (const result of results) {
        if (failed) return;
        take(result);
      }
    } catch (error) {
      failed = true;
      throw error;
    }
  };
  await Promise.all([drain(checkThreads(source, here, runStatuses(rows), signal)), drain(elsewhere)]);
  if (signal?.aborted) throw cancelled();
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
