// A SQLite export's rows as batches of lines (run-file-batches.ts): read in
// ix_events_run's order a page per statement, whatever the runs (a writer in
// rollback-journal mode waits for one page at most), each line made from the
// stored text (export-row-line.ts). Reading and formatting are the export's
// cost, so a big export has them in helper threads, each with a read-only
// connection of its own and a part of the runs, and the job's thread writes
// the files meanwhile.
import type { MessagePort } from 'node:worker_threads';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { StoreError } from '../../src-shared/errors.ts';
import { checkSafeId } from '../store/jsonl/layout.ts';
import type { ExportWindow } from '../store/sqlite/rows.ts';
import type { ExportReader } from '../store/sqlite/sql.ts';
import { RowLineFormatter } from './export-row-line.ts';
import { RunFileBatcher, type RunFileBatch } from './run-file-batches.ts';
import { batchesFromThread, serveBatches } from './thread-batches.ts';

export const EXPORT_PAGE_ROWS = 5_000;
/** A REAL that SQLite sorts below every number, text and blob: a window's start before a run's first row. */
const BEFORE_EVERY_VALUE = -Infinity;

export interface RunId {
  threadId: string;
  runId: string;
}

export interface ExportRowsJob {
  /** The database, which a helper thread opens read-only. */
  file: string;
  /** Walks from one run's first row to another's last, in (thread_id, run_id) order. */
  walks: [RunId, RunId][];
  /** Runs listed without a row a listing shows: each still gets its (empty) file, unless a row has come since. */
  emptyRuns: RunId[];
}

/** A seq listEvents returns (an integer from 1 up, the store's window): rows another writer gave any other are left out. */
const isListedSeq = (seq: unknown): boolean => typeof seq === 'number' && seq > 0 && seq <= Number.MAX_SAFE_INTEGER;

const runKey = ({ threadId, runId }: RunId) => `${threadId}/${runId}`;

/** The job's rows, a batch per page (and one per slab a page fills). */
export async function* rowBatches(reader: ExportReader, { walks, emptyRuns }: ExportRowsJob): AsyncGenerator<RunFileBatch, void, void> {
  const batcher = new RunFileBatcher();
  const lines = new RowLineFormatter();
  const stillEmpty = new Map(emptyRuns.map((run) => [runKey(run), run]));
  for (const [first, last] of walks) {
    let window: ExportWindow = {
      thread: first.threadId,
      run: first.runId,
      seq: BEFORE_EVERY_VALUE,
      row_key: BEFORE_EVERY_VALUE,
      last_thread: last.threadId,
      last_run: last.runId,
    };
    let open: RunId | null = null;
    for (let full = true; full; ) {
      const page = reader.page(window, EXPORT_PAGE_ROWS);
      if (page.length === 0) break;
      for (const row of page) {
        if (!isListedSeq(row.seq)) continue;
        if (open === null || row.run_id !== open.runId || row.thread_id !== open.threadId) {
          if (open !== null) batcher.endRun();
          // A run another writer added since the runs were listed is checked as it comes.
          open = { threadId: checkSafeId(row.thread_id, 'thread_id'), runId: checkSafeId(row.run_id, 'run_id') };
          stillEmpty.delete(runKey(open));
          batcher.beginRun(open.threadId, open.runId);
          lines.beginRun(open.threadId, open.runId);
        }
        lines.write(row, batcher);
        batcher.wrote(1);
        if (batcher.hasFull) yield* batcher.takeFull();
      }
      const tail = page[page.length - 1];
      window = { ...window, thread: tail.thread_id, run: tail.run_id, seq: tail.seq, row_key: tail.row_key };
      full = page.length === EXPORT_PAGE_ROWS;
      yield* batcher.take();
    }
    if (open !== null) batcher.endRun();
  }
  for (const run of stillEmpty.values()) {
    batcher.beginRun(run.threadId, run.runId);
    batcher.endRun();
  }
  yield* batcher.take();
}

/** In the job's thread, on its own connection: a turn of the event loop after each batch, so a cancel gets through. */
export async function* rowBatchesHere(reader: ExportReader, job: ExportRowsJob): AsyncGenerator<RunFileBatch, void, void> {
  for await (const batch of rowBatches(reader, job)) {
    yield batch;
    await nextTurn();
  }
}

/** The helper thread's side (job-worker.ts hands over to it): its own read-only connection, batches in shared memory. */
export async function serveRowBatches(port: MessagePort, job: ExportRowsJob): Promise<void> {
  const { openSqliteStore } = await import('../store/sqlite/sqlite-store.ts');
  const store = openSqliteStore(job.file, { create: false, readOnly: true });
  async function* batches(): AsyncGenerator<RunFileBatch, void, void> {
    const reader = store.exportReader();
    if (reader === null) throw new StoreError('INTERNAL', `${job.file}: its rows cannot be read in index order`);
    yield* rowBatches(reader, job);
  }
  try {
    await serveBatches(port, batches());
  } finally {
    await store.close();
  }
}

/**
 * The job's side of helper threads started from `workerUrl` (job-worker.ts),
 * one per job, their batches as they come. A helper is asked for its next
 * batch only once its last is written: that answer frees the batch's slot.
 */
export async function* rowBatchesInThreads(workerUrl: URL, jobs: ExportRowsJob[]): AsyncGenerator<RunFileBatch, void, void> {
  const helpers = jobs.map((job) => batchesFromThread<RunFileBatch>(workerUrl, { exportRows: job }, "the export's reading thread"));
  const next = (helper: number) => helpers[helper].next().then((result) => ({ helper, result }));
  const waiting = new Map(helpers.map((_, helper) => [helper, next(helper)]));
  try {
    while (waiting.size > 0) {
      const { helper, result } = await Promise.race(waiting.values());
      waiting.delete(helper);
      if (result.done) continue;
      yield result.value;
      waiting.set(helper, next(helper));
    }
  } finally {
    await Promise.all(helpers.map((helper) => helper.return()));
  }
}
