// The reading half of an import: JSONL files into row batches. It runs in a
// thread of its own when the job can start one, so reading and inserting use
// both cores; otherwise in the job's thread, between its inserts.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker, type MessagePort } from 'node:worker_threads';
import { StoreError, type ErrorCode } from '../../src-shared/errors.ts';
import type { RunEvent, SourceIssue } from '../../src-shared/types.ts';
import { asStoreError } from '../handlers/as-store-error.ts';
import { readJsonlFileByChunks } from '../store/jsonl/jsonl-reader.ts';
import { layoutIds } from '../store/jsonl/layout.ts';
import { batchTransfer, type RowBatch } from '../store/sqlite/row-batch.ts';
import { ImportRows } from './import-rows.ts';

/** One read for most run files, a few for big ones; reused for every file. */
const READ_BUFFER_BYTES = 4 * 1024 * 1024;
/** Batches read ahead of the inserts: enough to keep both threads busy, little memory. */
const BATCHES_AHEAD = 3;

export interface ReaderMessage {
  /** 'batch': a full batch, cut while reading file number `file`; 'end': the rest, after the last file. */
  kind: 'batch' | 'end';
  /** Files finished before this batch was cut, as [file number, rows then waiting for the next batch] pairs. */
  fileEnds: number[];
  file: number;
  batch: RowBatch;
  /** With 'end': every line skipped or kept with defaults. */
  issues: SourceIssue[];
}

/** What the reading thread is started with. */
export interface ReaderJob {
  files: string[];
  batchSize: number;
}

/**
 * Reads the files in order, handing on each batch of `batchSize` rows as it
 * fills, then the rest. A record the database cannot take (importEvents'
 * check) or a file that cannot be read ends it with that error, after the
 * batches completed before it.
 */
export function* readBatches({ files, batchSize }: ReaderJob): Generator<ReaderMessage, void, void> {
  const rows = new ImportRows();
  const buffer = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
  const issues: SourceIssue[] = [];
  const ready: ReaderMessage[] = [];
  let fileEnds: number[] = [];
  let file = 0;
  const rowAdded = () => {
    if (rows.writer.rows < batchSize) return;
    ready.push({ kind: 'batch', fileEnds, file, batch: rows.writer.take(), issues: [] });
    fileEnds = [];
  };
  const onRecord = (record: RunEvent) => {
    rows.addRecord(record);
    rowAdded();
  };
  for (const path of files) {
    file++;
    const fast = rows.lineTaker(layoutIds(path));
    const takeLine = (bytes: Buffer, start: number, end: number) => {
      if (!fast(bytes, start, end)) return false;
      rowAdded();
      return true;
    };
    const chunks = readJsonlFileByChunks(path, onRecord, { takeLine, buffer });
    try {
      for (;;) {
        let step: IteratorResult<void, { issues: SourceIssue[] }>;
        try {
          step = chunks.next();
        } catch (error) {
          yield* ready.splice(0); // completed batches are kept, as when each was inserted as it filled
          throw error;
        }
        yield* ready.splice(0);
        if (step.done) {
          issues.push(...step.value.issues);
          break;
        }
      }
    } finally {
      chunks.return(undefined as never); // closes the file when the import stops in the middle of it (a no-op at its end)
    }
    fileEnds.push(file, rows.writer.rows);
  }
  yield { kind: 'end', fileEnds, file, batch: rows.writer.take(), issues };
}

/** In the job's thread: a turn of the event loop after each batch, so a cancel gets through. */
export async function* readBatchesHere(job: ReaderJob): AsyncGenerator<ReaderMessage, void, void> {
  for (const message of readBatches(job)) {
    yield message;
    await nextTurn();
  }
}

type FromReader = ReaderMessage | { kind: 'failed'; code: ErrorCode; message: string };

/** The reading thread's side: batches as transfers (no copies), at most BATCHES_AHEAD unanswered. */
export async function serveReader(port: MessagePort, job: ReaderJob): Promise<void> {
  let ahead = 0;
  let room: (() => void) | null = null;
  port.on('message', () => {
    ahead--;
    room?.();
  });
  const send = (message: FromReader, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  try {
    for (const message of readBatches(job)) {
      while (ahead >= BATCHES_AHEAD) await new Promise<void>((resolve) => (room = resolve));
      ahead++;
      send(message, batchTransfer(message.batch));
    }
  } catch (error) {
    const { code, message } = asStoreError(error);
    send({ kind: 'failed', code, message });
  } finally {
    port.close();
  }
}

/** The job's side of a reading thread started from `workerUrl` (job-worker.ts, which hands over to serveReader). */
export async function* readBatchesInThread(workerUrl: URL, job: ReaderJob): AsyncGenerator<ReaderMessage, void, void> {
  const worker = new Worker(workerUrl, { workerData: { importReader: job } });
  const inbox: FromReader[] = [];
  let stopped: Error | null = null;
  let wake: (() => void) | null = null;
  const arrived = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (message: FromReader) => {
    inbox.push(message);
    arrived();
  });
  worker.on('error', (error) => {
    stopped ??= error;
    arrived();
  });
  worker.on('exit', (code) => {
    stopped ??= new StoreError('INTERNAL', `the import's reading thread stopped (exit code ${code})`);
    arrived();
  });
  try {
    for (;;) {
      while (inbox.length === 0) {
        if (stopped) throw stopped;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      const message = inbox.shift()!;
      if (message.kind === 'failed') throw new StoreError(message.code, message.message);
      yield message;
      if (message.kind === 'end') return;
      worker.postMessage(null); // room for one more
    }
  } finally {
    await worker.terminate();
  }
}
