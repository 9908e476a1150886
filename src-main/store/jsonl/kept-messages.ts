// A thread's messages in seq order as the kept index holds them (issue 14:
// the first page of a thread of 58,579 runs on a later open took 2.3 s, its
// every run taken in and every file stat'ed before its latest 50 messages
// were read). Per message its seq, its run and where its line lies: a page
// is read from its files with only those files and the runs folder checked,
// before the thread's runs are taken in (jsonl-store.ts pageFromKept).
import type { ListMessagesOptions } from '../../../src-shared/types.ts';
import { pageRange } from '../paging.ts';
import type { RecordAt } from './record-reads.ts';

/** Doubles a message: seq, run (an index into runIds), offset and length of its line. */
export const MESSAGE_FIELDS = 4;

/** A runs folder's identity and mtime: another stat means a file was added, removed or renamed in it since. */
export interface FolderStat {
  ino: number;
  mtimeMs: number;
}

export interface KeptMessages {
  /** The thread's runs folder as the last listing of its files found it (taken before listing). */
  folder: FolderStat;
  runIds: string[];
  /** The runs whose files were being written when these were kept (thread-files.ts liveRunIds): checked with a page's. */
  liveRunIds: string[];
  /** MESSAGE_FIELDS doubles a message, in seq order. */
  messages: Float64Array;
}

/** Kept messages from their columns; null when they cannot be what this version saved. */
export function keptMessagesFrom(folder: FolderStat, runIdsJson: string, liveRunIdsJson: string, bytes: Uint8Array): KeptMessages | null {
  const size = MESSAGE_FIELDS * Float64Array.BYTES_PER_ELEMENT;
  if (bytes.byteLength % size !== 0) return null;
  const runIds = idsOf(runIdsJson);
  const liveRunIds = idsOf(liveRunIdsJson);
  if (!runIds || !liveRunIds) return null;
  // A copy: the blob's own buffer may be unaligned or shared.
  const messages = new Float64Array(bytes.byteLength / Float64Array.BYTES_PER_ELEMENT);
  new Uint8Array(messages.buffer).set(bytes);
  for (let i = 0; i < messages.length; i += MESSAGE_FIELDS) {
    const run = messages[i + 1];
    if (!(Number.isInteger(run) && run >= 0 && run < runIds.length) || (i > 0 && !(messages[i] > messages[i - MESSAGE_FIELDS]))) return null;
  }
  return { folder, runIds, liveRunIds, messages };
}

function idsOf(json: string): string[] | null {
  let ids: unknown;
  try {
    ids = JSON.parse(json);
  } catch {
    return null;
  }
  return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? ids : null;
}

/** The lines of one page (guarantee 4's cursors), by run id, each run's in seq order. */
export function keptPage({ runIds, messages }: KeptMessages, options: ListMessagesOptions): Map<string, RecordAt[]> {
  const [start, end] = pageRange(messages.length / MESSAGE_FIELDS, (i) => messages[i * MESSAGE_FIELDS], options);
  const byRun = new Map<string, RecordAt[]>();
  for (let i = start * MESSAGE_FIELDS; i < end * MESSAGE_FIELDS; i += MESSAGE_FIELDS) {
    const runId = runIds[messages[i + 1]];
    const at: RecordAt = { seq: messages[i], offset: messages[i + 2], length: messages[i + 3] };
    const wanted = byRun.get(runId);
    if (wanted) wanted.push(at);
    else byRun.set(runId, [at]);
  }
  return byRun;
}
