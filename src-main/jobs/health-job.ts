// checkHealth off the main process's event loop (issue 15): a SQLite
// database or a JSONL source is checked in the job worker, on a read-only
// connection (or a store) of its own, its progress posted as it goes (a whole
// SQLite store with half its events checked by a helper thread meanwhile); a
// memory store, which only this process holds, and a PostgreSQL server, whose
// connection may need a password this process was given (the server does the
// work, this process waits on it between pages), are checked here.
import type { MessagePort } from 'node:worker_threads';
import type { HealthProgress, HealthReport } from '../../src-shared/health.ts';
import type { InspectorStore } from '../../src-shared/types.ts';
import { checkHealth, checkThreads, runStatuses, type CheckedThread, type ShareOut } from '../health/check-store.ts';
import { healthSourceFor, type OpenedHealthSource } from '../health/source-for-store.ts';
import { openSqliteHealthSource, type SqliteHealthSource } from '../health/sqlite-source.ts';
import { openSource } from '../store/open-source.ts';
import type { ProgressReport } from './job-spec.ts';
import { batchesFromThread, serveBatches } from './thread-batches.ts';

export interface HealthSpec {
  kind: 'sqlite' | 'jsonl' | 'jsonl-file';
  /** The database, JSONL folder or export file (absolute). */
  source: string;
  threadId?: string;
}

export interface HealthJobContext {
  onProgress: (progress: ProgressReport) => void;
  signal: AbortSignal;
  /** The job worker's entry, to check a share of a SQLite store's threads in a helper thread; null: all here. */
  workerUrl: URL | null;
}

/** A helper thread's share of a SQLite store's threads (job-worker's `{ healthShare }`). */
export interface HealthShareJob {
  source: string;
  threads: string[];
}

/** A job's progress report carries the health:progress push: threads checked of all. */
export const healthProgressReport = ({ checked, total }: HealthProgress): ProgressReport => ({ done: checked, total, message: 'checking store health' });
export const healthProgressOf = ({ done, total }: ProgressReport): HealthProgress => ({ checked: done, total: total ?? 0 });

async function openForCheck(spec: HealthSpec): Promise<OpenedHealthSource & { store?: InspectorStore; sqlite?: SqliteHealthSource }> {
  if (spec.kind === 'sqlite') {
    const source = openSqliteHealthSource(spec.source);
    return { source, sqlite: source, close: () => source.close() };
  }
  const store = await openSource(spec.source, { readOnly: true });
  return { ...healthSourceFor(store), store };
}

/** The threads in two shares of about as many events each (the biggest first, each to the lighter share). */
function halves(threads: readonly string[], sizes: ReadonlyMap<string, number>): [string[], string[]] {
  const shares: [string[], string[]] = [[], []];
  const weights = [0, 0];
  for (const thread of [...threads].sort((a, b) => (sizes.get(b) ?? 0) - (sizes.get(a) ?? 0))) {
    const lighter = weights[0] <= weights[1] ? 0 : 1;
    shares[lighter].push(thread);
    weights[lighter] += sizes.get(thread) ?? 0;
  }
  return shares;
}

/** Half a SQLite store's events checked by a helper thread of its own connection meanwhile: both cores read and decode. */
function helperShare(source: SqliteHealthSource, file: string, workerUrl: URL): ShareOut {
  return async (threads) => {
    const [here, there] = halves(threads, await source.threadSizes());
    if (there.length === 0) return { here, elsewhere: [] };
    const job: HealthShareJob = { source: file, threads: there };
    return { here, elsewhere: batchesFromThread<CheckedThread>(workerUrl, { healthShare: job }, "the health check's helper thread") };
  };
}

/** The helper's side: each thread of its share checked and posted as it is done. */
export async function serveHealthShare(port: MessagePort, { source: file, threads }: HealthShareJob): Promise<void> {
  const source = openSqliteHealthSource(file);
  try {
    await serveBatches(port, checkThreads(source, threads, runStatuses(await source.runsRows())));
  } finally {
    source.close();
  }
}

/** A source checked as its spec names it: the job worker's side, and the CLI's for a file or folder. */
export async function checkSourceSpec(spec: HealthSpec, { onProgress, signal, workerUrl }: HealthJobContext): Promise<HealthReport> {
  const opened = await openForCheck(spec);
  try {
    const shareOut = opened.sqlite && workerUrl ? helperShare(opened.sqlite, spec.source, workerUrl) : undefined;
    return await checkHealth(opened.source, { threadId: spec.threadId, signal, shareOut, onProgress: (progress) => onProgress(healthProgressReport(progress)) });
  } finally {
    opened.close();
    await opened.store?.close();
  }
}

/** What of the JobRunner a check needs (named here: the runner imports this module's spec). */
export interface HealthWorker {
  readonly hasWorker: boolean;
  runHealth(spec: HealthSpec, onProgress: (progress: ProgressReport) => void): { done: Promise<HealthReport> };
}

export interface OpenSourceCheck {
  threadId?: string;
  onProgress?: (progress: HealthProgress) => void;
}

/** The open source checked in the worker where one can read it, else here. */
export async function checkOpenSource(store: InspectorStore, jobs: HealthWorker, { threadId, onProgress }: OpenSourceCheck): Promise<HealthReport> {
  const { kind, path } = store.info;
  // One JSONL thread is read here, where the store has read its files already: a store of the worker's own would read them all for their issues.
  const inWorker = kind === 'sqlite' || (threadId === undefined && (kind === 'jsonl' || kind === 'jsonl-file'));
  if (jobs.hasWorker && path !== null && inWorker) {
    return jobs.runHealth({ kind, source: path, threadId }, (progress) => onProgress?.(healthProgressOf(progress))).done;
  }
  const opened = healthSourceFor(store);
  try {
    return await checkHealth(opened.source, { threadId, onProgress });
  } finally {
    opened.close();
  }
}
