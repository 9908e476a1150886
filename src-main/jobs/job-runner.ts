// Starts imports and exports, reports their progress and end as push
// messages, and cancels them. A job runs in a worker thread when its entry
// can be found, else in-process: the job code yields to the event loop between
// batches, so even then the event loop is never held for long. Also runs a
// big delete in a worker for a caller that awaits it (no job: no progress,
// no push, no cancel), and a search index build for the search engine, which
// reports its progress itself (the search:index push, not job:progress).
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { JobProgress, JobResult } from '../../src-shared/contract.ts';
import { StoreError, type ErrorCode } from '../../src-shared/errors.ts';
import type { HealthReport } from '../../src-shared/health.ts';
import type { InspectorStore, RunComparison } from '../../src-shared/types.ts';
import { asStoreError } from '../as-store-error.ts';
import { isPostgresUrl } from '../store/source-url.ts';
import type { CompareSpec } from './compare-job.ts';
import type { DeleteSpec, DeleteSummary } from './delete-events.ts';
import type { HealthSpec } from './health-job.ts';
import type { IndexSpec, IndexSummary } from './index-job.ts';
import { sourceWorkerUrl, type JobSpec, type JobSummary, type ProgressReport } from './job-spec.ts';
import { runJob } from './run-job.ts';

export type ToWorker = { type: 'cancel' };
export type WorkerSummary = JobSummary | DeleteSummary | IndexSummary | RunComparison | HealthReport;
export type FromWorker =
  | { type: 'progress'; progress: ProgressReport }
  | { type: 'done'; summary: WorkerSummary }
  | { type: 'failed'; code: ErrorCode; message: string };

export interface JobRunnerOptions {
  onProgress: (progress: JobProgress) => void;
  onDone: (result: JobResult) => void;
  /** The worker entry; null runs every job in-process. Default: sourceWorkerUrl(). */
  workerUrl?: URL | null;
}

interface RunningJob {
  cancel: () => void;
  done: Promise<JobResult>;
}

type Outcome = { ok: true; summary: WorkerSummary } | { ok: false; code: ErrorCode; message: string };

export class JobRunner {
  private readonly jobs = new Map<string, RunningJob>();
  /** Deletes and index builds running in workers, settled or not: idle() waits for them too. */
  private readonly workerTasks = new Set<Promise<unknown>>();
  private readonly options: JobRunnerOptions;
  private readonly workerUrl: URL | null;

  constructor(options: JobRunnerOptions) {
    this.options = options;
    this.workerUrl = options.workerUrl === undefined ? sourceWorkerUrl() : options.workerUrl;
  }

  /** `store` is the session's open source, used by a job that no worker could open it for (runsHere). */
  start(spec: JobSpec, store?: InspectorStore): { jobId: string; done: Promise<JobResult> } {
    const jobId = randomUUID();
    const report = (progress: ProgressReport) => this.options.onProgress({ jobId, kind: spec.kind, ...progress });
    const inProcess = this.workerUrl === null || runsHere(spec);
    const controller = new AbortController();
    let cancel = () => controller.abort();
    let outcome: Promise<Outcome>;
    if (inProcess) {
      outcome = runJob(spec, { onProgress: report, signal: controller.signal, store, workerUrl: this.workerUrl }).then(
        (summary): Outcome => ({ ok: true, summary }),
        (error: unknown): Outcome => ({ ok: false, ...pick(asStoreError(error)) }),
      );
    } else {
      const worker = new Worker(this.workerUrl!, { workerData: { spec } });
      cancel = () => worker.postMessage({ type: 'cancel' } satisfies ToWorker);
      outcome = workerOutcome(worker, report);
    }
    const done = outcome.then((result) => {
      this.jobs.delete(jobId);
      const end = toJobResult(jobId, spec, result);
      this.options.onDone(end);
      return end;
    });
    this.jobs.set(jobId, { cancel, done });
    return { jobId, done };
  }

  /** Whether work can go to a worker thread: its entry was found or given. */
  get hasWorker(): boolean {
    return this.workerUrl !== null;
  }

  /** A worker thread of the entry that serves `workerData`'s role for as long as its owner keeps it (a search's candidate reads); null: no entry. */
  startService(workerData: object): Worker | null {
    return this.workerUrl === null ? null : new Worker(this.workerUrl, { workerData });
  }

  /** Runs a delete in a worker thread on a database connection of its own; needs hasWorker. */
  runDelete(spec: DeleteSpec): Promise<DeleteSummary> {
    return this.runInWorker<DeleteSummary>('delete', { deleteEvents: spec }, () => {}).done;
  }

  /** Builds (or catches up) a source's search index in a worker thread; needs hasWorker. cancel() ends it with CANCELLED. */
  runIndex(spec: IndexSpec, onProgress: (progress: ProgressReport) => void): { done: Promise<IndexSummary>; cancel: () => void } {
    return this.runInWorker<IndexSummary>('search index build', { buildIndex: spec }, onProgress);
  }

  /** Compares two runs of a SQLite source in a worker thread (compare-job.ts); needs hasWorker. */
  runCompare(spec: CompareSpec): Promise<RunComparison> {
    return this.runInWorker<RunComparison>('run comparison', { compareRuns: spec }, () => {}).done;
  }

  /** Checks a SQLite or JSONL source's health in a worker thread (health-job.ts), its progress told as it goes; needs hasWorker. */
  runHealth(spec: HealthSpec, onProgress: (progress: ProgressReport) => void): { done: Promise<HealthReport>; cancel: () => void } {
    return this.runInWorker<HealthReport>('health check', { checkHealth: spec }, onProgress);
  }

  private runInWorker<T>(what: string, workerData: object, onProgress: (progress: ProgressReport) => void): { done: Promise<T>; cancel: () => void } {
    if (this.workerUrl === null) throw new StoreError('INTERNAL', `no worker entry to run the ${what} in`);
    const worker = new Worker(this.workerUrl, { workerData });
    const done = workerOutcome(worker, onProgress).then((outcome) => {
      if (!outcome.ok) throw new StoreError(outcome.code, outcome.message);
      return outcome.summary as T;
    });
    const settled: Promise<unknown> = done.then(
      () => this.workerTasks.delete(settled),
      () => this.workerTasks.delete(settled),
    );
    this.workerTasks.add(settled);
    return { done, cancel: () => worker.postMessage({ type: 'cancel' } satisfies ToWorker) };
  }

  /** False when no such job is running (already ended, or never started). */
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    job?.cancel();
    return job !== undefined;
  }

  cancelAll(): void {
    for (const job of this.jobs.values()) job.cancel();
  }

  /** Resolves once every job and delete started so far has ended. */
  async idle(): Promise<void> {
    while (this.jobs.size + this.workerTasks.size > 0) await Promise.all([...[...this.jobs.values()].map((job) => job.done), ...this.workerTasks]);
  }
}

/**
 * A job this process runs itself: the export of a memory store, which no
 * worker can open, and any job on a PostgreSQL server, whose connection may
 * need the password this process was given (never handed to a thread). The
 * work there is the server's: this process only waits on it between batches.
 */
function runsHere(spec: JobSpec): boolean {
  if (spec.kind === 'import') return isPostgresUrl(spec.into);
  return spec.source === null || isPostgresUrl(spec.source);
}

const pick = ({ code, message }: { code: ErrorCode; message: string }) => ({ code, message });

function workerOutcome(worker: Worker, report: (progress: ProgressReport) => void): Promise<Outcome> {
  return new Promise((resolve) => {
    let outcome: Outcome | null = null;
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'progress') report(message.progress);
      else if (message.type === 'done') outcome = { ok: true, summary: message.summary };
      else outcome = { ok: false, code: message.code, message: message.message };
    });
    worker.on('error', (error) => (outcome ??= { ok: false, ...pick(asStoreError(error)) }));
    worker.on('exit', (exitCode) => resolve(outcome ?? { ok: false, code: 'INTERNAL', message: `the job's worker stopped (exit code ${exitCode})` }));
  });
}

function toJobResult(jobId: string, spec: JobSpec, outcome: Outcome): JobResult {
  if (!outcome.ok) return { jobId, kind: spec.kind, ok: false, error: outcome.message, cancelled: outcome.code === 'CANCELLED' };
  // The spec's kind decided which summary the job produced.
  return { jobId, kind: spec.kind, ok: true, summary: outcome.summary } as JobResult;
}
