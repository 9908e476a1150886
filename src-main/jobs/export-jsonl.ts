// A source (or one thread / one run of it) into DeerFlow's JSONL layout,
// `<out>/threads/<thread>/runs/<run>.jsonl`, each line as DeerFlow's
// JsonlRunEventStore writes it. A SQLite database is read in its index's
// order, a page of rows per statement whatever the runs (a writer in
// rollback-journal mode waits for one page at most), its lines made from
// the bytes stored (export-row-line.ts); any other source run by run through
// the store's listEvents pages. Either way each run's file is written with
// one write while the next rows are read (run-file-writer.ts), and a huge
// run never sits in memory at once.
import { mkdir } from 'node:fs/promises';
import type { ExportSummary } from '../../src-shared/contract.ts';
import { StoreError } from '../../src-shared/errors.ts';
import { plural } from '../../src-shared/plural.ts';
import type { InspectorStore } from '../../src-shared/types.ts';
import { formatJsonlLine } from '../store/jsonl/format.ts';
import { checkSafeId } from '../store/jsonl/layout.ts';
import type { ExportWindow } from '../store/sqlite/rows.ts';
import type { ExportReader } from '../store/sqlite/sql.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { databaseRecordLine, RowLineFormatter } from './export-row-line.ts';
import { cancelledError, type ExportSpec, type JobContext } from './job-spec.ts';
import { RunFileWriter } from './run-file-writer.ts';

const PAGE_ROWS = 5_000;
/** A REAL that SQLite sorts below every number, text and blob: a window's start before a run's first row. */
const BEFORE_EVERY_VALUE = -Infinity;

interface RunToExport {
  threadId: string;
  runId: string;
  /** Its events a listing shows, which the export writes. */
  events: number;
}

/** Adds a page's events to the count and says so. */
type Progress = (events: number) => void;

const runKey = (threadId: string, runId: string) => `${threadId}/${runId}`;

/** A seq listEvents returns (an integer from 1 up, the store's window): rows another writer gave any other are left out. */
const isListedSeq = (seq: unknown): boolean => typeof seq === 'number' && seq > 0 && seq <= Number.MAX_SAFE_INTEGER;

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
 * The rows of the runs, walked in (thread_id, run_id, seq) order: the whole
 * scope in one walk, or each run in its own when they were picked by run id
 * (one run id in many threads). A run with no listed rows still gets its
 * (empty) file, as listEvents' pages give it.
 */
async function writeRows(reader: ExportReader, runs: RunToExport[], picked: boolean, writer: RunFileWriter, progress: Progress, signal: AbortSignal): Promise<void> {
  const lines = new RowLineFormatter();
  const withoutLines = new Set(runs.filter((run) => run.events === 0).map((run) => runKey(run.threadId, run.runId)));
  const walks = picked ? runs.map((run) => [run, run]) : [[runs[0], runs[runs.length - 1]]];
  for (const [first, last] of walks) {
    let window: ExportWindow = {
      thread: first.threadId,
      run: first.runId,
      seq: BEFORE_EVERY_VALUE,
      row_key: BEFORE_EVERY_VALUE,
      last_thread: last.threadId,
      last_run: last.runId,
    };
    let open: { threadId: string; runId: string } | null = null;
    for (let full = true; full; ) {
      if (signal.aborted) throw cancelledError();
      const page = reader.page(window, PAGE_ROWS);
      if (page.length === 0) break;
      let written = 0;
      for (const row of page) {
        if (!isListedSeq(row.seq)) continue;
        if (open === null || row.run_id !== open.runId || row.thread_id !== open.threadId) {
          if (open !== null) writer.endRun();
          // A run another writer added since the runs were listed is checked as it comes.
          open = { threadId: checkSafeId(row.thread_id, 'thread_id'), runId: checkSafeId(row.run_id, 'run_id') };
          withoutLines.delete(runKey(open.threadId, open.runId));
          writer.beginRun(open.threadId, open.runId);
          lines.beginRun(open.threadId, open.runId);
        }
        lines.write(row, writer);
        written++;
      }
      const tail = page[page.length - 1];
      window = { ...window, thread: tail.thread_id, run: tail.run_id, seq: tail.seq, row_key: tail.row_key };
      full = page.length === PAGE_ROWS;
      progress(written);
      await writer.ready();
    }
    if (open !== null) writer.endRun();
  }
  for (const run of runs) {
    if (!withoutLines.has(runKey(run.threadId, run.runId))) continue;
    writer.beginRun(run.threadId, run.runId);
    writer.endRun();
  }
}

/** Any store's runs, each through listEvents' pages. */
async function writeRuns(store: InspectorStore, runs: RunToExport[], writer: RunFileWriter, progress: Progress, signal: AbortSignal): Promise<void> {
  const isDatabase = store.info.kind === 'sqlite' || store.info.kind === 'postgres';
  const line = isDatabase ? databaseRecordLine : formatJsonlLine;
  for (const run of runs) {
    writer.beginRun(run.threadId, run.runId);
    for (let afterSeq = 0, full = true; full; ) {
      if (signal.aborted) throw cancelledError();
      const page = await store.listEvents(run.threadId, run.runId, { limit: PAGE_ROWS, afterSeq });
      if (page.length === 0) break;
      writer.text(page.map(line).join(''));
      afterSeq = page[page.length - 1].seq;
      full = page.length === PAGE_ROWS;
      progress(page.length);
      await writer.ready();
    }
    writer.endRun();
  }
}

async function exportFrom(store: InspectorStore, spec: ExportSpec, { onProgress, signal }: JobContext): Promise<ExportSummary> {
  const started = performance.now();
  const reader = store instanceof SqliteStore ? store.exportReader() : null;
  const runs = checkRuns(reader ? sqliteRuns(reader, spec) : await storeRuns(store, spec), spec);
  await mkdir(spec.out, { recursive: true });
  const total = runs.reduce((sum, run) => sum + run.events, 0);
  let done = 0;
  const progress: Progress = (events) => {
    done += events;
    onProgress({ done, total, message: `${done.toLocaleString('en-US')} of ${plural(total, 'event', 'events', (n) => n.toLocaleString('en-US'))} written` });
  };
  const writer = new RunFileWriter(spec.out);
  try {
    if (reader && runs.length > 0) await writeRows(reader, runs, spec.runId !== undefined, writer, progress, signal);
    else await writeRuns(store, runs, writer, progress, signal);
    await writer.finish();
  } finally {
    await writer.settled();
  }
  const seconds = (performance.now() - started) / 1000;
  const threads = new Set(runs.map((run) => run.threadId)).size;
  return { events: done, threads, runs: runs.length, files: runs.length, out: spec.out, seconds };
}

/** Exports the context's open store, or opens spec.source for the job and closes it after. */
export async function exportJsonl(spec: ExportSpec, context: JobContext): Promise<ExportSummary> {
  if (context.store) return exportFrom(context.store, spec, context);
  const { openSource } = await import('../store/open-source.ts');
  // Read-only: an export never changes its source (nor creates a database that was not there).
  const store = await openSource(spec.source, { readOnly: true });
  try {
    return await exportFrom(store, spec, context);
  } finally {
    await store.close();
  }
}
