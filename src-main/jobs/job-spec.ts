// What a long job is asked to do, in a form that crosses a worker boundary
// (plain data), and what every job is given to do it (run-job.ts dispatches).
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExportSummary, ImportSummary, JobProgress, RepairSummary } from '../../src-shared/contract.ts';
import { StoreError } from '../../src-shared/errors.ts';
import type { InspectorStore } from '../../src-shared/types.ts';

export interface ImportSpec {
  kind: 'import';
  /** A JSONL file or a directory holding them (absolute). */
  path: string;
  /** The SQLite database written (absolute; created when missing), or a PostgreSQL URL. */
  into: string;
  /** A PostgreSQL `into` is written only when true (`--write`); it means nothing for a file. */
  write?: boolean;
  /** A PostgreSQL `into` that is an empty database is given DeerFlow's tables first (`--init`). */
  init?: boolean;
}

export interface ExportSpec {
  kind: 'export';
  /** The SOURCE read (absolute); null for a memory store, which only an in-process job can reach. */
  source: string | null;
  out: string;
  threadId?: string;
  runId?: string;
}

export interface RepairSpec {
  kind: 'repair';
  /** The JSONL layout read (absolute), never written. */
  source: string;
  /** The new or empty folder the repaired copy goes to, outside the source (absolute). */
  out: string;
}

export type JobSpec = ImportSpec | ExportSpec | RepairSpec;
export type JobSummary = ImportSummary | ExportSummary | RepairSummary;
export type ProgressReport = Pick<JobProgress, 'done' | 'total' | 'message'>;

export interface JobContext {
  onProgress: (progress: ProgressReport) => void;
  signal: AbortSignal;
  /** An already open source: the session's own store, which an export reads, or a server an import writes into. */
  store?: InspectorStore;
  /**
   * job-worker's entry, which a job may start again as a helper thread (an
   * import's reader); null: none can be started. Default: sourceWorkerUrl().
   */
  workerUrl?: URL | null;
}

/**
 * job-worker beside this module: .ts when running from the sources. A bundle,
 * where this module is inlined into another file, builds the worker as an
 * entry of its own and passes its URL (electron.vite.config.ts, main.ts).
 */
export function sourceWorkerUrl(): URL | null {
  const name = `job-worker${extname(fileURLToPath(import.meta.url))}`;
  const url = new URL(name, import.meta.url);
  return existsSync(url) ? url : null;
}

export function cancelledError(): StoreError {
  return new StoreError('CANCELLED', 'cancelled');
}
