// The reading half of an import: JSONL files into row batches. It runs in a
// thread of its own when the job can start one, so reading and inserting use
// both cores; otherwise in the job's thread, between its inserts.
import fs from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { MessagePort } from 'node:worker_threads';
import type { SourceIssue } from '../../src-shared/types.ts';
import { readJsonlBytes, readJsonlFileByChunks, type JsonlReadResult, type LineTaker, type OnRecord } from '../store/jsonl/jsonl-reader.ts';
import { layoutIds } from '../store/jsonl/layout.ts';
import { batchTransfer, CREATED_AT_NEEDED, storableCreatedAt, type RowBatch } from '../store/sqlite/row-batch.ts';
import { ImportRows } from './import-rows.ts';
import { batchesFromThread, serveBatches } from './thread-batches.ts';

/** Files read ahead of their turn, and the most of each read that way: DeerFlow's run files are far smaller. */
const FILES_AHEAD = 16;
const AHEAD_BUFFER_BYTES = 1024 * 1024;
/** A bigger file is read in chunks of this size when its turn comes. */
const CHUNK_BYTES = 4 * 1024 * 1024;

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
  /** The target's extra run_events columns (ImportTarget#extraColumns), which rows carry a value for. */
  extraColumns: readonly string[];
}

type Loaded = { buffer: Buffer; bytes: number } | { error: unknown };

function readStart(path: string, buffer: Buffer): Promise<Loaded> {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (error) {
    return Promise.resolve({ error });
  }
  return new Promise((resolve) =>
    fs.read(fd, buffer, 0, buffer.length, 0, (readError, bytes) => {
      fs.closeSync(fd);
      resolve(readError ? { error: readError } : { buffer, bytes });
    }),
  );
}

/**
 * Reads files ahead of their turn, several at once, each into a buffer of
 * its own: on a cold disk (an export is read once) their waits overlap
 * instead of adding up, which is most of the time of a cold import.
 */
class FilesAhead {
  private readonly files: string[];
  private readonly loads: Promise<Loaded>[] = [];
  private readonly free: Buffer[] = Array.from({ length: FILES_AHEAD }, () => Buffer.allocUnsafeSlow(AHEAD_BUFFER_BYTES));

  constructor(files: string[]) {
    this.files = files;
    this.readAhead();
  }

  /** The start of file `index` (all of it when `bytes` is short of the buffer); its buffer is lent until release(). Files are taken in order. */
  take(index: number): Promise<Loaded> {
    if (index === this.loads.length) this.readAhead();
    return this.loads[index];
  }

  /**
   * Reads go out half a pool at a time: each lone read would wake a sleeping
   * libuv thread, which costs more than the read itself.
   */
  release(loaded: Loaded): void {
    if ('buffer' in loaded) this.free.push(loaded.buffer);
    if (this.free.length >= FILES_AHEAD / 2) this.readAhead();
  }

  private readAhead(): void {
    while (this.free.length > 0 && this.loads.length < this.files.length) this.loads.push(readStart(this.files[this.loads.length], this.free.pop()!));
  }
}

/** A file's issues with the records skipped for their created_at, in line order: the skip replaces the line's warning. */
function withSkips(issues: SourceIssue[], skips: SourceIssue[]): SourceIssue[] {
  if (skips.length === 0) return issues;
  const lines = new Set(skips.map((skip) => skip.line));
  return [...issues.filter((issue) => !lines.has(issue.line)), ...skips].sort((a, b) => a.line - b.line);
}

/**
 * Reads the files in order, handing on each batch of `batchSize` rows as it
 * fills, then the rest. A record whose created_at no row can hold is
 * skipped and reported like a malformed line (it is common in JSONL, where
 * the rule defaults a missing one to ''); any other record the database
 * cannot take (importEvents' check) or a file that cannot be read ends it
 * with that error, after the batches completed before it.
 */
export async function* readBatches({ files, batchSize, extraColumns }: ReaderJob): AsyncGenerator<ReaderMessage, void, void> {
  const rows = new ImportRows(extraColumns);
  const ahead = new FilesAhead(files);
  let chunkBuffer: Buffer | null = null;
  const issues: SourceIssue[] = [];
  const ready: ReaderMessage[] = [];
  let fileEnds: number[] = [];
  let file = 0;
  const rowAdded = () => {
    if (rows.writer.rows < batchSize) return;
    ready.push({ kind: 'batch', fileEnds, file, batch: rows.writer.take(), issues: [] });
    fileEnds = [];
  };
  let skips: SourceIssue[] = [];
  const onRecord: OnRecord = (record, where) => {
    if (!storableCreatedAt(record.created_at)) {
      skips.push({ ...where, severity: 'error', message: CREATED_AT_NEEDED });
      return;
    }
    rows.addRecord(record);
    rowAdded();
  };
  for (const path of files) {
    const loaded = await ahead.take(file++);
    const fast = rows.lineTaker(layoutIds(path));
    const takeLine: LineTaker = (bytes, start, end) => {
      if (!fast(bytes, start, end)) return false;
      rowAdded();
      return true;
    };
    let read: JsonlReadResult | undefined;
    try {
      if ('error' in loaded) throw loaded.error;
      if (loaded.bytes < loaded.buffer.length) {
        read = readJsonlBytes(path, loaded.buffer.subarray(0, loaded.bytes), onRecord, { takeLine });
      } else {
        // Bigger than a buffer read ahead: in chunks, handing on batches as they fill.
        const chunks = readJsonlFileByChunks(path, onRecord, { takeLine, buffer: (chunkBuffer ??= Buffer.allocUnsafeSlow(CHUNK_BYTES)) });
        try {
          for (let step = chunks.next(); ; step = chunks.next()) {
            yield* ready.splice(0);
            if (step.done) {
              read = step.value;
              break;
            }
          }
        } finally {
          chunks.return(undefined as never); // closes the file when the import stops in the middle of it (a no-op at its end)
        }
      }
    } finally {
      // Completed batches are kept, as when each was inserted as it filled, even when this file failed.
      yield* ready.splice(0);
      ahead.release(loaded);
    }
    issues.push(...withSkips(read.issues, skips));
    skips = [];
    fileEnds.push(file, rows.writer.rows);
  }
  yield { kind: 'end', fileEnds, file, batch: rows.writer.take(), issues };
}

/** In the job's thread: a turn of the event loop after each batch, so a cancel gets through. */
export async function* readBatchesHere(job: ReaderJob): AsyncGenerator<ReaderMessage, void, void> {
  for await (const message of readBatches(job)) {
    yield message;
    await nextTurn();
  }
}

/** The reading thread's side: batches as transfers (no copies). */
export function serveReader(port: MessagePort, job: ReaderJob): Promise<void> {
  return serveBatches(port, readBatches(job), (message) => batchTransfer(message.batch));
}

/** The job's side of a reading thread started from `workerUrl` (job-worker.ts, which hands over to serveReader). */
export async function* readBatchesInThread(workerUrl: URL, job: ReaderJob): AsyncGenerator<ReaderMessage, void, void> {
  yield* batchesFromThread<ReaderMessage>(workerUrl, { importReader: job }, "the import's reading thread");
}
