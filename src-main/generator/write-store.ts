// Generated events onto disk, as a DeerFlow SQLite database (with its
// threads_meta and runs tables) or a DeerFlow JSONL layout. Both are built
// under a temporary name and renamed when complete, so a reader never finds a
// half-written store.
import fs from 'node:fs';
import path from 'node:path';
import { instantMs } from '../../src-shared/time.ts';
import type { RunEvent } from '../../src-shared/types.ts';
import { formatJsonlLine } from '../store/jsonl/format.ts';
import { runFile, runsDir } from '../store/jsonl/layout.ts';
import Database from 'better-sqlite3';
import { createDatabase } from '../store/sqlite/new-database.ts';
import { storeOnConnection } from '../store/sqlite/sqlite-store.ts';
import { RunTally, writeSideTables, type ThreadMetaInput } from './deerflow-tables.ts';

export interface WriteOptions {
  /** Events per importEvents transaction. */
  batchSize?: number;
  /** Called now and then with the number of events written so far. */
  onProgress?: (written: number) => void;
}

const PROGRESS_EVERY = 50_000;
/**
 * The writer's page cache: 10M events make some 3 GB of indexes, and with the
 * store's 64 MiB each insert past the first few million rows read index pages
 * back from the OS (a 10M store took over an hour instead of minutes).
 */
const WRITER_CACHE_KIB = 2 * 1024 * 1024;
/** threads_meta time of a thread that has no events (a chat opened, never used); fixed so output is reproducible. */
const EMPTY_THREAD_TIME = '2026-06-30T12:00:00.000001+00:00';

function refuseExisting(target: string): void {
  if (fs.existsSync(target)) throw new Error(`${target} already exists; remove it first`);
}

function partialName(target: string): string {
  const partial = `${target}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(partial + suffix, { force: true });
  return partial;
}

/** A new SQLite database at `file` holding `events`, plus threads_meta rows for `threads`. Returns the number of events. */
export async function writeSqliteStore(
  file: string,
  events: Iterable<RunEvent>,
  threads: readonly ThreadMetaInput[],
  { batchSize = 20_000, onProgress }: WriteOptions = {},
): Promise<number> {
  refuseExisting(file);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const partial = partialName(file);
  const tally = new RunTally();
  let written = 0;
  createDatabase(partial);
  const db = new Database(partial);
  const store = storeOnConnection(db, partial);
  db.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
  // A partial file, renamed only once complete: a crash leaves nothing anyone reads.
  db.pragma('synchronous = OFF');
  try {
    let batch: RunEvent[] = [];
    const flush = () => {
      store.importEvents(batch);
      written += batch.length;
      batch = [];
      onProgress?.(written);
    };
    for (const event of events) {
      tally.add(event);
      batch.push(event);
      if (batch.length >= batchSize) flush();
    }
    if (batch.length > 0) flush();
  } finally {
    await store.close();
  }
  writeSideTables(partial, threads, tally, EMPTY_THREAD_TIME);
  fs.renameSync(partial, file);
  return written;
}

/** A new DeerFlow JSONL layout rooted at `dir` (`threads/<t>/runs/<r>.jsonl`). Returns the number of events. */
export function writeJsonlLayout(dir: string, events: Iterable<RunEvent>, { onProgress }: WriteOptions = {}): number {
  refuseExisting(dir);
  const partial = partialName(dir);
  fs.mkdirSync(partial, { recursive: true });
  let written = 0;
  let threadMade = '';
  // Events of a run come together, so each run file is written in one go.
  let runPath = '';
  let lines: string[] = [];
  let lastCreatedAt = '';
  const flush = () => {
    if (lines.length === 0) return;
    fs.appendFileSync(runPath, lines.join(''));
    // Dated like the agent's own file, last touched by the run's last event: a
    // store written seconds ago would look live to a reader watching for appends.
    const lastWrite = new Date(instantMs(lastCreatedAt));
    fs.utimesSync(runPath, lastWrite, lastWrite);
    lines = [];
  };
  for (const event of events) {
    const file = runFile(partial, event.thread_id, event.run_id);
    if (file !== runPath) {
      flush();
      if (threadMade !== event.thread_id) fs.mkdirSync(runsDir(partial, (threadMade = event.thread_id)), { recursive: true });
      runPath = file;
    }
    lines.push(formatJsonlLine(event));
    lastCreatedAt = event.created_at;
    if (++written % PROGRESS_EVERY === 0) onProgress?.(written);
  }
  flush();
  onProgress?.(written);
  fs.renameSync(partial, dir);
  return written;
}
