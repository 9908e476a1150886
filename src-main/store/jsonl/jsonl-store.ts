// The jsonl backend: DeerFlow's <root>/threads/<thread>/runs/<run>.jsonl,
// read and written in place (DESIGN.md §2–3). The files are read once into
// an EventIndex; before each call the thread's files are stat'ed and only
// what changed on disk is read again (appended bytes, or a whole thread when
// a file shrank or was replaced), so other writers — a live agent — are seen
// without reopening and no query re-reads every file.
import { appendFileSync, mkdirSync, openSync, readSync, closeSync, rmSync, statSync, truncateSync, type Stats } from 'node:fs';
import path from 'node:path';
import { StoreError } from '../../../src-shared/errors.ts';
import type { EventInput, InspectorStore, RunEvent, SourceInfo, SourceIssue } from '../../../src-shared/types.ts';
import { makeEvent } from '../records.ts';
import { checkEventInput, checkEventInputs, checkId } from '../validate.ts';
import { addInSeqOrder, copy, IndexedStore, type ReadRecord } from './indexed-store.ts';
import { readJsonlFile } from './jsonl-reader.ts';
import { checkSafeId, listRunIds, listThreadIds, resolveLayoutRoot, runFile, threadDir } from './layout.ts';

export interface JsonlStoreOptions {
  /** How stale the whole-store listing (listThreads, sourceIssues) may be, in ms; one thread's queries are always fresh. */
  rescanMs?: number;
  /** How long an unterminated last line must stay so before it is read as complete, in ms. */
  settleMs?: number;
  /** Milliseconds since the epoch, as file mtimes count them (tests pass a fake one). */
  clock?: () => number;
}

const DEFAULT_RESCAN_MS = 1000;
const DEFAULT_SETTLE_MS = 2000;
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

type ReadPlan = { from?: { offset: number; line: number } } | 'reload' | null;

function statOrNull(file: string): Stats | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}

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
  /** Run files per thread, as last read. */
  private readonly threads = new Map<string, Map<string, RunFileState>>();
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
    return [...this.threads.values()].flatMap((files) => [...files.values()].flatMap((file) => file.issues));
  }

  /** The whole store at most every rescanMs (a listing of every thread folder); one thread always. */
  protected async refresh(threadId?: string): Promise<void> {
    if (threadId !== undefined) return this.refreshThread(threadId);
    const now = this.clock();
    if (now - this.lastFullRefresh < this.rescanMs) return;
    this.lastFullRefresh = now;
    const onDisk = listThreadIds(this.root);
    const present = new Set(onDisk);
    for (const id of [...this.threads.keys()]) if (!present.has(id)) this.forgetThread(id);
    for (const id of onDisk) await this.refreshThread(id);
  }

  private forgetThread(threadId: string): void {
    this.index.deleteThread(threadId);
    this.threads.delete(threadId);
  }

  private async refreshThread(threadId: string): Promise<void> {
    const runIds = listRunIds(this.root, threadId);
    if (runIds === null) {
      if (this.threads.has(threadId)) this.forgetThread(threadId);
      return;
    }
    let files = this.threads.get(threadId);
    if (!files) this.threads.set(threadId, (files = new Map()));
    const present = new Set(runIds);
    for (const runId of [...files.keys()]) {
      if (present.has(runId)) continue;
      this.index.deleteRun(threadId, runId);
      files.delete(runId);
    }

    const read: ReadRecord[] = [];
    for (const runId of runIds) {
      const file = runFile(this.root, threadId, runId);
      const stats = statOrNull(file);
      if (!stats?.isFile()) continue;
      const settled = this.clock() - stats.mtimeMs >= this.settleMs;
      const known = files.get(runId);
      const plan = this.planRead(file, known, stats, settled);
      if (plan === 'reload') {
        // A rewritten file may have dropped or changed any record of the thread, and with them its seqs.
        this.forgetThread(threadId);
        return this.refreshThread(threadId);
      }
      if (plan === null) {
        if (known) Object.assign(known, { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs });
        continue;
      }
      try {
        const result = await readJsonlFile(file, (record, where) => read.push({ record, where }), { from: plan.from, final: settled });
        files.set(runId, {
          ino: stats.ino,
          size: stats.size,
          mtimeMs: stats.mtimeMs,
          consumed: result.bytesConsumed,
          lines: result.lines,
          tail: result.tail,
          issues: plan.from && known ? [...known.issues, ...result.issues] : result.issues,
        });
      } catch (error) {
        if (!isGone(error)) throw error; // removed since the listing: the next refresh forgets it
      }
    }
    addInSeqOrder(this.index, read, (issue, record) => files.get(record.run_id)?.issues.push(issue));
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
    return this.exclusive(async () => (await this.append([input]))[0]);
  }

  async putBatch(events: EventInput[]): Promise<RunEvent[]> {
    const inputs = checkEventInputs(events).map((input, i) => this.checkInput(input, `events.${i}`));
    if (inputs.length === 0) return [];
    return this.exclusive(() => this.append(inputs));
  }

  async putIfAbsent(event: EventInput): Promise<{ event: RunEvent; created: boolean }> {
    const input = this.checkInput(event, 'event');
    return this.exclusive(async () => {
      await this.refreshThread(input.thread_id);
      const existing = this.index.findInRun(input.thread_id, input.run_id, input.event_type);
      if (existing) return { event: copy(existing), created: false };
      return { event: (await this.append([input]))[0], created: true };
    });
  }

  /**
   * Appends records with the next seqs of their threads, refreshed from disk
   * first so another writer's lines are counted, then reads them back so the
   * index holds exactly what the files say.
   */
  private async append(inputs: EventInput[]): Promise<RunEvent[]> {
    const threadIds = [...new Set(inputs.map((input) => input.thread_id))];
    for (const id of threadIds) await this.refreshThread(id);
    const nextSeq = new Map<string, number>();
    const linesByFile = new Map<string, string[]>();
    const written = inputs.map((input) => {
      const seq = nextSeq.get(input.thread_id) ?? this.index.nextSeq(input.thread_id);
      nextSeq.set(input.thread_id, seq + 1);
      const line = JSON.stringify(makeEvent(input, seq));
      const file = runFile(this.root, input.thread_id, input.run_id);
      const lines = linesByFile.get(file);
      if (lines) lines.push(line);
      else linesByFile.set(file, [line]);
      return JSON.parse(line) as RunEvent;
    });
    appendAllOrNothing(linesByFile);
    for (const id of threadIds) await this.refreshThread(id);
    return written;
  }

  async deleteByThread(threadId: string): Promise<number> {
    const t = checkSafeId(threadId, 'threadId');
    return this.exclusive(async () => {
      await this.refreshThread(t);
      rmSync(threadDir(this.root, t), { recursive: true, force: true });
      const count = this.index.deleteThread(t);
      this.threads.delete(t);
      return count;
    });
  }

  async deleteByRun(threadId: string, runId: string): Promise<number> {
    const t = checkSafeId(threadId, 'threadId');
    const r = checkSafeId(runId, 'runId');
    return this.exclusive(async () => {
      await this.refreshThread(t);
      rmSync(runFile(this.root, t, r), { force: true });
      this.threads.get(t)?.delete(r);
      return this.index.deleteRun(t, r);
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

class JsonlExportStore extends IndexedStore {
  readonly info: SourceInfo;
  private readonly fileIssues: SourceIssue[];

  constructor(file: string, records: ReadRecord[], issues: SourceIssue[]) {
    super();
    this.info = { kind: 'jsonl-file', path: file, readOnly: true };
    this.fileIssues = issues;
    addInSeqOrder(this.index, records, (issue) => issues.push(issue));
  }

  protected checkId(value: unknown, field: string): string {
    return checkId(value, field);
  }

  protected async refresh(): Promise<void> {}

  protected issues(): SourceIssue[] {
    return this.fileIssues;
  }

  private readOnly(): never {
    throw new StoreError('READ_ONLY', `${this.info.path} is a JSONL export, opened read-only (import it into a database to change it)`);
  }

  async put(): Promise<RunEvent> {
    return this.readOnly();
  }
  async putBatch(): Promise<RunEvent[]> {
    return this.readOnly();
  }
  async putIfAbsent(): Promise<{ event: RunEvent; created: boolean }> {
    return this.readOnly();
  }
  async deleteByThread(): Promise<number> {
    return this.readOnly();
  }
  async deleteByRun(): Promise<number> {
    return this.readOnly();
  }
}

/** A single .jsonl export (records carry their thread and run), read-only. */
export async function openJsonlExport(file: string): Promise<InspectorStore> {
  const abs = path.resolve(file);
  const stats = statOrNull(abs);
  if (!stats) throw new StoreError('SOURCE', `${abs}: no such file`);
  if (!stats.isFile()) throw new StoreError('SOURCE', `${abs}: not a file`);
  const records: ReadRecord[] = [];
  const { issues, lines } = await readJsonlFile(abs, (record, where) => records.push({ record, where }));
  if (records.length === 0) {
    const first = issues[0];
    const why = first ? ` (line ${first.line}: ${first.message})` : ' (the file is empty)';
    throw new StoreError('SOURCE', `${abs}: not one of its ${lines} lines is a JSONL run-event record${why}`);
  }
  return new JsonlExportStore(abs, records, issues);
}
