// The JSONL layout's index, kept between sessions (issue 14, "JSONL index
// persisted"; DESIGN.md §4 "one sidecar per source"): for every run file how
// it looked (inode, size, mtime) and how far it was read, its digest and
// where each of its events lies, and each thread's list entry, in tables of
// their own in the source's sidecar file (where its search index lives too).
// A later open lists the threads from here at once and reads only the files
// whose stat differs. A thread of many runs also has its messages kept in
// seq order (kept-messages.ts), so a page of it is answered before its runs
// are taken in. Nothing in it is original: a file of another version,
// of another source, or that cannot be read as one is emptied, and the
// files are read again.
import os from 'node:os';
import type Database from 'better-sqlite3';
import type { ThreadSummary } from '../../../src-shared/types.ts';
import { KeptFile, type KeptTables } from '../kept-file.ts';
import { chunkRows, idsOf, type ChunkRow, type ChunkRows, type FolderStat, type KeptMessages, type KeptMessagesHead } from './kept-messages.ts';

const TABLES: KeptTables = {
  prefix: 'jsonl_index',
  // Bumped whenever the tables or what their blobs and JSON hold change (2: issues say what they are about, which
  // the health check reads; a file of 1 has issues without it; 3: a messages table; 4: the messages in chunks, in
  // tables of other names). The entries and messages are doubles as this machine lays them out: a file from a
  // machine of the other byte order is read again.
  version: `4/${os.endianness()}`,
  schema: [
    'CREATE TABLE IF NOT EXISTS jsonl_index_threads (thread_id TEXT PRIMARY KEY, summary TEXT NOT NULL) WITHOUT ROWID',
    // A rowid table: the entries are blobs of up to megabytes, which WITHOUT ROWID tables store badly.
    `CREATE TABLE IF NOT EXISTS jsonl_index_runs (id INTEGER PRIMARY KEY, thread_id TEXT NOT NULL, run_id TEXT NOT NULL,
       ino INTEGER NOT NULL, size INTEGER NOT NULL, mtime_ms REAL NOT NULL, consumed INTEGER NOT NULL, lines INTEGER NOT NULL,
       tail BLOB NOT NULL, issues TEXT NOT NULL, digest TEXT NOT NULL, entries BLOB NOT NULL, UNIQUE (thread_id, run_id))`,
    // Rows only while they match the thread's runs rows: a save of the thread without them removes them.
    `CREATE TABLE IF NOT EXISTS jsonl_index_message_heads (thread_id TEXT PRIMARY KEY, folder_ino INTEGER NOT NULL, folder_mtime_ms REAL NOT NULL,
       live_run_ids TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS jsonl_index_message_chunks (thread_id TEXT NOT NULL, chunk INTEGER NOT NULL, first_seq REAL NOT NULL,
       last_seq REAL NOT NULL, run_ids TEXT NOT NULL, messages BLOB NOT NULL, PRIMARY KEY (thread_id, chunk))`,
  ],
  tables: ['jsonl_index_runs', 'jsonl_index_threads', 'jsonl_index_message_heads', 'jsonl_index_message_chunks'],
};

/** One run file's row: its stat and read position, and as JSON its issues (SourceIssue[]) and digest (RunDigestState). */
export interface KeptRun {
  run_id: string;
  ino: number;
  size: number;
  mtime_ms: number;
  consumed: number;
  lines: number;
  tail: Buffer;
  issues: string;
  digest: string;
  entries: Buffer;
}

/** A run file's stat and how far it was read, as kept. */
export type KeptRunStat = Pick<KeptRun, 'ino' | 'size' | 'mtime_ms' | 'consumed'>;

interface MessagesRow {
  folder_ino: number;
  folder_mtime_ms: number;
  live_run_ids: string;
}

type ChunkRead = Pick<ChunkRow, 'run_ids' | 'messages'>;

/** The file's statements, prepared once it has its tables. */
function statementsOf(db: Database.Database) {
  return {
    threads: db.prepare<[], { thread_id: string; summary: string }>('SELECT thread_id, summary FROM jsonl_index_threads'),
    runsOf: db.prepare<[string, string, number], KeptRun>(
      `SELECT run_id, ino, size, mtime_ms, consumed, lines, tail, issues, digest, entries FROM jsonl_index_runs
       WHERE thread_id = ? AND run_id > ? ORDER BY run_id LIMIT ?`,
    ),
    runStat: db.prepare<[string, string], KeptRunStat>('SELECT ino, size, mtime_ms, consumed FROM jsonl_index_runs WHERE thread_id = ? AND run_id = ?'),
    folderOf: db.prepare<[string], { ino: number; mtimeMs: number }>('SELECT folder_ino AS ino, folder_mtime_ms AS mtimeMs FROM jsonl_index_message_heads WHERE thread_id = ?'),
    messagesOf: db.prepare<[string], MessagesRow>('SELECT folder_ino, folder_mtime_ms, live_run_ids FROM jsonl_index_message_heads WHERE thread_id = ?'),
    chunksAfter: db.prepare<[string, number, number], ChunkRead>(
      'SELECT run_ids, messages FROM jsonl_index_message_chunks WHERE thread_id = ? AND last_seq > ? AND first_seq < ? ORDER BY chunk',
    ),
    chunksBefore: db.prepare<[string, number], ChunkRead>('SELECT run_ids, messages FROM jsonl_index_message_chunks WHERE thread_id = ? AND first_seq < ? ORDER BY chunk DESC'),
    setMessages: db.prepare<[MessagesRow & { thread_id: string }]>(
      'INSERT OR REPLACE INTO jsonl_index_message_heads (thread_id, folder_ino, folder_mtime_ms, live_run_ids) VALUES (@thread_id, @folder_ino, @folder_mtime_ms, @live_run_ids)',
    ),
    setChunk: db.prepare<[ChunkRow & { thread_id: string; chunk: number }]>(
      `INSERT INTO jsonl_index_message_chunks (thread_id, chunk, first_seq, last_seq, run_ids, messages)
       VALUES (@thread_id, @chunk, @first_seq, @last_seq, @run_ids, @messages)`,
    ),
    forgetMessages: db.prepare<[string]>('DELETE FROM jsonl_index_message_heads WHERE thread_id = ?'),
    forgetChunks: db.prepare<[string]>('DELETE FROM jsonl_index_message_chunks WHERE thread_id = ?'),
    setThread: db.prepare<[string, string]>('INSERT OR REPLACE INTO jsonl_index_threads (thread_id, summary) VALUES (?, ?)'),
    setRun: db.prepare<[KeptRun & { thread_id: string }]>(
      `INSERT OR REPLACE INTO jsonl_index_runs (thread_id, run_id, ino, size, mtime_ms, consumed, lines, tail, issues, digest, entries)
       VALUES (@thread_id, @run_id, @ino, @size, @mtime_ms, @consumed, @lines, @tail, @issues, @digest, @entries)`,
    ),
    forgetRun: db.prepare<[string, string]>('DELETE FROM jsonl_index_runs WHERE thread_id = ? AND run_id = ?'),
    forgetThreadRuns: db.prepare<[string]>('DELETE FROM jsonl_index_runs WHERE thread_id = ?'),
    forgetThread: db.prepare<[string]>('DELETE FROM jsonl_index_threads WHERE thread_id = ?'),
  };
}

export class JsonlIndexFile {
  private readonly file: KeptFile;
  private readonly sql: ReturnType<typeof statementsOf>;

  /** Throws SQLite's error when the file is no database or is damaged (the caller removes it and opens again). */
  constructor(file: string, identity: string) {
    this.file = new KeptFile(file, TABLES, identity);
    // Nothing here is original: a crash loses at most the last threads saved, which the next open reads again.
    this.file.db.pragma('synchronous = OFF');
    this.sql = statementsOf(this.file.db);
  }

  /** Empties the index (found damaged under the store). */
  clear(): void {
    this.file.db.transaction(() => this.file.clear())();
  }

  /** Every kept thread's list entry. */
  threads(): Map<string, ThreadSummary> {
    return new Map(this.sql.threads.all().map((row) => [row.thread_id, JSON.parse(row.summary) as ThreadSummary]));
  }

  /** Up to `limit` of the thread's runs rows, in run id order from the first after `afterRunId` ('' for the first). */
  runsOf(threadId: string, afterRunId: string, limit: number): KeptRun[] {
    return this.sql.runsOf.all(threadId, afterRunId, limit);
  }

  runStat(threadId: string, runId: string): KeptRunStat | undefined {
    return this.sql.runStat.get(threadId, runId);
  }

  /** The thread's runs folder as the listing its kept messages match found it, if it has them. */
  folderOf(threadId: string): FolderStat | undefined {
    return this.sql.folderOf.get(threadId);
  }

  /** What a page of the thread's kept messages checks, and their chunks as it reads them; null when it has none, or they cannot be what this version saved. */
  messagesOf(threadId: string): { head: KeptMessagesHead; chunks: ChunkRows } | null {
    const row = this.sql.messagesOf.get(threadId);
    const liveRunIds = row && idsOf(row.live_run_ids);
    if (!row || !liveRunIds) return null;
    const chunks: ChunkRows = {
      after: (afterSeq, beforeSeq) => this.sql.chunksAfter.iterate(threadId, afterSeq, beforeSeq),
      before: (beforeSeq) => this.sql.chunksBefore.iterate(threadId, beforeSeq),
    };
    return { head: { folder: { ino: row.folder_ino, mtimeMs: row.folder_mtime_ms }, liveRunIds }, chunks };
  }

  /**
   * A thread as it now is: its list entry, the runs given (changed) replaced,
   * the runs named (gone) removed, and its messages as they now are, or none.
   */
  saveThread(threadId: string, summary: ThreadSummary, changed: readonly KeptRun[], gone: Iterable<string>, messages: KeptMessages | null): void {
    this.file.db.transaction(() => {
      for (const runId of gone) this.sql.forgetRun.run(threadId, runId);
      for (const run of changed) this.sql.setRun.run({ thread_id: threadId, ...run });
      this.sql.setThread.run(threadId, JSON.stringify(summary));
      if (messages) this.saveMessages(threadId, messages);
      else this.forgetMessages(threadId);
    })();
  }

  private forgetMessages(threadId: string): void {
    this.sql.forgetMessages.run(threadId);
    this.sql.forgetChunks.run(threadId);
  }

  /** The messages of a thread whose runs rows are as it now is. */
  saveMessages(threadId: string, messages: KeptMessages): void {
    const { folder, liveRunIds } = messages;
    this.file.db.transaction(() => {
      this.forgetMessages(threadId);
      this.sql.setMessages.run({ thread_id: threadId, folder_ino: folder.ino, folder_mtime_ms: folder.mtimeMs, live_run_ids: JSON.stringify(liveRunIds) });
      for (const [chunk, row] of chunkRows(messages).entries()) this.sql.setChunk.run({ thread_id: threadId, chunk, ...row });
    })();
  }

  forgetThread(threadId: string): void {
    this.file.db.transaction(() => {
      this.sql.forgetThreadRuns.run(threadId);
      this.sql.forgetThread.run(threadId);
      this.forgetMessages(threadId);
    })();
  }

  close(): void {
    this.file.close();
  }
}
