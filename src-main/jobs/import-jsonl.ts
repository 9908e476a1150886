// JSONL (a file, a DeerFlow layout, or any folder of .jsonl files) into a
// SQLite store or a PostgreSQL database, keeping DeerFlow's seqs:
// re-importing the same export adds nothing. Batches commit one transaction
// each, so a cancel or a crash keeps what was committed and a re-run
// completes it. Reading (import-reader.ts) and inserting run in two threads
// when the input is big enough to pay for starting one. A record's keys
// beyond DeerFlow's are stored where the target has columns of those names
// (a later DeerFlow's); a database without them has nowhere to keep those
// keys, so they are left out, unreported.
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ImportSummary } from '../../src-shared/contract.ts';
import { StoreError } from '../../src-shared/errors.ts';
import { plural } from '../../src-shared/plural.ts';
import type { SourceIssue } from '../../src-shared/types.ts';
import { listJsonlFiles } from '../store/jsonl/jsonl-reader.ts';
import { readBatchesHere, readBatchesInThread, type ReaderJob } from './import-reader.ts';
import { createImportTarget, importTargetOf, type ImportTarget } from './import-target.ts';
import { cancelledError, sourceWorkerUrl, type ImportSpec, type JobContext } from './job-spec.ts';

export const IMPORT_BATCH_SIZE = 5_000;
/** Below this much JSONL a reading thread costs more to start than it saves. */
const IMPORT_THREAD_MIN_BYTES = 16 * 1024 * 1024;

async function inputFiles(path: string): Promise<string[]> {
  const stats = await stat(path).catch(() => null);
  if (!stats) throw new StoreError('NOT_FOUND', `${path}: no such file or directory`);
  const files = stats.isDirectory() ? await listJsonlFiles(path) : [path];
  if (files.length === 0) throw new StoreError('SOURCE', `${path}: no .jsonl files in this folder`);
  return files;
}

/** True once the files add up to `bytes` (stats only as many as it takes). */
function atLeastBytes(files: string[], bytes: number): boolean {
  let total = 0;
  for (const file of files) {
    total += statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    if (total >= bytes) return true;
  }
  return false;
}

export async function importJsonl(
  spec: ImportSpec,
  { onProgress, signal, store, workerUrl = sourceWorkerUrl() }: JobContext,
  batchSize = IMPORT_BATCH_SIZE,
  threadMinBytes = IMPORT_THREAD_MIN_BYTES,
): Promise<ImportSummary> {
  const started = performance.now();
  const files = await inputFiles(spec.path);
  let target: ImportTarget | null = await importTargetOf(spec, store);
  let imported = 0;
  let duplicates = 0;
  let issues: SourceIssue[] = [];
  const report = (file: number, waiting: number) => {
    const read = imported + duplicates + waiting;
    onProgress({ done: read, total: null, message: `${plural(read, 'event', 'events', (n) => n.toLocaleString('en-US'))} read (file ${file} of ${files.length})` });
  };
  // A new target has DeerFlow's columns only.
  const job: ReaderJob = { files, batchSize, extraColumns: target?.extraColumns ?? [] };
  const batches = workerUrl && atLeastBytes(files, threadMinBytes) ? readBatchesInThread(workerUrl, job) : readBatchesHere(job);
  try {
    for await (const { kind, fileEnds, file, batch, issues: all } of batches) {
      for (let i = 0; i < fileEnds.length; i += 2) report(fileEnds[i], fileEnds[i + 1]);
      if (signal.aborted) throw cancelledError();
      if (batch.rows > 0) {
        target ??= createImportTarget(spec.into);
        const result = await target.importRows(batch);
        imported += result.imported;
        duplicates += result.duplicates;
      }
      if (kind === 'batch') report(file, 0);
      else issues = all;
    }
  } finally {
    // Whatever ended the import, the batches committed so far stay (a new database is completed and put in place).
    const late = (await target?.end()) ?? 0;
    imported -= late;
    duplicates += late;
  }
  const skipped = issues.filter((issue) => issue.severity === 'error');
  return {
    imported,
    duplicates,
    skipped: skipped.length,
    skippedLines: skipped.map((issue) => `${issue.path}:${issue.line}`),
    issues,
    seconds: (performance.now() - started) / 1000,
    // A server by its display URL: the URL given may carry its password.
    into: target?.name ?? spec.into,
  };
}
