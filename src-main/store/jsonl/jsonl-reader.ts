// The JSONL record rule (DESIGN.md §3), shared by the jsonl backend and
// import. Files are read by chunks with byte offsets, so a store can later
// read only what was appended and a huge file never becomes one string.
import { isUtf8 } from 'node:buffer';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { StoreError } from '../../../src-shared/errors.ts';
import type { JsonObject, RunEvent, SourceIssue } from '../../../src-shared/types.ts';
import { layoutIds, listRunIds, listThreadIds, resolveLayoutRoot, RUN_FILE_SUFFIX, runFile } from './layout.ts';

/** What a record lacking `event_type` / `category` gets: unknown, and trace-only (DeerFlow's readers treat it as not a message). */
export const DEFAULT_EVENT_TYPE = 'unknown';
export const DEFAULT_CATEGORY = 'trace';
/** A record without `created_at` has no time; an empty string says so without inventing one. */
export const DEFAULT_CREATED_AT = '';

/** Longer lines are skipped and reported: a V8 string cannot hold much more, and no real event is this big. */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;
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

export type OnRecord = (record: RunEvent, where: RecordPlace) => void;

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
  maxLineBytes?: number;
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

type LineOutcome = { record: RunEvent; warnings: string[] } | { error: string };

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
function idField(value: Record<string, unknown>, key: 'thread_id' | 'run_id', fromPath: string | undefined, warnings: string[]): string | { error: string } {
  const given = value[key];
  if (fromPath === undefined) {
    return typeof given === 'string' && given !== '' ? given : { error: `${key} missing or not a non-empty string, and the file is not in the threads/<thread>/runs/<run>.jsonl layout` };
  }
  if (!Object.hasOwn(value, key)) warnings.push(`${key} missing (using ${JSON.stringify(fromPath)} from the path)`);
  else if (given !== fromPath) warnings.push(`${key} ${preview(given)} differs from the path's ${JSON.stringify(fromPath)}, which is used`);
  return fromPath;
}

/** A parsed line → the record with DeerFlow's defaults, or why it is skipped. */
export function interpretRecord(value: unknown, ids: { thread_id: string; run_id: string } | null): LineOutcome {
  if (!isObject(value)) return { error: `not a JSON object: ${preview(value)}` };
  if (!Object.hasOwn(value, 'seq')) return { error: 'no "seq"' };
  const seq = value.seq;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return { error: `"seq" is not a positive integer: ${preview(seq)}` };
  const warnings: string[] = [];
  const thread_id = idField(value, 'thread_id', ids?.thread_id, warnings);
  if (typeof thread_id !== 'string') return thread_id;
  const run_id = idField(value, 'run_id', ids?.run_id, warnings);
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
  return { record, warnings };
}

const INVALID_UTF8 = 'not valid UTF-8 (invalid bytes shown as U+FFFD)';

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
 * Reads the records of one JSONL file, calling onRecord for each in file
 * order. Skipped lines are `error` issues, records kept with defaults are
 * `warning` issues; neither stops the read.
 */
export async function readJsonlFile(file: string, onRecord: OnRecord, options: JsonlReadOptions = {}): Promise<JsonlReadResult> {
  const final = options.final ?? true;
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  const ids = layoutIds(file);
  const issues: SourceIssue[] = [];
  let lines = options.from?.line ?? 0;
  let consumed = options.from?.offset ?? 0;
  let position = consumed;

  const report = (severity: SourceIssue['severity'], message: string) => issues.push({ path: file, line: lines, severity, message });

  const takeLine = (raw: Buffer, rawLength: number) => {
    const start = consumed;
    lines += 1;
    consumed += rawLength;
    let bytes = raw;
    if (bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, -1);
    if (start === 0 && bytes.subarray(0, 3).equals(BOM)) bytes = bytes.subarray(3);
    const outcome = interpretLine(bytes, ids);
    if ('error' in outcome) return report('error', outcome.error);
    if (outcome.warnings.length > 0) report('warning', outcome.warnings.join('; '));
    onRecord(outcome.record, { path: file, line: lines });
  };

  // The line being assembled across chunks; an oversized one is only measured.
  let parts: Buffer[] = [];
  let partBytes = 0;
  const finishLine = (last: Buffer, newlineBytes: number) => {
    const length = partBytes + last.length;
    if (length > maxLineBytes) {
      lines += 1;
      consumed += length + newlineBytes;
      report('error', `line of ${length} bytes is over the ${maxLineBytes}-byte limit`);
    } else {
      takeLine(partBytes === 0 ? last : Buffer.concat([...parts, last]), length + newlineBytes);
    }
    parts = [];
    partBytes = 0;
  };

  const handle = await open(file, 'r');
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const data = chunk.subarray(0, bytesRead);
      let start = 0;
      for (let nl = data.indexOf(NEWLINE); nl !== -1; nl = data.indexOf(NEWLINE, start)) {
        finishLine(data.subarray(start, nl), 1);
        start = nl + 1;
      }
      const rest = data.subarray(start);
      partBytes += rest.length;
      if (partBytes > maxLineBytes) parts = [];
      else if (rest.length > 0) parts.push(rest);
    }
    if (partBytes > 0 && final) finishLine(Buffer.alloc(0), 0);
    const tail = Buffer.alloc(Math.min(TAIL_BYTES, consumed));
    if (tail.length > 0) await handle.read(tail, 0, tail.length, consumed - tail.length);
    return { issues, lines, bytesConsumed: consumed, tail };
  } finally {
    await handle.close();
  }
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
