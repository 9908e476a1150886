// One thread of the JSONL layout as the store knows it: for each run file
// how it looked when last read and how far it was read, the run's digest
// (counts, spans, facts) and where each of its events lies (run-entries.ts).
// Events are not held: a query reads the lines it returns from their files
// (record-reads.ts), so memory stays at a few dozen bytes an event however
// big the store. What is new in a file is read from where the last read
// stopped; a file that shrank or was replaced has the whole thread read
// again, since its seqs may have gone to other records.
import { closeSync, openSync, readSync, type Stats } from 'node:fs';
import type { EventCounts, ListEventsOptions, ListMessagesOptions, RunEvent, RunSummary, SourceIssue, ThreadOverview, ThreadSummary } from '../../../src-shared/types.ts';
import { DEFAULT_EVENT_LIMIT, DEFAULT_MESSAGE_LIMIT } from '../event-index.ts';
import { overviewOfItems, stripBits, STRIP_MESSAGE, type EachStripItem, type MarksWanted } from '../overview.ts';
import { pageRange } from '../paging.ts';
import { addCounts, noCounts, RunDigest, runSummariesOf, threadSummaryOf, type RunDigestState } from '../run-digest.ts';
import type { KeptRun } from './jsonl-index-file.ts';
import { duplicateSeqIssue, readJsonlFile, readJsonlFileSync, type JsonlReadOptions, type JsonlReadResult, type LineSpan, type OnRecord, type RecordPlace } from './jsonl-reader.ts';
import { runFile, statOrNull } from './layout.ts';
import { MESSAGE_FIELDS, type FolderStat, type KeptMessages } from './kept-messages.ts';
import { readRecordsAt, type RecordAt } from './record-reads.ts';
import { RunEntries } from './run-entries.ts';

/** Reads up to this size are done without awaiting: an async round trip costs more than reading a small file. */
const SYNC_READ_BYTES = 1024 * 1024;
/** A file written to this recently may be a live agent's: it is stat'ed before every query of its thread. */
const HOT_MS = 60_000;
/** Entries read per step of a filtered listEvents. */
const FILTER_BATCH = 256;
const NEWLINE = 0x0a;
const CR = 0x0d;

/** How a run file looked when last read, and how far it was read. */
interface FileState {
  ino: number;
  size: number;
  mtimeMs: number;
  consumed: number;
  lines: number;
  tail: Buffer;
  issues: SourceIssue[];
}

interface RunFile extends FileState {
  digest: RunDigest;
  entries: RunEntries;
}

/** What a thread's reads need from the store. */
export interface ReadContext {
  root: string;
  /** How long an unterminated last line must stay so before it is read as complete, in ms. */
  settleMs: number;
  clock: () => number;
  /** Awaited between files: yields to the event loop now and then, and throws once the store is closing. */
  pace: () => Promise<void>;
  /** Told of each file whose bytes are read to index them (tests count them). */
  onFileRead?: (file: string) => void;
}

type ReadPlan = { from?: { offset: number; line: number } } | 'reload' | null;

interface ReadRecord {
  record: RunEvent;
  where: RecordPlace;
  span: LineSpan;
}

/** The thread's messages across its runs, in seq order: which run (of `runIds`) and which of its entries. */
interface MergedMessages {
  runIds: string[];
  seqs: Float64Array;
  runs: Uint32Array;
  entries: Uint32Array;
}

export function readBytes(file: string, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    return buffer.subarray(0, readSync(fd, buffer, 0, length, position));
  } finally {
    closeSync(fd);
  }
}

const isGone = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** A kept index that cannot be what this version saved. */
export class DamagedIndexError extends Error {}

export class ThreadFiles {
  readonly threadId: string;
  private readonly root: string;
  private readonly runs = new Map<string, RunFile>();
  /** When the runs folder was last listed and every file stat'ed (clock ms); never before its first check. */
  checkedAt = Number.NEGATIVE_INFINITY;
  /** Highest seq ever assigned, kept across run deletes (guarantee 8). */
  private maxSeq = 0;
  /** Runs read or removed since the kept index last saved the thread. */
  private readonly changed = new Set<string>();
  private readonly gone = new Set<string>();
  private merged: MergedMessages | null = null;
  /** The runs folder when its files were last listed (listedAt), as the kept messages say it was. */
  private folder: FolderStat | null = null;
  private folderChanged = false;

  constructor(root: string, threadId: string) {
    this.root = root;
    this.threadId = threadId;
  }

  /** Adds runs as the kept index saved them; throws DamagedIndexError when a row cannot be one this version wrote. */
  takeKept(rows: readonly KeptRun[]): void {
    for (const row of rows) {
      const entries = RunEntries.fromBytes(row.entries);
      let digest: RunDigest;
      let issues: SourceIssue[];
      try {
        digest = RunDigest.from(JSON.parse(row.digest) as RunDigestState);
        issues = JSON.parse(row.issues) as SourceIssue[];
      } catch {
        throw new DamagedIndexError(`thread ${this.threadId}, run ${row.run_id}: its digest or issues are not JSON`);
      }
      if (!entries || entries.count !== digest.events || !Array.isArray(issues)) {
        throw new DamagedIndexError(`thread ${this.threadId}, run ${row.run_id}: its entries do not match its digest`);
      }
      const { ino, size, mtime_ms: mtimeMs, consumed, lines, tail } = row;
      this.runs.set(row.run_id, { ino, size, mtimeMs, consumed, lines, tail, issues, digest, entries });
      this.maxSeq = Math.max(this.maxSeq, digest.lastSeq);
    }
    this.merged = null;
  }

  /** The runs folder as the kept index says its last listing found it. */
  keptListing(folder: FolderStat): void {
    this.folder = folder;
  }

  /** The runs folder as it was just before its files were listed to check them all. */
  listedAt(folder: FolderStat | null): void {
    if (folder?.ino !== this.folder?.ino || folder?.mtimeMs !== this.folder?.mtimeMs) this.folderChanged = true;
    this.folder = folder;
  }

  /** Whether a run was read or removed since the kept index last saved the thread. */
  hasChanges(): boolean {
    return this.changed.size > 0 || this.gone.size > 0;
  }

  /**
   * What the kept index should save now (the runs changed since it last did,
   * those gone), and forgets that it has to; with `messages` (the thread
   * keeps them), also when only its runs folder changed.
   */
  takeChanges(messages: boolean): { changed: KeptRun[]; gone: string[] } | null {
    if (!this.hasChanges() && !(messages && this.folderChanged)) return null;
    const changed = [...this.changed].flatMap((runId) => {
      const run = this.runs.get(runId);
      if (!run) return [];
      const { ino, size, mtimeMs: mtime_ms, consumed, lines, tail } = run;
      return [{ run_id: runId, ino, size, mtime_ms, consumed, lines, tail, issues: JSON.stringify(run.issues), digest: JSON.stringify(run.digest.state()), entries: run.entries.toBytes() }];
    });
    const gone = [...this.gone];
    this.changed.clear();
    this.gone.clear();
    this.folderChanged = false;
    return { changed, gone };
  }

  /** Every run saved again at the next takeChanges (the kept index was emptied under the thread). */
  keepAll(): void {
    for (const runId of this.runs.keys()) this.changed.add(runId);
  }

  runIds(): string[] {
    return [...this.runs.keys()];
  }

  runCount(): number {
    return this.runs.size;
  }

  /** The thread's messages as the kept index holds them (`now` says which files are being written); null before its runs folder was listed. */
  keptMessages(now: number): KeptMessages | null {
    if (!this.folder) return null;
    const { runIds, seqs, runs, entries } = this.mergedMessages();
    const runEntries = runIds.map((runId) => this.runs.get(runId)!.entries);
    const messages = new Float64Array(seqs.length * MESSAGE_FIELDS);
    for (let i = 0, at = 0; i < seqs.length; i++, at += MESSAGE_FIELDS) {
      const run = runEntries[runs[i]];
      messages[at] = seqs[i];
      messages[at + 1] = runs[i];
      messages[at + 2] = run.offsetAt(entries[i]);
      messages[at + 3] = run.lengthAt(entries[i]);
    }
    return { folder: this.folder, runIds, liveRunIds: this.liveRunIds(now), messages };
  }

  /** Runs whose files may be being written: written within HOT_MS, or ending in a line not read yet. */
  liveRunIds(now: number): string[] {
    return [...this.runs].filter(([, file]) => Math.abs(now - file.mtimeMs) < HOT_MS || file.size > file.consumed).map(([runId]) => runId);
  }

  nextSeq(): number {
    return this.maxSeq + 1;
  }

  issues(): SourceIssue[] {
    return [...this.runs.values()].flatMap((run) => run.issues);
  }

  /** Forgets every run (the thread is read again from scratch). */
  reset(): void {
    for (const runId of this.runs.keys()) this.gone.add(runId);
    this.runs.clear();
    this.maxSeq = 0;
    this.merged = null;
    this.checkedAt = Number.NEGATIVE_INFINITY;
  }

  /** Forgets one run (its file is gone); returns how many events it had. */
  forgetRun(runId: string): number {
    const run = this.runs.get(runId);
    if (!run) return 0;
    this.runs.delete(runId);
    this.changed.delete(runId);
    this.gone.add(runId);
    this.merged = null;
    return run.digest.events;
  }

  /** Reads what is new in these run files; 'reload' when one was rewritten rather than appended to (the caller resets the thread and reads it all). */
  async read(context: ReadContext, runIds: Iterable<string>): Promise<'reload' | undefined> {
    // A thread read from scratch takes its seqs in a set as it goes: each file's records are then taken (and dropped)
    // before the next file is read, however many files it has, instead of a lookup in every run for each record.
    const seen = this.maxSeq === 0 ? new Set<number>() : null;
    for (const runId of runIds) {
      const read: ReadRecord[] = [];
      if ((await this.readRunFile(context, runId, read)) === 'reload') return 'reload';
      this.take(read, seen);
      await context.pace();
    }
    return undefined;
  }

  /** Reads what is new in one run file into `read`; 'reload' when the file was rewritten rather than appended to. */
  private async readRunFile(context: ReadContext, runId: string, read: ReadRecord[]): Promise<'reload' | undefined> {
    const file = runFile(this.root, this.threadId, runId);
    const stats = statOrNull(file);
    if (!stats?.isFile()) {
      this.forgetRun(runId);
      return;
    }
    // abs: a file dated in the future (copied, generated, clock skew) is not being written now.
    const settled = Math.abs(context.clock() - stats.mtimeMs) >= context.settleMs;
    const known = this.runs.get(runId);
    const plan = planRead(file, known, stats, settled);
    if (plan === 'reload') return plan;
    if (plan === null) {
      if (known && (known.ino !== stats.ino || known.size !== stats.size || known.mtimeMs !== stats.mtimeMs)) {
        Object.assign(known, { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs });
        this.changed.add(runId);
      }
      return;
    }
    const collect: OnRecord = (record, where, span) => read.push({ record, where, span });
    const unread = stats.size - (plan.from?.offset ?? 0);
    const options: JsonlReadOptions = { from: plan.from, final: settled, sizeHint: unread };
    let result: JsonlReadResult;
    try {
      context.onFileRead?.(file);
      result = unread <= SYNC_READ_BYTES ? readJsonlFileSync(file, collect, options) : await readJsonlFile(file, collect, options);
    } catch (error) {
      if (!isGone(error)) throw error;
      this.forgetRun(runId); // removed since it was stat'ed
      return;
    }
    const state: FileState = {
      ino: stats.ino,
      size: stats.size,
      mtimeMs: stats.mtimeMs,
      consumed: result.bytesConsumed,
      lines: result.lines,
      tail: result.tail,
      issues: plan.from && known ? [...known.issues, ...result.issues] : result.issues,
    };
    if (known) Object.assign(known, state);
    else this.runs.set(runId, { ...state, digest: new RunDigest(), entries: new RunEntries() });
    this.changed.add(runId);
  }

  /**
   * Adds what was read of one file in seq order (sorted once). A seq already
   * taken in the thread keeps the record seen first; the later one is
   * skipped and reported beside its own file's issues. `seen`: the seqs
   * taken so far, when the whole thread is being read.
   */
  private take(read: ReadRecord[], seen: Set<number> | null): void {
    if (read.length === 0) return;
    read.sort((a, b) => a.record.seq - b.record.seq); // stable: equal seqs stay in reading order
    const highestBefore = this.maxSeq;
    let lastTaken = Number.NaN;
    for (const { record, where, span } of read) {
      const { seq } = record;
      const run = this.runs.get(record.run_id)!;
      const taken = seen ? seen.has(seq) : seq === lastTaken || (seq <= highestBefore && this.hasSeq(seq));
      if (taken) {
        run.issues.push(duplicateSeqIssue(where, this.threadId, seq));
        continue;
      }
      run.entries.add(seq, span.offset, span.length, stripBits(record));
      run.digest.add(record);
      this.maxSeq = Math.max(this.maxSeq, seq);
      lastTaken = seq;
      seen?.add(seq);
    }
    this.merged = null;
  }

  private hasSeq(seq: number): boolean {
    return this.locate(seq) !== null;
  }

  /** The run and entry holding `seq`. */
  private locate(seq: number): { runId: string; at: number } | null {
    for (const [runId, run] of this.runs) {
      if (seq < run.digest.firstSeq || seq > run.digest.lastSeq) continue;
      const at = run.entries.indexOf(seq);
      if (at >= 0) return { runId, at };
    }
    return null;
  }

  // The queries. Each reads from the files only the lines it returns.

  summary(): ThreadSummary {
    return threadSummaryOf(this.threadId, [...this.runs.values()].map((run) => run.digest));
  }

  runSummaries(): RunSummary[] {
    return runSummariesOf([...this.runs].map(([runId, run]) => [runId, run.digest]));
  }

  countMessages(): number {
    let count = 0;
    for (const run of this.runs.values()) count += run.digest.messages;
    return count;
  }

  eventCounts(runId?: string): EventCounts {
    const counts = noCounts();
    const runs = runId === undefined ? [...this.runs.values()] : [this.runs.get(runId)];
    for (const run of runs) if (run) addCounts(counts, run.digest.counts);
    return counts;
  }

  listMessages({ limit = DEFAULT_MESSAGE_LIMIT, ...cursors }: ListMessagesOptions): RunEvent[] {
    const merged = this.mergedMessages();
    const [start, end] = pageRange(merged.seqs.length, (i) => merged.seqs[i], { limit, ...cursors });
    const byRun = new Map<number, number[]>();
    for (let i = start; i < end; i++) {
      const entries = byRun.get(merged.runs[i]);
      if (entries) entries.push(merged.entries[i]);
      else byRun.set(merged.runs[i], [merged.entries[i]]);
    }
    const events = [...byRun].flatMap(([run, entries]) => this.readEntries(merged.runIds[run], entries));
    return byRun.size > 1 ? events.sort((a, b) => a.seq - b.seq) : events;
  }

  listMessagesByRun(runId: string, options: ListMessagesOptions): RunEvent[] {
    const entries = this.runs.get(runId)?.entries;
    if (!entries) return [];
    const messages = entries.withBit(STRIP_MESSAGE);
    const [start, end] = pageRange(messages.length, (i) => entries.seqAt(messages[i]), options);
    return this.readEntries(runId, [...messages.subarray(start, end)]);
  }

  listEvents(runId: string, { eventTypes, taskId, limit = DEFAULT_EVENT_LIMIT, afterSeq }: ListEventsOptions): RunEvent[] {
    const entries = this.runs.get(runId)?.entries;
    if (!entries) return [];
    const types = eventTypes ? new Set(eventTypes) : undefined;
    const filtered = types !== undefined || taskId !== undefined;
    const keep = (e: RunEvent) => (!types || types.has(e.event_type)) && (taskId === undefined || e.metadata.task_id === taskId);
    const out: RunEvent[] = [];
    let next = afterSeq === undefined ? 0 : entries.firstAfter(afterSeq);
    while (next < entries.count && out.length < limit) {
      const batch = filtered ? Math.max(limit - out.length, FILTER_BATCH) : limit;
      const end = Math.min(entries.count, next + batch);
      for (const event of this.readEntries(runId, range(next, end))) if (out.length < limit && keep(event)) out.push(event);
      next = end;
    }
    return out;
  }

  /** The run's first event of this type (by seq), for putIfAbsent. */
  findInRun(runId: string, eventType: string): RunEvent | undefined {
    return this.listEvents(runId, { eventTypes: [eventType], limit: 1 })[0];
  }

  getEvent(seq: number): RunEvent | null {
    const found = this.locate(seq);
    return found ? this.readEntries(found.runId, [found.at])[0] : null;
  }

  threadOverview(buckets: number, marks: MarksWanted): ThreadOverview {
    const runs = [...this.runs.values()].filter((run) => run.entries.count > 0);
    const first = runs.length === 0 ? null : Math.min(...runs.map((run) => run.digest.firstSeq));
    const last = runs.length === 0 ? null : Math.max(...runs.map((run) => run.digest.lastSeq));
    const each: EachStripItem = (visit) => {
      for (const { entries } of runs) for (let i = 0; i < entries.count; i++) visit(entries.seqAt(i), entries.bitsAt(i));
    };
    return overviewOfItems(first, last, each, buckets, marks);
  }

  /** The events of one run at these entries, in the order given. */
  private readEntries(runId: string, at: readonly number[]): RunEvent[] {
    const entries = this.runs.get(runId)!.entries;
    const wanted: RecordAt[] = at.map((i) => ({ seq: entries.seqAt(i), offset: entries.offsetAt(i), length: entries.lengthAt(i) }));
    return readRecordsAt(runFile(this.root, this.threadId, runId), wanted);
  }

  /**
   * The thread's messages in seq order, made when a page is first asked for
   * and kept until the thread changes. Runs seldom overlap in seq: then it
   * is their message entries one after another, with no sort.
   */
  private mergedMessages(): MergedMessages {
    if (this.merged) return this.merged;
    const runs = [...this.runs].filter(([, run]) => run.digest.messages > 0).sort(([, a], [, b]) => a.digest.firstSeq - b.digest.firstSeq);
    const total = runs.reduce((sum, [, run]) => sum + run.digest.messages, 0);
    const merged: MergedMessages = { runIds: runs.map(([runId]) => runId), seqs: new Float64Array(total), runs: new Uint32Array(total), entries: new Uint32Array(total) };
    let n = 0;
    let sorted = true;
    for (const [r, [, { entries }]] of runs.entries()) {
      const found = entries.copyWithBit(STRIP_MESSAGE, merged.entries, merged.seqs, n);
      if (n > 0 && found > 0 && merged.seqs[n] < merged.seqs[n - 1]) sorted = false;
      merged.runs.fill(r, n, n + found);
      n += found;
    }
    this.merged = sorted ? merged : sortedMessages(merged);
    return this.merged;
  }
}

function sortedMessages({ runIds, seqs, runs, entries }: MergedMessages): MergedMessages {
  const order = Uint32Array.from(seqs.keys()).sort((a, b) => seqs[a] - seqs[b]);
  return { runIds, seqs: Float64Array.from(order, (i) => seqs[i]), runs: Uint32Array.from(order, (i) => runs[i]), entries: Uint32Array.from(order, (i) => entries[i]) };
}

const range = (start: number, end: number) => Array.from({ length: end - start }, (_, i) => start + i);

/** What to read of a run file: all of it (new), from where the last read stopped (appended), nothing, or the whole thread again. */
function planRead(file: string, known: FileState | undefined, stats: Stats, settled: boolean): ReadPlan {
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
