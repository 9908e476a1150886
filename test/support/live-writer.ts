// A stand-in for a live DeerFlow server, run as its own process by the live
// tail tests and the benchmark: it writes a store the way DeerFlow does while
// the app follows it, one command at a time from stdin (a JSON line each),
// and answers each with a JSON line on stdout once its change is committed.
//   node live-writer.ts sqlite DB     DeerFlow's SQL (DbRunEventStore: max(seq) + 1 in an
//                                     immediate transaction), its row encoding, a 5 s busy
//                                     timeout; the journal mode stays the file's own
//   node live-writer.ts jsonl ROOT    DeerFlow's JsonlRunEventStore: a line per record
//                                     appended to threads/<thread>/runs/<run>.jsonl
// Commands:
//   {"op":"append","thread":T,"run":R,"count":N}   → {"ok":true,"seqs":[…],"at":MS}
//   {"op":"deleteThread","thread":T}               → {"ok":true,"removed":N,"at":MS}
//   {"op":"deleteRun","thread":T,"run":R}          → {"ok":true,"removed":N,"at":MS}
//   {"op":"rewriteThread","thread":T,"run":R,"count":N}
//       deletes the thread's events and appends N anew, in one commit (a thread
//       deleted and written again between two polls)    → {"ok":true,"seqs":[…],"at":MS}
//   {"op":"putRun","thread":T,"run":R,"status":S[,"updatedAt":U]}
//       the run's `runs` row, inserted or its status updated (with updated_at: U,
//       now by default), as DeerFlow's RunRepository does → {"ok":true,"at":MS}
//   {"op":"putThread","thread":T,"displayName":N}  the thread's `threads_meta` row, inserted or
//                                                  renamed (with updated_at) → {"ok":true,"at":MS}
//   {"op":"createSideTables"}   DeerFlow's runs and threads_meta, created in a database that
//                               had only run_events → {"ok":true,"at":MS}
//   {"op":"stream","threads":[T…],"run":R,"perSecond":N,"seconds":S}
//       appends one event at a time, N a second, to each thread in turn; a
//       {"committed":T,"at":MS} line per commit, then {"ok":true,"written":…}
// A write that fails answers {"ok":false,"error":…} (the tests assert none does).
// MS is the commit's wall-clock time (performance.timeOrigin + now()).
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { formatJsonlLine } from '../../src-main/store/jsonl/format.ts';
import { runFile, threadDir } from '../../src-main/store/jsonl/layout.ts';
import { makeEvent } from '../../src-main/store/records.ts';
import { runsDdl, threadsMetaDdl } from '../../src-main/store/sqlite/deerflow-side-tables.ts';
import { createdAtToDb, eventToRow } from '../../src-main/store/sqlite/encoding.ts';
import { nowIso } from '../../src-shared/time.ts';
import type { EventInput } from '../../src-shared/types.ts';

const WRITER_BUSY_TIMEOUT_MS = 5000;

type Command =
  | { op: 'append'; thread: string; run: string; count: number }
  | { op: 'deleteThread'; thread: string }
  | { op: 'deleteRun'; thread: string; run: string }
  | { op: 'rewriteThread'; thread: string; run: string; count: number }
  | { op: 'putRun'; thread: string; run: string; status: string; updatedAt?: string }
  | { op: 'putThread'; thread: string; displayName: string }
  | { op: 'createSideTables' }
  | { op: 'stream'; threads: string[]; run: string; perSecond: number; seconds: number };

interface Writer {
  /** Appends `count` events to a run in one commit; returns their seqs. */
  append(thread: string, run: string, count: number): number[];
  deleteThread(thread: string): number;
  deleteRun(thread: string, run: string): number;
  rewriteThread(thread: string, run: string, count: number): number[];
  putRun(thread: string, run: string, status: string, updatedAt?: string): void;
  putThread(thread: string, displayName: string): void;
  createSideTables(): void;
}

const now = () => performance.timeOrigin + performance.now();

let written = 0;
const input = (thread: string, run: string): EventInput => ({
  thread_id: thread,
  run_id: run,
  event_type: 'llm.ai.response',
  category: 'message',
  content: { type: 'ai', content: `live ${++written} 你好` },
});

function sqliteWriter(file: string): Writer {
  const db = new Database(file, { timeout: WRITER_BUSY_TIMEOUT_MS, fileMustExist: true });
  const hasUserId = db.prepare<[], string>("SELECT name FROM pragma_table_info('run_events')").pluck().all().includes('user_id');
  const maxSeq = db.prepare<[string], number | null>('SELECT max(seq) FROM run_events WHERE thread_id = ?').pluck();
  const columns = ['thread_id', 'run_id', ...(hasUserId ? ['user_id'] : []), 'event_type', 'category', 'content', 'event_metadata', 'seq', 'created_at'];
  const insert = db.prepare(`INSERT INTO run_events (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
  const deleteThread = db.prepare('DELETE FROM run_events WHERE thread_id = ?');
  const deleteRun = db.prepare('DELETE FROM run_events WHERE thread_id = ? AND run_id = ?');
  const append = db.transaction((thread: string, run: string, count: number) => {
    const first = (maxSeq.get(thread) ?? 0) + 1;
    const seqs = Array.from({ length: count }, (_, i) => first + i);
    for (const seq of seqs) insert.run(eventToRow(input(thread, run), seq));
    return seqs;
  });
  const rewriteThread = db.transaction((thread: string, run: string, count: number) => {
    deleteThread.run(thread);
    return append(thread, run, count);
  });
  // Prepared at first use: the side tables may be created only later (createSideTables).
  const prepared = (sql: string) => {
    let statement: Database.Statement | null = null;
    return () => (statement ??= db.prepare(sql));
  };
  // The columns DeerFlow fills when a run starts; the owner and the later columns are left null.
  const insertRun = prepared(
    `INSERT INTO runs (run_id, thread_id, status, multitask_strategy, metadata_json, kwargs_json, message_count, total_input_tokens, total_output_tokens,
       total_tokens, llm_call_count, lead_agent_tokens, subagent_tokens, middleware_tokens, created_at, updated_at)
     VALUES (@run, @thread, @status, 'reject', '{}', '{}', 0, 0, 0, 0, 0, 0, 0, 0, @now, @now)
     ON CONFLICT (run_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at`,
  );
  const putThread = prepared(
    `INSERT INTO threads_meta (thread_id, display_name, status, metadata_json, created_at, updated_at) VALUES (@thread, @displayName, 'idle', '{}', @now, @now)
     ON CONFLICT (thread_id) DO UPDATE SET display_name = excluded.display_name, updated_at = excluded.updated_at`,
  );
  const stamp = () => createdAtToDb(nowIso());
  return {
    append: (thread, run, count) => append.immediate(thread, run, count),
    deleteThread: (thread) => deleteThread.run(thread).changes,
    deleteRun: (thread, run) => deleteRun.run(thread, run).changes,
    rewriteThread: (thread, run, count) => rewriteThread.immediate(thread, run, count),
    putRun: (thread, run, status, updatedAt) => void insertRun().run({ thread, run, status, now: updatedAt ?? stamp() }),
    putThread: (thread, displayName) => void putThread().run({ thread, displayName, now: stamp() }),
    createSideTables: db.transaction(() => {
      for (const ddl of [...runsDdl('user_id'), ...threadsMetaDdl('user_id')]) db.exec(ddl);
    }),
  };
}

function jsonlWriter(root: string): Writer {
  const nextSeq = new Map<string, number>();
  return {
    append: (thread, run, count) => {
      const file = runFile(root, thread, run);
      mkdirSync(path.dirname(file), { recursive: true });
      const first = nextSeq.get(thread) ?? 1;
      const seqs = Array.from({ length: count }, (_, i) => first + i);
      nextSeq.set(thread, first + count);
      appendFileSync(file, seqs.map((seq) => formatJsonlLine(makeEvent(input(thread, run), seq))).join(''));
      return seqs;
    },
    deleteThread: (thread) => {
      rmSync(threadDir(root, thread), { recursive: true, force: true });
      nextSeq.delete(thread);
      return 1;
    },
    deleteRun: (thread, run) => {
      rmSync(runFile(root, thread, run), { force: true });
      return 1;
    },
    rewriteThread: () => unsupported('rewriteThread'),
    putRun: () => unsupported('putRun'),
    putThread: () => unsupported('putThread'),
    createSideTables: () => unsupported('createSideTables'),
  };
}

/** A DeerFlow JSONL layout keeps no runs or threads_meta rows, and a file cannot be rewritten in one commit. */
function unsupported(op: string): never {
  throw new Error(`${op}: a database's command, not a JSONL layout's`);
}

const say = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);
const failure = (error: unknown) => ({ ok: false, error: `${(error as { code?: string }).code ?? ''} ${(error as Error).message}` });

async function stream(writer: Writer, { threads, run, perSecond, seconds }: Extract<Command, { op: 'stream' }>): Promise<object> {
  const total = Math.round(perSecond * seconds);
  const started = now();
  const errors: string[] = [];
  for (let i = 0; i < total; i++) {
    // Paced against the start, so a slow write does not slow the rate down.
    const due = started + (i * 1000) / perSecond;
    if (due > now()) await new Promise((resolve) => setTimeout(resolve, due - now()));
    const thread = threads[i % threads.length];
    try {
      writer.append(thread, run, 1);
      say({ committed: thread, at: now() });
    } catch (error) {
      errors.push(failure(error).error);
    }
  }
  return { ok: errors.length === 0, written: total - errors.length, errors };
}

async function run(writer: Writer, command: Command): Promise<object> {
  try {
    switch (command.op) {
      case 'append':
        return { ok: true, seqs: writer.append(command.thread, command.run, command.count), at: now() };
      case 'deleteThread':
        return { ok: true, removed: writer.deleteThread(command.thread), at: now() };
      case 'deleteRun':
        return { ok: true, removed: writer.deleteRun(command.thread, command.run), at: now() };
      case 'rewriteThread':
        return { ok: true, seqs: writer.rewriteThread(command.thread, command.run, command.count), at: now() };
      case 'putRun':
        writer.putRun(command.thread, command.run, command.status, command.updatedAt);
        return { ok: true, at: now() };
      case 'putThread':
        writer.putThread(command.thread, command.displayName);
        return { ok: true, at: now() };
      case 'createSideTables':
        writer.createSideTables();
        return { ok: true, at: now() };
      case 'stream':
        return await stream(writer, command);
    }
  } catch (error) {
    return failure(error);
  }
}

const [kind, target] = process.argv.slice(2);
const writer = kind === 'sqlite' ? sqliteWriter(target) : jsonlWriter(target);
say({ ready: true });
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== '') say(await run(writer, JSON.parse(line) as Command));
}
