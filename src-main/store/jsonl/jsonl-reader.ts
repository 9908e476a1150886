// The JSONL record rule (DESIGN.md §3), shared by the jsonl backend and
// import. Files are read by chunks with byte offsets, so a store can later
// read only what was appended and a huge file never becomes one string.
import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { StoreError } from '../../../src-shared/errors.ts';
import type { JsonObject, JsonValue, RunEvent, SourceIssue, SourceIssueAbout } from '../../../src-shared/types.ts';
import { layoutIds, listRunIds, listThreadIds, resolveLayoutRoot, RUN_FILE_SUFFIX, runFile } from './layout.ts';

/** What a record lacking `event_type` / `category` gets: unknown, and trace-only (DeerFlow's readers treat it as not a message). */
export const DEFAULT_EVENT_TYPE = 'unknown';
export const DEFAULT_CATEGORY = 'trace';
/** A record without `created_at` has no time; an empty string says so without inventing one. */
export const DEFAULT_CREATED_AT = '';

/** Longer lines are skipped and reported: a V8 string cannot hold much more, and no real event is this big. */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;
const FIRST_CHUNK_BYTES = 64 * 1024;
/** Bytes kept from the end of what was read, so a resuming caller can tell an append from a rewrite. */
export const TAIL_BYTES = 64;

const NEWLINE = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export interface RecordPlace {
  path: string;
  /** 1-based, blank lines counted. */
  line: number;
}

/** Where a record's JSON text lies in its file (BOM and CR left out): reading these bytes again gives the record back. */
export interface LineSpan {
  offset: number;
  length: number;
}

export type OnRecord = (record: RunEvent, where: RecordPlace, span: LineSpan) => void;

/** The issue of a record skipped because its thread already has its seq (the thread-wide rule: the first read is kept). */
export function duplicateSeqIssue(where: RecordPlace, threadId: string, seq: number): SourceIssue {
  const message = `duplicate seq ${seq} in thread ${JSON.stringify(threadId)}: the first record with it is kept`;
  return { ...where, severity: 'error', message, about: { kind: 'duplicate_seq', thread_id: threadId, seq } };
}

/**
 * Offered each whole line of valid UTF-8 (BOM and CR removed) as
 * bytes[start, end) before the record rule parses it. Returning true takes
 * the line as a record without parsing it (import's path for lines already
 * in DeerFlow's form); only a line the rule would keep with no issue may be
 * taken.
 */
export type LineTaker = (bytes: Buffer, start: number, end: number) => boolean;

export interface JsonlReadOptions {
  /** Resume where an earlier read stopped: its `bytesConsumed` and `lines`. */
  from?: { offset: number; line: number };
  /**
   * The file is complete (default): a last line without its `\n` is read too.
   * A store watching a live file passes false, so a line still being written
   * is neither reported nor consumed until it gets its newline.
   */
  final?: boolean;
  chunkBytes?: number;
  /**
   * Read into this buffer, all of it each time, instead of fresh chunks: for
   * a caller reading many files in a row (import), which saves an allocation
   * and a read per small file. Ignores chunkBytes and sizeHint.
   */
  buffer?: Buffer;
  maxLineBytes?: number;
  /** Bytes the caller expects to read (it has just stat'ed the file): sizes the first chunk. */
  sizeHint?: number;
  takeLine?: LineTaker;
}

export interface JsonlReadResult {
  issues: SourceIssue[];
  /** Lines consumed, counted from the start of the file. */
  lines: number;
  /** Byte offset after the last consumed line: where a later read resumes. */
  bytesConsumed: number;
  /** The last bytes consumed (at most TAIL_BYTES), to recognise the file later. */
  tail: Buffer;
}

/** What the rule noted while keeping a record: its warnings, and what the issue they make is about. */
interface RecordNotes {
  warnings: string[];
  about?: SourceIssueAbout;
}

type LineOutcome = ({ record: RunEvent } & RecordNotes) | { error: string };

const preview = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A string field: kept when it is one, else the default and a warning. */
function stringField(value: Record<string, unknown>, key: string, fallback: string, warnings: string[]): string {
  if (!Object.hasOwn(value, key)) {
    warnings.push(`${key} missing (using ${JSON.stringify(fallback)})`);
    return fallback;
  }
  const given = value[key];
  if (typeof given === 'string') return given;
  warnings.push(`${key} is not a string: ${preview(given)} (using ${JSON.stringify(fallback)})`);
  return fallback;
}

/** Thread or run id: the file's path decides in the layout; an export's records must carry it. */
function idField(value: Record<string, unknown>, key: 'thread_id' | 'run_id', fromPath: string | undefined, notes: RecordNotes): string | { error: string } {
  const given = value[key];
  if (fromPath === undefined) {
    return typeof given === 'string' && given !== '' ? given : { error: `${key} missing or not a non-empty string, and the file is not in the threads/<thread>/runs/<run>.jsonl layout` };
  }
  if (!Object.hasOwn(value, key)) notes.warnings.push(`${key} missing (using ${JSON.stringify(fromPath)} from the path)`);
  else if (given !== fromPath) {
    notes.warnings.push(`${key} ${preview(given)} differs from the path's ${JSON.stringify(fromPath)}, which is used`);
    // Records of other runs in a run's file are what DeerFlow before #4938 wrote: the health check reports them.
    if (key === 'run_id') notes.about = { kind: 'other_run', run_id: given as JsonValue };
  }
  return fromPath;
}

/** A parsed line → the record with DeerFlow's defaults, or why it is skipped. */
export function interpretRecord(value: unknown, ids: { thread_id: string; run_id: string } | null): LineOutcome {
  if (!isObject(value)) return { error: `not a JSON object: ${preview(value)}` };
  if (!Object.hasOwn(value, 'seq')) return { error: 'no "seq"' };
  const seq = value.seq;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return { error: `"seq" is not a positive integer: ${preview(seq)}` };
  const notes: RecordNotes = { warnings: [] };
  const { warnings } = notes;
  const thread_id = idField(value, 'thread_id', ids?.thread_id, notes);
  if (typeof thread_id !== 'string') return thread_id;
  const run_id = idField(value, 'run_id', ids?.run_id, notes);
  if (typeof run_id !== 'string') return run_id;
  const event_type = stringField(value, 'event_type', DEFAULT_EVENT_TYPE, warnings);
  const category = stringField(value, 'category', DEFAULT_CATEGORY, warnings);
  const created_at = stringField(value, 'created_at', DEFAULT_CREATED_AT, warnings);
  if (!Object.hasOwn(value, 'content')) warnings.push('content missing (using "")');
  let metadata = value.metadata;
  if (!Object.hasOwn(value, 'metadata')) warnings.push('metadata missing (using {})');
  else if (!isObject(metadata)) warnings.push(`metadata is not an object: ${preview(metadata)} (using {})`);
  if (!isObject(metadata)) metadata = {};
  // Spread, not assignment: a "__proto__" key stays a plain field. Unknown fields are kept.
  const record = {
    ...value,
    thread_id,
    run_id,
    event_type,
    category,
    content: Object.hasOwn(value, 'content') ? value.content : '',
    metadata: metadata as JsonObject,
    seq,
    created_at,
  } as RunEvent;
  return { record, ...notes };
}

const INVALID_UTF8 = 'not valid UTF-8 (invalid bytes shown as U+FFFD)';

/** The record a line holds (the bytes of a LineSpan) by the rule above, or null when the line is skipped. */
export function recordOfLine(bytes: Buffer, ids: { thread_id: string; run_id: string } | null): RunEvent | null {
  const outcome = interpretLine(bytes, ids);
  return 'error' in outcome ? null : outcome.record;
}

function interpretLine(bytes: Buffer, ids: { thread_id: string; run_id: string } | null): LineOutcome {
  const invalidUtf8 = !isUtf8(bytes);
  const text = bytes.toString('utf8');
  if (!/\S/.test(text)) return { error: 'blank line' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const why = [`malformed JSON: ${(error as Error).message.slice(0, 160)}`];
    if (text.includes('\0')) why.push('the line contains NUL bytes');
    if (invalidUtf8) why.push(INVALID_UTF8);
    return { error: why.join('; ') };
  }
  const outcome = interpretRecord(value, ids);
  if (!invalidUtf8) return outcome;
  return 'error' in outcome ? { error: `${outcome.error}; ${INVALID_UTF8}` } : { ...outcome, warnings: [INVALID_UTF8, ...outcome.warnings] };
}

/**
 * Cuts the bytes of one file, fed chunk by chunk from a byte offset, into
 * lines and applies the record rule to each. A line spanning chunks is kept
 * as its parts and joined once; an oversized one is only measured. Lines
 * are handled as ranges of their chunk: a Buffer per line costs more than
 * the parse of many of them.
 */
class LineSplitter {
  readonly issues: SourceIssue[] = [];
  lines: number;
  consumed: number;
  private parts: Buffer[] = [];
  private partBytes = 0;
  /** The last chunk fed and its file offset, for the tail. */
  private data: Buffer = Buffer.alloc(0);
  private dataStart: number;
  private readonly file: string;
  private readonly ids: { thread_id: string; run_id: string } | null;
  private readonly onRecord: OnRecord;
  private readonly takeRaw: LineTaker | undefined;
  private readonly maxLineBytes: number;

  constructor(file: string, onRecord: OnRecord, options: JsonlReadOptions) {
    this.file = file;
    this.ids = layoutIds(file);
    this.onRecord = onRecord;
    this.takeRaw = options.takeLine;
    this.maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
    this.lines = options.from?.line ?? 0;
    this.consumed = options.from?.offset ?? 0;
    this.dataStart = this.consumed;
  }

  /** `data` starts where the previous chunk ended. */
  push(data: Buffer): void {
    this.dataStart += this.data.length;
    this.data = data;
    let start = 0;
    let nl = data.indexOf(NEWLINE);
    // UTF-8 is checked once for the lines wholly inside the chunk (a joined line on its own).
    const whole = this.partBytes > 0 ? nl + 1 : 0;
    const valid = this.takeRaw !== undefined && nl !== -1 && isUtf8(data.subarray(whole, data.lastIndexOf(NEWLINE)));
    for (; nl !== -1; nl = data.indexOf(NEWLINE, start)) {
      this.finishLine(data, start, nl, 1, valid);
      start = nl + 1;
    }
    const rest = data.subarray(start);
    this.partBytes += rest.length;
    if (this.partBytes > this.maxLineBytes) this.parts = [];
    else if (rest.length > 0) this.parts.push(Buffer.from(rest)); // a copy: the next chunk may be read into the same buffer
  }

  /** At the end of the file: a last line without its newline is read only when the file is final. */
  end(final: boolean): void {
    if (this.partBytes > 0 && final) this.finishLine(this.data, 0, 0, 0, false);
  }

  result(tail: Buffer): JsonlReadResult {
    return { issues: this.issues, lines: this.lines, bytesConsumed: this.consumed, tail };
  }

  /** Where the tail lies, and the tail itself when it is still in memory. */
  tail(): { start: number; bytes: Buffer | null } {
    const start = Math.max(0, this.consumed - TAIL_BYTES);
    const inData = start >= this.dataStart && this.consumed <= this.dataStart + this.data.length;
    return { start, bytes: inData ? Buffer.from(this.data.subarray(start - this.dataStart, this.consumed - this.dataStart)) : null };
  }

  private report(severity: SourceIssue['severity'], message: string, about?: SourceIssueAbout): void {
    this.issues.push({ path: this.file, line: this.lines, severity, message, ...(about && { about }) });
  }

  /** The line ending at data[end], after the parts kept from earlier chunks; `valid`: its bytes in `data` are UTF-8. */
  private finishLine(data: Buffer, start: number, end: number, newlineBytes: number, valid: boolean): void {
    const length = this.partBytes + end - start;
    const lineStart = this.consumed;
    this.lines += 1;
    this.consumed += length + newlineBytes;
    if (length > this.maxLineBytes) {
      this.report('error', `line of ${length} bytes is over the ${this.maxLineBytes}-byte limit`);
    } else if (this.partBytes === 0) {
      this.takeLine(data, start, end, lineStart, valid);
    } else {
      const joined = Buffer.concat([...this.parts, data.subarray(start, end)]);
      this.takeLine(joined, 0, joined.length, lineStart, this.takeRaw !== undefined && isUtf8(joined));
    }
    this.parts = [];
    this.partBytes = 0;
  }

  /** `lineStart`: the file offset of bytes[start]. */
  private takeLine(bytes: Buffer, start: number, end: number, lineStart: number, valid: boolean): void {
    const first = start;
    if (end > start && bytes[end - 1] === CR) end--;
    if (lineStart === 0 && end - start >= BOM.length && bytes.subarray(start, start + BOM.length).equals(BOM)) start += BOM.length;
    if (valid && this.takeRaw!(bytes, start, end)) return;
    const outcome = interpretLine(bytes.subarray(start, end), this.ids);
    if ('error' in outcome) return this.report('error', outcome.error);
    if (outcome.warnings.length > 0) this.report('warning', outcome.warnings.join('; '), outcome.about);
    this.onRecord(outcome.record, { path: this.file, line: this.lines }, { offset: lineStart + start - first, length: end - start });
  }
}

/** One positional read: fill `buffer` from `position`; the answer is the number of bytes read. */
interface ReadRequest {
  buffer: Buffer;
  position: number;
}

/**
 * The reading steps of one file, as requests, so the same steps run with
 * awaited reads (readJsonlFile) and synchronous ones (readJsonlFileSync).
 * Chunks start small (most run files are) and grow, unless the caller
 * gives the buffer to read into.
 */
function* readSteps(file: string, onRecord: OnRecord, options: JsonlReadOptions): Generator<ReadRequest, JsonlReadResult, number> {
  const splitter = new LineSplitter(file, onRecord, options);
  const limit = options.chunkBytes ?? CHUNK_BYTES;
  let position = splitter.consumed;
  // +1: a file of exactly the hinted size then ends in a short read, with no extra read to find its end.
  const first = options.sizeHint === undefined ? FIRST_CHUNK_BYTES : Math.max(options.sizeHint + 1, 1);
  for (let size = Math.min(first, limit); ; size = Math.min(size * 2, limit)) {
    const chunk = options.buffer ?? Buffer.allocUnsafe(size);
    size = chunk.length;
    const bytesRead = yield { buffer: chunk, position };
    if (bytesRead > 0) splitter.push(chunk.subarray(0, bytesRead));
    position += bytesRead;
    if (bytesRead < size) break; // the end of the file for now: what a writer adds later is for a resumed read
  }
  splitter.end(options.final ?? true);
  const tail = splitter.tail();
  if (!tail.bytes) {
    tail.bytes = Buffer.alloc(splitter.consumed - tail.start);
    yield { buffer: tail.bytes, position: tail.start };
  }
  return splitter.result(tail.bytes);
}

/**
 * Reads the records of one JSONL file, calling onRecord for each in file
 * order. Skipped lines are `error` issues, records kept with defaults are
 * `warning` issues; neither stops the read. Reading stops at the end of the
 * file as it is now; what a writer adds later is for a read resumed `from`
 * the returned offset.
 */
export async function readJsonlFile(file: string, onRecord: OnRecord, options: JsonlReadOptions = {}): Promise<JsonlReadResult> {
  const steps = readSteps(file, onRecord, options);
  const handle = await open(file, 'r');
  try {
    let step = steps.next(0);
    while (!step.done) {
      const { buffer, position } = step.value;
      step = steps.next((await handle.read(buffer, 0, buffer.length, position)).bytesRead);
    }
    return step.value;
  } finally {
    await handle.close();
  }
}

/**
 * readJsonlFile without awaiting: for the few bytes a store reads before a
 * query, where an async round trip per file costs more than the read itself.
 */
export function readJsonlFileSync(file: string, onRecord: OnRecord, options: JsonlReadOptions = {}): JsonlReadResult {
  const chunks = readJsonlFileByChunks(file, onRecord, options);
  for (;;) {
    const step = chunks.next();
    if (step.done) return step.value;
  }
}

/**
 * readJsonlFileSync, pausing after each chunk: a caller that hands records on
 * in batches passes each on as it fills, even from a file of gigabytes.
 * Stopping early (return()) closes the file.
 */
export function* readJsonlFileByChunks(file: string, onRecord: OnRecord, options: JsonlReadOptions = {}): Generator<void, JsonlReadResult, void> {
  const steps = readSteps(file, onRecord, options);
  const fd = openSync(file, 'r');
  try {
    let step = steps.next(0);
    while (!step.done) {
      const { buffer, position } = step.value;
      step = steps.next(readSync(fd, buffer, 0, buffer.length, position));
      yield;
    }
    return step.value;
  } finally {
    closeSync(fd);
  }
}

/**
 * The record rule over a whole file a caller has already read into memory
 * (import reads files ahead, several at a time). `bytes` is the file from
 * its start; options.from does not apply.
 */
export function readJsonlBytes(file: string, bytes: Buffer, onRecord: OnRecord, options: Omit<JsonlReadOptions, 'from'> = {}): JsonlReadResult {
  const splitter = new LineSplitter(file, onRecord, options);
  splitter.push(bytes);
  splitter.end(options.final ?? true);
  return splitter.result(splitter.tail().bytes!);
}

async function walkJsonl(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walkJsonl(full)));
    else if (entry.name.endsWith(RUN_FILE_SUFFIX)) files.push(full);
  }
  return files;
}

/**
 * The JSONL files to read for a path: a file is itself; a DeerFlow layout
 * gives every threads/<t>/runs/<r>.jsonl; any other folder (an export
 * folder) gives every *.jsonl below it. Sorted, so reads are repeatable.
 */
export async function listJsonlFiles(dir: string): Promise<string[]> {
  const info = await stat(dir).catch(() => null);
  if (!info) throw new StoreError('SOURCE', `${dir}: no such file or folder`);
  if (!info.isDirectory()) return [path.resolve(dir)];
  const { root, isLayout } = resolveLayoutRoot(dir);
  if (!isLayout) return walkJsonl(root);
  return listThreadIds(root).flatMap((threadId) => (listRunIds(root, threadId) ?? []).map((runId) => runFile(root, threadId, runId)));
}
