// JSONL (a file, a DeerFlow layout, or any folder of .jsonl files) into a
// SQLite store, keeping DeerFlow's seqs: re-importing the same export adds
// nothing. Batches commit one transaction each, so a cancel or a crash keeps
// what was committed and a re-run completes it.
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ImportSummary } from '../../src-shared/contract.ts';
import { StoreError } from '../../src-shared/errors.ts';
import type { RunEvent, SourceIssue } from '../../src-shared/types.ts';
import { listJsonlFiles, readJsonlFile } from '../store/jsonl/jsonl-reader.ts';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { cancelledError, type ImportSpec, type JobContext } from './job-spec.ts';

export const IMPORT_BATCH_SIZE = 5_000;

async function inputFiles(path: string): Promise<string[]> {
  const stats = await stat(path).catch(() => null);
  if (!stats) throw new StoreError('NOT_FOUND', `${path}: no such file or directory`);
  const files = stats.isDirectory() ? await listJsonlFiles(path) : [path];
  if (files.length === 0) throw new StoreError('SOURCE', `${path}: no .jsonl files in this folder`);
  return files;
}

export async function importJsonl(
  spec: ImportSpec,
  { onProgress, signal }: JobContext,
  batchSize = IMPORT_BATCH_SIZE,
): Promise<ImportSummary> {
  const started = performance.now();
  const files = await inputFiles(spec.path);
  // An existing target is checked before anything is read; a new one is
  // created only once there is a record for it, so a failed import leaves none.
  let target: SqliteStore | null = existsSync(spec.into) ? openSqliteStore(spec.into, { create: false }) : null;
  let imported = 0;
  let duplicates = 0;
  let batch: RunEvent[] = [];
  const issues: SourceIssue[] = [];
  const report = (file: number) =>
    onProgress({
      done: imported + duplicates + batch.length,
      total: null,
      message: `${(imported + duplicates + batch.length).toLocaleString('en-US')} events read (file ${file} of ${files.length})`,
    });
  const flush = () => {
    // Checked here as well as between files: one file can hold millions of lines.
    if (signal.aborted) throw cancelledError();
    if (batch.length === 0) return;
    target ??= openSqliteStore(spec.into, { create: true });
    const result = target.importEvents(batch);
    imported += result.imported;
    duplicates += result.duplicates;
    batch = [];
  };
  try {
    for (const [index, file] of files.entries()) {
      if (signal.aborted) throw cancelledError();
      const read = await readJsonlFile(file, (record) => {
        batch.push(record);
        if (batch.length >= batchSize) {
          flush();
          report(index + 1);
        }
      });
      issues.push(...read.issues);
      report(index + 1);
    }
    flush();
  } finally {
    await target?.close();
  }
  const skipped = issues.filter((issue) => issue.severity === 'error');
  return {
    imported,
    duplicates,
    skipped: skipped.length,
    skippedLines: skipped.map((issue) => `${issue.path}:${issue.line}`),
    issues,
    seconds: (performance.now() - started) / 1000,
    into: spec.into,
  };
}
