// Brings a SQLite source's search index up to date (issue 10, "The index"):
// rows past the last indexed id, then — when the counts say rows went
// (the app's deletes or another process's) — a per-thread comparison that
// removes the missing rows and adds any the index lacks (SQLite may give a
// new row the id of a deleted one). A file replaced under the same inode is
// caught by its last indexed row, which then names another event.
// The source is read on a read-only connection of its own, in short read
// transactions (one statement per batch): never a write lock, never a change
// to the file, so a live agent writing it is not held up (DESIGN.md §4).
import Database from 'better-sqlite3';
import { rowToEvent } from '../store/sqlite/encoding.ts';
import type { EventRow } from '../store/sqlite/rows.ts';
import { BUSY_TIMEOUT_MS } from '../store/sqlite/sqlite-store.ts';
import { indexDoc } from './index-doc.ts';
import type { DocKey, IndexDoc, Sidecar } from './sidecar-file.ts';
import { sourceIdentity } from './sidecar-location.ts';

const LAST_ID = 'lastId';

type SourceRow = EventRow & { id: number };

const ROW_COLUMNS = 'id, thread_id, run_id, event_type, category, content, event_metadata, seq, created_at';

export interface SyncProgress {
  indexed: number;
  total: number;
}

/** Rows past an id, turned into index documents. */
export interface DocBatch {
  docs: IndexDoc[];
  lastId: number;
}

/** Where the documents of new rows come from: by default read here; the job reads them in a helper thread. */
export type NewRows = (file: string, afterId: number, batchSize: number) => AsyncIterable<DocBatch>;

export interface SyncOptions {
  /** Rows read and indexed per transaction. */
  batchSize: number;
  newRows?: NewRows;
  onProgress?: (progress: SyncProgress) => void;
  signal?: AbortSignal;
  /** Awaited between batches: in the main process, a turn of the event loop. */
  pause?: () => Promise<void>;
}

/** A read-only connection to the source database, with the few reads the sync needs. */
class SourceReader {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.statements = {
      count: this.db.prepare<[], number>('SELECT count(*) FROM run_events').pluck(),
      countAfter: this.db.prepare<[number], number>('SELECT count(*) FROM run_events WHERE id > ?').pluck(),
      rowsAfter: this.db.prepare<[number, number], SourceRow>(`SELECT ${ROW_COLUMNS} FROM run_events WHERE id > ? ORDER BY id LIMIT ?`),
      row: this.db.prepare<[number], SourceRow>(`SELECT ${ROW_COLUMNS} FROM run_events WHERE id = ?`),
      threadCounts: this.db.prepare<[], { thread_id: string; n: number }>('SELECT thread_id, count(*) AS n FROM run_events GROUP BY thread_id'),
      keysOfThread: this.db.prepare<[string], DocKey>('SELECT id, thread_id, seq FROM run_events WHERE thread_id = ?'),
    };
  }

  count = () => this.statements.count.get() ?? 0;
  countAfter = (id: number) => this.statements.countAfter.get(id) ?? 0;
  rowsAfter = (id: number, limit: number) => this.statements.rowsAfter.all(id, limit);
  row = (id: number) => this.statements.row.get(id);
  threadCounts = () => new Map(this.statements.threadCounts.all().map((row) => [row.thread_id, row.n]));
  keysOfThread = (threadId: string) => this.statements.keysOfThread.all(threadId);

  close(): void {
    this.db.close();
  }
}

const toDoc = (row: SourceRow): IndexDoc => indexDoc(rowToEvent(row), row.id);

/** The rows past `afterId`, batch by batch, on a connection of their own (in whichever thread iterates). */
export async function* readNewRows(file: string, afterId: number, batchSize: number): AsyncGenerator<DocBatch, void, void> {
  const source = new SourceReader(file);
  try {
    for (let lastId = afterId; ; ) {
      const rows = source.rowsAfter(lastId, batchSize);
      if (rows.length === 0) return;
      lastId = rows[rows.length - 1].id;
      yield { docs: rows.map(toDoc), lastId };
    }
  } finally {
    source.close();
  }
}
const sameEvent = (a: DocKey, b: DocKey) => a.id === b.id && a.thread_id === b.thread_id && a.seq === b.seq;

/**
 * Another file (device and inode), or the same one rewritten: its row with
 * the last indexed id names another event. The instant is compared too: a
 * deleted newest row's id and seq are given again to the next row of its
 * thread, which the counts cannot tell when one row went and one came.
 */
function isAnotherSource(file: string, source: SourceReader, sidecar: Sidecar): boolean {
  if (sourceIdentity('sqlite', file) !== sidecar.getMeta('identity')) return true;
  const last = sidecar.lastDoc();
  const row = last && source.row(last.id);
  if (last === undefined || row === undefined) return false;
  const now = toDoc(row);
  return !sameEvent(last, { ...now, id: row.id }) || now.at !== last.at;
}

/**
 * What a sync would do, found cheaply (a count and a range count): how many
 * rows are past the last indexed id (all of them for another file), and
 * whether rows went, which takes the per-thread comparison. The caller may
 * rather hand the work to the worker.
 */
export function pendingSqliteWork(file: string, sidecar: Sidecar): { newRows: number; rowsGone: boolean } {
  const source = new SourceReader(file);
  try {
    if (isAnotherSource(file, source, sidecar)) return { newRows: Number.POSITIVE_INFINITY, rowsGone: false };
    const newRows = source.countAfter(Number(sidecar.getMeta(LAST_ID) ?? 0));
    return { newRows, rowsGone: source.count() !== sidecar.indexed() + newRows };
  } finally {
    source.close();
  }
}

export async function syncSqliteIndex(file: string, sidecar: Sidecar, options: SyncOptions): Promise<void> {
  const source = new SourceReader(file);
  try {
    if (isAnotherSource(file, source, sidecar)) sidecar.clear(sourceIdentity('sqlite', file));
    const total = source.count();
    await addNewRows(file, sidecar, total, options);
    if (sidecar.indexed() !== source.count()) await reconcileThreads(source, sidecar, options);
  } finally {
    source.close();
  }
}

async function addNewRows(file: string, sidecar: Sidecar, total: number, options: SyncOptions): Promise<void> {
  const newRows = options.newRows ?? readNewRows;
  for await (const { docs, lastId } of newRows(file, Number(sidecar.getMeta(LAST_ID) ?? 0), options.batchSize)) {
    options.signal?.throwIfAborted();
    sidecar.apply(docs, [], () => sidecar.setMeta(LAST_ID, lastId));
    options.onProgress?.({ indexed: sidecar.indexed(), total: Math.max(total, sidecar.indexed()) });
    await options.pause?.();
  }
}

/** Threads whose counts differ are compared row by row (by id, thread and seq); every removal is applied before any addition. */
async function reconcileThreads(source: SourceReader, sidecar: Sidecar, options: SyncOptions): Promise<void> {
  const inSource = source.threadCounts();
  const inIndex = sidecar.threadCounts();
  const threads = new Set([...inSource.keys(), ...inIndex.keys()].filter((thread) => inSource.get(thread) !== inIndex.get(thread)));
  const remove: number[] = [];
  const add: number[] = [];
  for (const thread of threads) {
    const sourceKeys = new Map(source.keysOfThread(thread).map((key) => [key.id, key]));
    const indexKeys = new Map(sidecar.keysOfThread(thread).map((key) => [key.id, key]));
    for (const [id, key] of indexKeys) if (!sourceKeys.has(id) || !sameEvent(key, sourceKeys.get(id)!)) remove.push(id);
    for (const [id, key] of sourceKeys) if (!indexKeys.has(id) || !sameEvent(key, indexKeys.get(id)!)) add.push(id);
  }
  sidecar.apply([], remove);
  for (let start = 0; start < add.length; start += options.batchSize) {
    options.signal?.throwIfAborted();
    const rows = add.slice(start, start + options.batchSize).flatMap((id) => source.row(id) ?? []);
    sidecar.apply(rows.map(toDoc), []);
    await options.pause?.();
  }
}
