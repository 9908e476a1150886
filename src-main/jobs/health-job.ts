// checkHealth off the main process's event loop (issue 15): a SQLite
// database or a JSONL source is checked in the job worker, on a read-only
// connection (or a store) of its own, its progress posted as it goes; a
// memory store, which only this process holds, and a PostgreSQL server, whose
// connection may need a password this process was given (the server does the
// work, this process waits on it between pages), are checked here.
import type { HealthProgress, HealthReport } from '../../src-shared/health.ts';
import type { InspectorStore } from '../../src-shared/types.ts';
import { checkHealth } from '../health/check-store.ts';
import { healthSourceFor, type OpenedHealthSource } from '../health/source-for-store.ts';
import { openSqliteHealthSource } from '../health/sqlite-source.ts';
import { openSource } from '../store/open-source.ts';
import type { ProgressReport } from './job-spec.ts';

export interface HealthSpec {
  kind: 'sqlite' | 'jsonl' | 'jsonl-file';
  /** The database, JSONL folder or export file (absolute). */
  source: string;
  threadId?: string;
}

export interface HealthJobContext {
  onProgress: (progress: ProgressReport) => void;
  signal: AbortSignal;
}

/** A job's progress report carries the health:progress push: threads checked of all. */
export const healthProgressReport = ({ checked, total }: HealthProgress): ProgressReport => ({ done: checked, total, message: 'checking store health' });
export const healthProgressOf = ({ done, total }: ProgressReport): HealthProgress => ({ checked: done, total: total ?? 0 });

async function openForCheck(spec: HealthSpec): Promise<OpenedHealthSource & { store?: InspectorStore }> {
  if (spec.kind === 'sqlite') {
    const source = openSqliteHealthSource(spec.source);
    return { source, close: () => source.close() };
  }
  const store = await openSource(spec.source, { readOnly: true });
  return { ...healthSourceFor(store), store };
}

/** The worker's side. */
export async function checkInWorker(spec: HealthSpec, { onProgress, signal }: HealthJobContext): Promise<HealthReport> {
  const opened = await openForCheck(spec);
  try {
    return await checkHealth(opened.source, { threadId: spec.threadId, signal, onProgress: (progress) => onProgress(healthProgressReport(progress)) });
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
