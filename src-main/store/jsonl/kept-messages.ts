// A thread's messages in seq order as the kept index holds them (issue 14:
// the first page of a thread of 58,579 runs on a later open took 2.3 s, its
// every run taken in and every file stat'ed before its latest 50 messages
// were read). Per message its seq, its run and where its line lies: a page
// is read from its files with only those files and the runs folder checked,
// before the thread's runs are taken in (jsonl-store.ts pageFromKept). They
// are kept in chunks of a few thousand, each with the ids of its runs, so a
// page reads the chunk or two it falls in, not the thread's million messages.
import type { ListMessagesOptions } from '../../../src-shared/types.ts';
import { pageRange } from '../paging.ts';
import type { RecordAt } from './record-reads.ts';

/** Doubles a message: seq, run (an index into its chunk's or list's run ids), offset and length of its line. */
export const MESSAGE_FIELDS = 4;
const MESSAGES_PER_CHUNK = 4096;

/** A runs folder's identity and mtime: another stat means a file was added, removed or renamed in it since. */
export interface FolderStat {
  ino: number;
  mtimeMs: number;
}

/** What a page checks before it is read from the kept messages. */
export interface KeptMessagesHead {
  /** The thread's runs folder as the last listing of its files found it (taken before listing). */
  folder: FolderStat;
  /** The runs whose files were being written when these were kept (thread-files.ts liveRunIds): checked with a page's. */
  liveRunIds: string[];
}

/** Some of the thread's messages, in seq order. */
export interface MessageChunk {
  runIds: string[];
  /** MESSAGE_FIELDS doubles a message. */
  messages: Float64Array;
}

/** All of a thread's messages, as it has them. */
export interface KeptMessages extends KeptMessagesHead, MessageChunk {}

/** A kept chunk as its row holds it. */
export interface ChunkRow {
  first_seq: number;
  last_seq: number;
  run_ids: string;
  messages: Buffer;
}

/** The messages in chunks, each with the ids of the runs it names. */
export function chunkRows({ runIds, messages }: MessageChunk): ChunkRow[] {
  const rows: ChunkRow[] = [];
  const step = MESSAGES_PER_CHUNK * MESSAGE_FIELDS;
  for (let start = 0; start < messages.length; start += step) {
    const chunk = messages.slice(start, Math.min(messages.length, start + step));
    const local = new Map<number, number>();
    for (let i = 1; i < chunk.length; i += MESSAGE_FIELDS) {
      let at = local.get(chunk[i]);
      if (at === undefined) local.set(chunk[i], (at = local.size));
      chunk[i] = at;
    }
    rows.push({
      first_seq: chunk[0],
      last_seq: chunk[chunk.length - MESSAGE_FIELDS],
      run_ids: JSON.stringify([...local.keys()].map((run) => runIds[run])),
      messages: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
    });
  }
  return rows;
}

/** A chunk from its row; null when it cannot be one this version saved. */
function chunkOf(row: Pick<ChunkRow, 'run_ids' | 'messages'>): MessageChunk | null {
  const bytes = row.messages;
  if (bytes.byteLength % (MESSAGE_FIELDS * Float64Array.BYTES_PER_ELEMENT) !== 0) return null;
  const runIds = idsOf(row.run_ids);
  if (!runIds) return null;
  // A copy: the blob's own buffer may be unaligned or shared.
  const messages = new Float64Array(bytes.byteLength / Float64Array.BYTES_PER_ELEMENT);
  new Uint8Array(messages.buffer).set(bytes);
  for (let i = 1; i < messages.length; i += MESSAGE_FIELDS) {
    const run = messages[i];
    if (!(Number.isInteger(run) && run >= 0 && run < runIds.length)) return null;
  }
  return { runIds, messages };
}

export function idsOf(json: string): string[] | null {
  let ids: unknown;
  try {
    ids = JSON.parse(json);
  } catch {
    return null;
  }
  return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? ids : null;
}

/** The kept chunks a page may need, in seq order from the first after `afterSeq`, or backwards from the last before `beforeSeq`. */
export interface ChunkRows {
  after(afterSeq: number, beforeSeq: number): Iterable<Pick<ChunkRow, 'run_ids' | 'messages'>>;
  before(beforeSeq: number): Iterable<Pick<ChunkRow, 'run_ids' | 'messages'>>;
}

/**
 * The lines of one page (guarantee 4's cursors), by run id, each run's in
 * seq order: the chunks are read from the cursor on until they hold the
 * page. Null when a chunk cannot be what this version saved.
 */
export function keptPage(rows: ChunkRows, options: ListMessagesOptions): Map<string, RecordAt[]> | null {
  const { limit, afterSeq, beforeSeq } = options;
  const upTo = beforeSeq ?? Number.MAX_VALUE;
  const forward = afterSeq !== undefined;
  const chunks: MessageChunk[] = [];
  let inRange = 0;
  for (const row of forward ? rows.after(afterSeq, upTo) : rows.before(upTo)) {
    const chunk = chunkOf(row);
    if (!chunk) return null;
    chunks.push(chunk);
    for (let i = 0; i < chunk.messages.length; i += MESSAGE_FIELDS) if (chunk.messages[i] > (afterSeq ?? -Infinity) && chunk.messages[i] < upTo) inRange++;
    if (limit !== undefined && inRange >= limit) break;
  }
  if (!forward) chunks.reverse();
  const seqs: number[] = [];
  const places: { runId: string; at: RecordAt }[] = [];
  for (const { runIds, messages } of chunks) {
    for (let i = 0; i < messages.length; i += MESSAGE_FIELDS) {
      if (seqs.length > 0 && !(messages[i] > seqs[seqs.length - 1])) return null;
      seqs.push(messages[i]);
      places.push({ runId: runIds[messages[i + 1]], at: { seq: messages[i], offset: messages[i + 2], length: messages[i + 3] } });
    }
  }
  const [start, end] = pageRange(seqs.length, (i) => seqs[i], options);
  const byRun = new Map<string, RecordAt[]>();
  for (const { runId, at } of places.slice(start, end)) {
    const wanted = byRun.get(runId);
    if (wanted) wanted.push(at);
    else byRun.set(runId, [at]);
  }
  return byRun;
}
