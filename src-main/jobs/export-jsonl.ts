// A source (or one thread / one run of it) into DeerFlow's JSONL layout,
// `<out>/threads/<thread>/runs/<run>.jsonl`, each line as DeerFlow's
// JsonlRunEventStore writes it. A SQLite database's rows are walked in its
// index's order, their lines made from the stored text, in helper threads
// when the export is big (export-rows.ts); any other source goes run by run
// through the store's listEvents pages. Either way the lines come in batches
// whose files this thread writes with one write each, each thread's folder
// made once (run-file-batches.ts), and a huge run never sits in memory whole.
import { mkdir } from 'node:fs/promises';
import type { ExportSummary } from '../../src-shared/contract.ts';
import { StoreError } from '../../src-shared/errors.ts';
import { plural } from '../../src-shared/plural.ts';
import type { InspectorStore } from '../../src-shared/types.ts';
import { formatJsonlLine } from '../store/jsonl/format.ts';
import { checkSafeId } from '../store/jsonl/layout.ts';
import type { ExportReader } from '../store/sqlite/sql.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { databaseRecordLine } from './export-row-line.ts';
import { EXPORT_PAGE_ROWS, rowBatchesHere, rowBatchesInThreads, type ExportRowsJob, type RunId } from './export-rows.ts';
import { cancelledError, sourceWorkerUrl, type ExportSpec, type JobContext } from './job-spec.ts';
import { RunFileBatcher, writeRunFiles, type RunFileBatch } from './run-file-batches.ts';

/** Below this many events a helper thread costs more to start than it saves. */
const EXPORT_THREAD_MIN_EVENTS = 50_000;
/** Helper threads of a big export: with the writing thread they keep two cores busy (the writes take a fifth of the reading's time). */
const READER_THREADS = 2;

interface RunToExport extends RunId {
  /** Its events a listing shows, which the export writes. */
  events: number;
}

async function storeRuns(store: InspectorStore, spec: ExportSpec): Promise<RunToExport[]> {
  const threadIds = spec.threadId !== undefined ? [spec.threadId] : (await store.listThreads()).map((t) => t.thread_id);
  const runs: RunToExport[] = [];
  for (const threadId of threadIds) {
    for (const run of await store.listRuns(threadId)) {
      if (spec.runId === undefined || run.run_id === spec.runId) runs.push({ threadId, runId: run.run_id, events: run.event_count });
    }
  }
  return runs;
}

/** The same runs from the index alone: listThreads and a listRuns per thread read every row for spans the export does not need. */
function sqliteRuns(reader: ExportReader, spec: ExportSpec): RunToExport[] {
  return reader
    .runs(spec.threadId)
    .filter((run) => spec.runId === undefined || run.run_id === spec.runId)
    .map((run) => ({ threadId: run.thread_id, runId: run.run_id, events: run.listed }));
}

/** Checked before any file is written: the layout names files after ids. */
function checkRuns(runs: RunToExport[], spec: ExportSpec): RunToExport[] {
  if (runs.length === 0 && (spec.threadId !== undefined || spec.runId !== undefined)) {
    const what = [spec.threadId && `thread ${spec.threadId}`, spec.runId && `run ${spec.runId}`].filter(Boolean).join(', ');
    throw new StoreError('NOT_FOUND', `nothing to export: no events for ${what}`);
  }
  for (const run of runs) {
    checkSafeId(run.threadId, 'thread_id');
    checkSafeId(run.runId, 'run_id');
  }
  return runs;
}

/**
 * The rows of the runs in `readers` walks of about as many events each, in
 * (thread_id, run_id) order; each run in a walk of its own when they were
 * picked by run id (one run id in many threads).
 */
function rowsJobs(file: string, runs: RunToExport[], picked: boolean, readers: number): ExportRowsJob[] {
  const total = runs.reduce((sum, run) => sum + run.events, 0);
  const groups: RunToExport[][] = [[]];
  let done = 0;
  for (const run of runs) {
    if (groups.length < readers && done >= (total * groups.length) / readers && groups[groups.length - 1].length > 0) groups.push([]);
    groups[groups.length - 1].push(run);
    done += run.events;
  }
  return groups.map((group) => {
    const ids = group.map(({ threadId, runId }) => ({ threadId, runId }));
    return {
      file,
      walks: picked ? ids.map((run) => [run, run]) : [[ids[0], ids[ids.length - 1]]],
      emptyRuns: group.filter((run) => run.events === 0).map(({ threadId, runId }) => ({ threadId, runId })),
    };
  });
}

/** Any store's runs, each through listEvents' pages, a batch per page. */
async function* storeBatches(store: InspectorStore, runs: RunToExport[]): AsyncGenerator<RunFileBatch, void, void> {
  const isDatabase = store.info.kind === 'sqlite' || store.info.kind === 'postgres';
  const line = isDatabase ? databaseRecordLine : formatJsonlLine;
  const batcher = new RunFileBatcher();
  for (const run of runs) {
    batcher.beginRun(run.threadId, run.runId);
    for (let afterSeq = 0, full = true; full; ) {
      const page = await store.listEvents(run.threadId, run.runId, { limit: EXPORT_PAGE_ROWS, afterSeq });
      if (page.length === 0) break;
      batcher.text(page.map(line).join(''));
      batcher.wrote(page.length);
      afterSeq = page[page.length - 1].seq;
      full = page.length === EXPORT_PAGE_ROWS;
      yield* batcher.take();
    }
    batcher.endRun();
  }
  yield* batcher.take();
}

async function exportFrom(store: InspectorStore, spec: ExportSpec, context: JobContext, threadMinEvents: number): Promise<ExportSummary> {
  const { onProgress, signal, workerUrl = sourceWorkerUrl() } = context;
  const started = performance.now();
  const reader = store instanceof SqliteStore ? store.exportReader() : null;
  const runs = checkRuns(reader ? sqliteRuns(reader, spec) : await storeRuns(store, spec), spec);
  await mkdir(spec.out, { recursive: true });
  const total = runs.reduce((sum, run) => sum + run.events, 0);
  let batches: AsyncGenerator<RunFileBatch, void, void>;
  if (reader === null || runs.length === 0) {
    batches = storeBatches(store, runs);
  } else if (workerUrl && total >= threadMinEvents) {
    const readers = total >= threadMinEvents * READER_THREADS ? READER_THREADS : 1;
    batches = rowBatchesInThreads(workerUrl, rowsJobs(store.info.path!, runs, spec.runId !== undefined, readers));
  } else {
    batches = rowBatchesHere(reader, rowsJobs(store.info.path!, runs, spec.runId !== undefined, 1)[0]);
  }
  let done = 0;
  const folders = new Set<string>();
  try {
    for await (const batch of batches) {
      if (signal.aborted) throw cancelledError();
      writeRunFiles(spec.out, batch, folders);
      done += batch.events;
      onProgress({ done, total, message: `${done.toLocaleString('en-US')} of ${plural(total, 'event', 'events', (n) => n.toLocaleString('en-US'))} written` });
    }
  } finally {
    // Helper threads stop with the loop.
    await batches.return();
  }
  const seconds = (performance.now() - started) / 1000;
  const threads = new Set(runs.map((run) => run.threadId)).size;
  return { events: done, threads, runs: runs.length, files: runs.length, out: spec.out, seconds };
}

/**
 * Exports the context's open store, or opens spec.source for the job and
 * closes it after. `threadMinEvents`: a SQLite export of fewer events reads
 * in this thread (tests set it).
 */
export async function exportJsonl(spec: ExportSpec, context: JobContext, threadMinEvents = EXPORT_THREAD_MIN_EVENTS): Promise<ExportSummary> {
  if (context.store) return exportFrom(context.store, spec, context, threadMinEvents);
  const { openSource } = await import('../store/open-source.ts');
  // Read-only: an export never changes its source (nor creates a database that was not there).
  const store = await openSource(spec.source, { readOnly: true });
  try {
    return await exportFrom(store, spec, context, threadMinEvents);
  } finally {
    await store.close();
  }
}
