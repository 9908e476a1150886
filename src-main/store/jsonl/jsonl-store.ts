// The jsonl backend: DeerFlow's <root>/threads/<thread>/runs/<run>.jsonl,
// read and written in place (DESIGN.md §2–3). The files are read once into
// an EventIndex; before each call the files that may have changed are
// stat'ed and only what changed is read again (appended bytes, or a whole
// thread when a file shrank or was replaced), so other writers — a live
// agent — are seen without reopening and no query re-reads every file.
// No watcher or timer is kept: checks happen when a call comes, so a CLI
// process exits when its work is done.
import { appendFileSync, closeSync, mkdirSync, openSync, readSync, rmSync, truncateSync, type Stats } from 'node:fs';
import path from 'node:path';
import { StoreError } from '../../../src-shared/errors.ts';
import type { EventInput, RunEvent, SourceInfo, SourceIssue } from '../../../src-shared/types.ts';
import { makeEvent } from '../records.ts';
import { checkEventInput, checkEventInputs } from '../validate.ts';
import { jsonlRecordText } from './format.ts';
import { addInSeqOrder, copy, IndexedStore, type ReadRecord } from './indexed-store.ts';
import { readJsonlFile, readJsonlFileSync, type JsonlReadOptions, type JsonlReadResult, type OnRecord } from './jsonl-reader.ts';
import {
  checkSafeId,
  listRunIds,
  listThreadIds,
  resolveLayoutRoot,
  runFile,
  runsDir,
  SAFE_ID,
  statOrNull,
  threadDir,
  threadsDir,
} from './layout.ts';

export { openJsonlExport } from './jsonl-export.ts';

export interface JsonlStoreOptions {
  /**
   * How often folders are listed and every file stat'ed, in ms: the thread
   * list, and a thread before a query of it (a thread's live files are
   * checked before every query; before a write everything is).
   */
  rescanMs?: number;
  /** How long an unterminated last line must stay so before it is read as complete, in ms. */
  settleMs?: number;
  /** Milliseconds since the epoch, as file mtimes count them (tests pass a fake one). */
  clock?: () => number;
}

const DEFAULT_RESCAN_MS = 1000;
const DEFAULT_SETTLE_MS = 2000;
/** Reads up to this size are done without awaiting: an async round trip costs more than reading a small file. */
const SYNC_READ_BYTES = 1024 * 1024;
const YIELD_EVERY_MS = 20;
/** A file written to this recently may be a live agent's: it is stat'ed before every query of its thread. */
const HOT_MS = 60_000;
const NEWLINE = 0x0a;
const CR = 0x0d;

/** What is known about one run file: how far it was read, and how it looked then. */
interface RunFileState {
  ino: number;
  size: number;
  mtimeMs: number;
  consumed: number;
  lines: number;
  tail: Buffer;
  issues: SourceIssue[];
}

interface ThreadFiles {
  /** Run files, as last read. */
  runs: Map<string, RunFileState>;
  /** When the runs folder was last listed and every file stat'ed (clock ms). */
  checkedAt: number;
}

type ReadPlan = { from?: { offset: number; line: number } } | 'reload' | null;

function readBytes(file: string, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    return buffer.subarray(0, readSync(fd, buffer, 0, length, position));
  } finally {
    closeSync(fd);
  }
}

const isGone = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

export class JsonlStore extends IndexedStore {
  readonly info: SourceInfo;
  private readonly root: string;
  private readonly rescanMs: number;
  private readonly settleMs: number;
  private readonly clock: () => number;
  private readonly threads = new Map<string, ThreadFiles>();
  /** Per listed folder, the entries left out for their names (reported as issues). */
  private readonly unsafeEntries = new Map<string, SourceIssue[]>();
  private lastFullRefresh = Number.NEGATIVE_INFINITY;

  constructor(root: string, options: JsonlStoreOptions = {}) {
    super();
    this.root = root;
    this.info = { kind: 'jsonl', path: root, readOnly: false };
    this.rescanMs = options.rescanMs ?? DEFAULT_RESCAN_MS;
    this.settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    this.clock = options.clock ?? Date.now;
  }

  protected checkId(value: unknown, field: string): string {
    return checkSafeId(value, field);
  }

  private checkInput(value: unknown, field: string): EventInput {
    const input = checkEventInput(value, field);
    checkSafeId(input.thread_id, `${field}.thread_id`);
    checkSafeId(input.run_id, `${field}.run_id`);
    return input;
  }

  protected issues(): SourceIssue[] {
    const lines = [...this.threads.values()].flatMap((thread) => [...thread.runs.values()].flatMap((file) => file.issues));
    return [...lines, ...[...this.unsafeEntries.values()].flat()];
  }

  /** A collector for one folder listing: what it leaves out replaces what the last listing of that folder left out. */
  private unsafeCollector(dir: string): (entry: string) => void {
    const found: SourceIssue[] = [];
    this.unsafeEntries.set(dir, found);
    return (entry) =>
      found.push({
        path: entry,
        line: 0,
        severity: 'warning',
        message: `not read: ${JSON.stringify(path.basename(entry))} is not a DeerFlow id (${SAFE_ID.source})`,
      });
  }

  /** The whole store: its thread folders listed at most every rescanMs. One thread: see refreshThread. */
  protected async refresh(threadId?: string): Promise<void> {
    if (threadId !== undefined) return this.refreshThread(threadId, false);
    if (this.clock() - this.lastFullRefresh < this.rescanMs) return;
    const onDisk = listThreadIds(this.root, this.unsafeCollector(threadsDir(this.root)));
    const present = new Set(onDisk);
    for (const id of [...this.threads.keys()]) if (!present.has(id)) this.forgetThread(id);
    let lastYield = performance.now();
    for (const id of onDisk) {
      await this.refreshThread(id, false);
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await new Promise(setImmediate); // opening a big store must not freeze the process that hosts it
        lastYield = performance.now();
      }
    }
    this.lastFullRefresh = this.clock();
  }

  /**
   * Another process changed these threads' files (the live follower saw it):
   * the next query of each, and of the thread list, lists their folders and
   * stats their files at once instead of within rescanMs, so a new run file
   * or thread folder is seen by the query the change prompted.
   */
  expire(threadIds: string[]): void {
    this.lastFullRefresh = Number.NEGATIVE_INFINITY;
    for (const id of threadIds) {
      const thread = this.threads.get(id);
      if (thread) thread.checkedAt = Number.NEGATIVE_INFINITY;
    }
  }

  private forgetThread(threadId: string): void {
    this.index.deleteThread(threadId);
    this.threads.delete(threadId);
    this.unsafeEntries.delete(runsDir(this.root, threadId));
  }

  /**
   * One thread, before each call on it. A full check lists its runs folder
   * and stats every file: always before a write or delete (a seq must follow
   * every other writer's), else at most every rescanMs. In between only its
   * live files — written within HOT_MS, or ending in a line not read yet —
   * are stat'ed, so a page of a thread with thousands of runs costs a few
   * system calls and what a live agent appends is still seen at once.
   */
  private async refreshThread(threadId: string, force: boolean): Promise<void> {
    const now = this.clock();
    const thread = this.threads.get(threadId);
    if (thread && !force && now - thread.checkedAt < this.rescanMs) {
      const live = [...thread.runs].filter(([, file]) => Math.abs(now - file.mtimeMs) < HOT_MS || file.size > file.consumed);
      return this.readRuns(threadId, live.map(([runId]) => runId));
    }
    const listed = listRunIds(this.root, threadId, this.unsafeCollector(runsDir(this.root, threadId)));
    if (listed === null) {
      if (thread) this.forgetThread(threadId);
      return;
    }
    const present = new Set(listed);
    for (const runId of [...(thread?.runs.keys() ?? [])]) if (!present.has(runId)) this.forgetRun(threadId, runId);
    await this.readRuns(threadId, listed);
    // Timed from the end: reading a big thread may take longer than rescanMs.
    this.threads.get(threadId)!.checkedAt = this.clock();
  }

  /** Reads what is new in these run files of a thread into the index. */
  private async readRuns(threadId: string, runIds: Iterable<string>): Promise<void> {
    let thread = this.threads.get(threadId);
    // Not listed yet (a thread this store just wrote): its next query lists it in full.
    if (!thread) this.threads.set(threadId, (thread = { runs: new Map(), checkedAt: Number.NEGATIVE_INFINITY }));
    const read: ReadRecord[] = [];
    for (const runId of runIds) {
      if ((await this.readRunFile(threadId, runId, read)) === 'reload') {
        // A rewritten file may have dropped or changed any record of the thread, and with them its seqs.
        this.forgetThread(threadId);
        return this.refreshThread(threadId, true);
      }
    }
    const runs = thread.runs;
    addInSeqOrder(this.index, read, (issue, record) => runs.get(record.run_id)?.issues.push(issue));
  }

  private forgetRun(threadId: string, runId: string): number {
    this.threads.get(threadId)?.runs.delete(runId);
    return this.index.deleteRun(threadId, runId);
  }

  /** Reads what is new in one run file into `read`; 'reload' when the file was rewritten rather than appended to. */
  private async readRunFile(threadId: string, runId: string, read: ReadRecord[]): Promise<'reload' | undefined> {
    const runs = this.threads.get(threadId)!.runs;
    const file = runFile(this.root, threadId, runId);
    const stats = statOrNull(file);
    if (!stats?.isFile()) {
      this.forgetRun(threadId, runId);
      return;
    }
    // abs: a file dated in the future (copied, generated, clock skew) is not being written now.
    const settled = Math.abs(this.clock() - stats.mtimeMs) >= this.settleMs;
    const known = runs.get(runId);
    const plan = this.planRead(file, known, stats, settled);
    if (plan === 'reload') return plan;
    if (plan === null) {
      if (known) Object.assign(known, { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs });
      return;
    }
    const collect: OnRecord = (record, where) => read.push({ record, where });
    const unread = stats.size - (plan.from?.offset ?? 0);
    const options: JsonlReadOptions = { from: plan.from, final: settled, sizeHint: unread };
    let result: JsonlReadResult;
    try {
      result = unread <= SYNC_READ_BYTES ? readJsonlFileSync(file, collect, options) : await readJsonlFile(file, collect, options);
    } catch (error) {
      if (!isGone(error)) throw error;
      this.forgetRun(threadId, runId); // removed since it was stat'ed
      return;
    }
    runs.set(runId, {
      ino: stats.ino,
      size: stats.size,
      mtimeMs: stats.mtimeMs,
      consumed: result.bytesConsumed,
      lines: result.lines,
      tail: result.tail,
      issues: plan.from && known ? [...known.issues, ...result.issues] : result.issues,
    });
  }

  /** What to read of a run file: all of it (new), from where the last read stopped (appended), nothing, or the whole thread again. */
  private planRead(file: string, known: RunFileState | undefined, stats: Stats, settled: boolean): ReadPlan {
    if (!known) return {};
    const resume = { from: { offset: known.consumed, line: known.lines } };
    const unchanged = known.ino === stats.ino && known.size === stats.size && known.mtimeMs === stats.mtimeMs;
    if (unchanged) return settled && stats.size > known.consumed ? resume : null;
    if (known.ino !== stats.ino || stats.size < known.consumed) return 'reload';
    if (!readBytes(file, known.consumed - known.tail.length, known.tail.length).equals(known.tail)) return 'reload';
    if (known.tail.length === 0 || known.tail[known.tail.length - 1] === NEWLINE) return resume;
    // The last line was read without its newline (it had stayed unterminated): a writer finishing it may add one.
    if (stats.size === known.consumed) return null;
    const next = readBytes(file, known.consumed, 2);
    if (next[0] === NEWLINE) return { from: { offset: known.consumed + 1, line: known.lines } };
    if (next[0] === CR && next[1] === NEWLINE) return { from: { offset: known.consumed + 2, line: known.lines } };
    if (next[0] === CR && next.length === 1) return null;
    return 'reload';
  }

  async put(event: EventInput): Promise<RunEvent> {
    const input = this.checkInput(event, 'event');
    return this.exclusive(async () => {
      await this.refreshThread(input.thread_id, true);
      return (await this.append([input]))[0];
    });
  }

  async putBatch(events: EventInput[]): Promise<RunEvent[]> {
    const inputs = checkEventInputs(events).map((input, i) => this.checkInput(input, `events.${i}`));
    if (inputs.length === 0) return [];
    return this.exclusive(async () => {
      for (const id of new Set(inputs.map((input) => input.thread_id))) await this.refreshThread(id, true);
      return this.append(inputs);
    });
  }

  async putIfAbsent(event: EventInput): Promise<{ event: RunEvent; created: boolean }> {
    const input = this.checkInput(event, 'event');
    return this.exclusive(async () => {
      await this.refreshThread(input.thread_id, true);
      const existing = this.index.findInRun(input.thread_id, input.run_id, input.event_type);
      if (existing) return { event: copy(existing), created: false };
      return { event: (await this.append([input]))[0], created: true };
    });
  }

  /**
   * Appends records with the next seqs of their threads (which the caller has
   * just refreshed in full, so another writer's lines are counted), then
   * reads them back so the index holds exactly what the files say.
   */
  private async append(inputs: EventInput[]): Promise<RunEvent[]> {
    const nextSeq = new Map<string, number>();
    const linesByFile = new Map<string, string[]>();
    const runsByThread = new Map<string, Set<string>>();
    const written = inputs.map((input) => {
      const seq = nextSeq.get(input.thread_id) ?? this.index.nextSeq(input.thread_id);
      nextSeq.set(input.thread_id, seq + 1);
      const line = jsonlRecordText(makeEvent(input, seq));
      const file = runFile(this.root, input.thread_id, input.run_id);
      const lines = linesByFile.get(file);
      if (lines) lines.push(line);
      else linesByFile.set(file, [line]);
      const runs = runsByThread.get(input.thread_id);
      if (runs) runs.add(input.run_id);
      else runsByThread.set(input.thread_id, new Set([input.run_id]));
      return JSON.parse(line) as RunEvent;
    });
    appendAllOrNothing(linesByFile);
    for (const [threadId, runIds] of runsByThread) await this.readRuns(threadId, runIds);
    return written;
  }

  async deleteByThread(threadId: string): Promise<number> {
    const t = checkSafeId(threadId, 'threadId');
    return this.exclusive(async () => {
      await this.refreshThread(t, true);
      rmSync(threadDir(this.root, t), { recursive: true, force: true });
      const count = this.index.deleteThread(t);
      this.forgetThread(t);
      return count;
    });
  }

  async deleteByRun(threadId: string, runId: string): Promise<number> {
    const t = checkSafeId(threadId, 'threadId');
    const r = checkSafeId(runId, 'runId');
    return this.exclusive(async () => {
      await this.refreshThread(t, true);
      rmSync(runFile(this.root, t, r), { force: true });
      return this.forgetRun(t, r);
    });
  }
}

/**
 * One append per file; if any fails, the files written so far are cut back
 * to their old size (or removed), so a batch is all-or-nothing.
 */
function appendAllOrNothing(linesByFile: Map<string, string[]>): void {
  const touched: { file: string; size: number | null }[] = [];
  try {
    for (const [file, lines] of linesByFile) {
      mkdirSync(path.dirname(file), { recursive: true });
      const size = statOrNull(file)?.size ?? null;
      touched.push({ file, size });
      // A last line left without its newline (a hand edit) must not swallow ours.
      const separator = size && readBytes(file, size - 1, 1)[0] !== NEWLINE ? '\n' : '';
      appendFileSync(file, `${separator}${lines.join('\n')}\n`);
    }
  } catch (error) {
    for (const { file, size } of touched) {
      try {
        if (size === null) rmSync(file, { force: true });
        else truncateSync(file, size);
      } catch {
        // best effort: the original error is what the caller needs
      }
    }
    throw error;
  }
}

/** A JSONL store on DeerFlow's layout; an empty or missing folder is a new, empty store rooted there. */
export async function openJsonlStore(dir: string, options?: JsonlStoreOptions): Promise<JsonlStore> {
  const { root } = resolveLayoutRoot(dir);
  const stats = statOrNull(root);
  if (stats && !stats.isDirectory()) throw new StoreError('SOURCE', `${root}: not a folder`);
  const store = new JsonlStore(root, options);
  await store.listThreads(); // the first full read builds the index
  return store;
}
