// JSONL lines into SQLite row batches for an import. A line already in
// DeerFlow's json.dumps form whose record the JSONL rule keeps as it is (most
// of any export) is copied into the batch as bytes: its content and metadata
// are already the text the database stores. Any other line is parsed by the
// record rule and encoded, as every line once was; both give the same rows.
import type { JsonObject, RunEvent } from '../../src-shared/types.ts';
import type { LineTaker } from '../store/jsonl/jsonl-reader.ts';
import { isPlainString, ObjectMembers, scanCanonicalObject, unescapeString, valueKind } from '../store/sqlite/canonical-json.ts';
import { pythonJson } from '../store/python-json.ts';
import { contentMarkers, createdAtToDb } from '../store/sqlite/encoding.ts';
import { IMPORT_TEXT_LIMITS, RowBatchWriter, storableCreatedAt } from '../store/sqlite/row-batch.ts';

/** The record fields a row is made of, by their index in `at`. */
const FIELDS = ['thread_id', 'run_id', 'user_id', 'event_type', 'category', 'content', 'metadata', 'created_at', 'seq'] as const;
const [THREAD_ID, RUN_ID, USER_ID, EVENT_TYPE, CATEGORY, CONTENT, METADATA, CREATED_AT, SEQ] = FIELDS.map((_, index) => index);
/** A key's length and first letter tell the field it can be (then its bytes are compared). */
const shape = (length: number, first: number) => length * 256 + first;
const FIELD_BY_SHAPE = new Map(FIELDS.map((name, index) => [shape(name.length, name.charCodeAt(0)), index]));
if (FIELD_BY_SHAPE.size !== FIELDS.length) throw new Error('two record fields of the same shape');

/** The longest seq taken from the bytes: 15 digits are an exact, safe integer. */
const MAX_SEQ_DIGITS = 15;

/** `"content_is_json": true…}`: what `{...metadata, ...markers}` ends with when the metadata has neither marker. */
const markersTail = (markers: JsonObject) => pythonJson(markers).slice(1);
const DICT_MARKERS = markersTail(contentMarkers({})!);
const JSON_MARKERS = markersTail(contentMarkers([])!);

const QUOTE = 0x22;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Characters of a plain (escape-free) ASCII string value, or -1. Quotes are part of the value's bytes. */
function asciiLength(bytes: Buffer, start: number, end: number): number {
  if (bytes[start] !== QUOTE) return -1;
  for (let i = start + 1; i < end - 1; i++) if (bytes[i] >= 0x80 || bytes[i] === 0x5c) return -1;
  return end - start - 2;
}

/** A positive integer seq of a canonical number value, or -1. */
function seqOf(bytes: Buffer, start: number, end: number): number {
  if (end - start > MAX_SEQ_DIGITS || bytes[start] === DIGIT_0) return -1;
  let seq = 0;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c < DIGIT_0 || c > DIGIT_9) return -1;
    seq = seq * 10 + (c - DIGIT_0);
  }
  return seq;
}

function sameAscii(bytes: Buffer, start: number, text: string): boolean {
  for (let k = 0; k < text.length; k++) if (bytes[start + k] !== text.charCodeAt(k)) return false;
  return true;
}

/** Two ASCII digits as a number, or -1. */
function twoDigits(bytes: Buffer, i: number): number {
  const high = bytes[i] - DIGIT_0;
  const low = bytes[i + 1] - DIGIT_0;
  return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : -1;
}

const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const SPACE = 0x20;
const LETTER_T = 0x54;
/** `YYYY-MM-DDTHH:MM:SS`, the part of a stamp before its fraction. */
const SECONDS_CHARS = 19;
const UTC_OFFSET = '+00:00';
const MAX_FRACTION_DIGITS = 6;
/** DeerFlow's SQLite text, `YYYY-MM-DD HH:MM:SS.ffffff`. */
const SQLITE_STAMP_BYTES = SECONDS_CHARS + 1 + MAX_FRACTION_DIGITS;

/** Digits of the fraction of a stamp value at [start, end) (quotes included) of a length isUtcStamp allows. */
const fractionDigits = (start: number, end: number) => Math.max(end - start - 2 - SECONDS_CHARS - UTC_OFFSET.length - 1, 0);

/**
 * The created_at value at [start, end) (quotes included) is DeerFlow's own
 * form, `"YYYY-MM-DDTHH:MM:SS[.f{1,6}]+00:00"`, of a date-time that exists:
 * its database text is its bytes rearranged (writeUtcStamp). Days after the
 * 28th (month lengths, leap years) and every other form are left to
 * storableCreatedAt: false is "not known", never "invalid".
 */
function isUtcStamp(bytes: Buffer, start: number, end: number): boolean {
  const extra = end - start - 2 - SECONDS_CHARS - UTC_OFFSET.length; // 0, or the dot and the fraction's digits
  if (extra !== 0 && (extra < 2 || extra > MAX_FRACTION_DIGITS + 1)) return false;
  const s = start + 1;
  if (bytes[start] !== QUOTE || bytes[s + 4] !== DASH || bytes[s + 7] !== DASH || bytes[s + 10] !== LETTER_T || bytes[s + 13] !== COLON || bytes[s + 16] !== COLON) return false;
  const century = twoDigits(bytes, s);
  const year = twoDigits(bytes, s + 2);
  const month = twoDigits(bytes, s + 5);
  const day = twoDigits(bytes, s + 8);
  const hour = twoDigits(bytes, s + 11);
  const minute = twoDigits(bytes, s + 14);
  const second = twoDigits(bytes, s + 17);
  if (century < 0 || year < 0 || century + year === 0 || month < 1 || month > 12 || day < 1 || day > 28) return false;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  let i = s + SECONDS_CHARS;
  if (extra > 0) {
    if (bytes[i++] !== DOT) return false;
    for (const last = i + extra - 1; i < last; i++) if (bytes[i] < DIGIT_0 || bytes[i] > DIGIT_9) return false;
  }
  return sameAscii(bytes, i, UTC_OFFSET);
}

/** A stamp isUtcStamp accepted, as createdAtToDb writes it, into `out` at `at`; returns where it ends. */
function writeUtcStamp(bytes: Buffer, start: number, end: number, out: Buffer, at: number): number {
  const s = start + 1;
  const digits = fractionDigits(start, end);
  bytes.copy(out, at, s, s + SECONDS_CHARS);
  out[at + 10] = SPACE; // where the T was
  out[at + SECONDS_CHARS] = DOT;
  bytes.copy(out, at + SECONDS_CHARS + 1, s + SECONDS_CHARS + 1, s + SECONDS_CHARS + 1 + digits);
  out.fill(DIGIT_0, at + SECONDS_CHARS + 1 + digits, at + SQLITE_STAMP_BYTES);
  return at + SQLITE_STAMP_BYTES;
}

/**
 * Rows of one import, batch after batch. `lineTaker` is the fast path for a
 * file's lines, `addRecord` the path for the records the rule parsed.
 */
export class ImportRows {
  readonly writer: RowBatchWriter;
  /** The target's extra columns, each filled from the line's key of that name. */
  private readonly extraColumns: readonly string[];
  /** find() compares a key's bytes with ASCII: a name a canonical line would escape, or write as UTF-8, leaves every line to the parsed path. */
  private readonly fast: boolean;
  private readonly line = new ObjectMembers();
  private readonly metadata = new ObjectMembers();
  /** Member index of each field on the current line, or -1. */
  private readonly at = new Int32Array(FIELDS.length);
  /** The current line's seq, kind of content and created_at (null: a UTC stamp, taken as bytes), once storableAsIs() has read them. */
  private seq = 0;
  private content: ReturnType<typeof valueKind> = 'string';
  private createdAt: string | null = null;

  /** Rows for a target with these extra columns (SqliteStore#extraColumns). */
  constructor(extraColumns: readonly string[] = []) {
    this.writer = new RowBatchWriter(extraColumns);
    this.extraColumns = extraColumns;
    this.fast = extraColumns.every((name) => /^[\x20-\x7e]*$/.test(name) && !name.includes('"') && !name.includes('\\'));
  }

  addRecord(record: RunEvent): void {
    this.writer.addRecord(record);
  }

  /** The fast path for the lines of a file whose thread and run come from its path (`ids`), or from each record (null). */
  lineTaker(ids: { thread_id: string; run_id: string } | null): LineTaker {
    if (!this.fast) return () => false;
    return (bytes, start, end) => this.take(bytes, start, end, ids);
  }

  /** Which field each member is. */
  private locateFields(bytes: Buffer): void {
    const { line, at } = this;
    at.fill(-1);
    for (let m = 0; m < line.count; m++) {
      const keyStart = line.keyStart[m];
      const field = FIELD_BY_SHAPE.get(shape(line.keyEnd[m] - keyStart, bytes[keyStart]));
      if (field !== undefined && sameAscii(bytes, keyStart, FIELDS[field])) at[field] = m;
    }
  }

  /** A string field the rule keeps as it is and the row check accepts: plain ASCII, 1 to `max` characters. */
  private textOk(bytes: Buffer, field: number, max: number): boolean {
    const m = this.at[field];
    if (m < 0) return false;
    const length = asciiLength(bytes, this.line.valueStart[m], this.line.valueEnd[m]);
    return length >= 1 && length <= max;
  }

  /** A thread or run id: in the layout, the path's (a safe id; the line must say the same, or the rule warns); else the record's own. */
  private idOk(bytes: Buffer, field: number, fromPath: string | undefined): boolean {
    const limit = IMPORT_TEXT_LIMITS[FIELDS[field] as 'thread_id' | 'run_id'];
    if (fromPath === undefined) return this.textOk(bytes, field, limit);
    const m = this.at[field];
    if (m < 0 || fromPath.length > limit) return false;
    const start = this.line.valueStart[m];
    return this.line.valueEnd[m] - start - 2 === fromPath.length && bytes[start] === QUOTE && sameAscii(bytes, start + 1, fromPath);
  }

  private take(bytes: Buffer, start: number, end: number, ids: { thread_id: string; run_id: string } | null): boolean {
    if (!scanCanonicalObject(bytes, start, end, this.line)) return false;
    this.locateFields(bytes);
    // Every check first: a row is written whole or not at all.
    if (!this.storableAsIs(bytes, ids)) return false;
    this.writeRow(bytes);
    return true;
  }

  /** What the line's record needs for its row to be its bytes: no default, warning or refusal on the parsed path. */
  private storableAsIs(bytes: Buffer, ids: { thread_id: string; run_id: string } | null): boolean {
    const { line, at } = this;
    if (at[SEQ] < 0 || at[CONTENT] < 0 || at[METADATA] < 0 || at[CREATED_AT] < 0) return false;
    this.seq = seqOf(bytes, line.valueStart[at[SEQ]], line.valueEnd[at[SEQ]]);
    if (this.seq < 0) return false;
    if (!this.idOk(bytes, THREAD_ID, ids?.thread_id) || !this.idOk(bytes, RUN_ID, ids?.run_id)) return false;
    if (!this.textOk(bytes, EVENT_TYPE, IMPORT_TEXT_LIMITS.event_type) || !this.textOk(bytes, CATEGORY, IMPORT_TEXT_LIMITS.category)) return false;
    if (!this.createdAtOk(bytes, at[CREATED_AT])) return false;
    if (at[USER_ID] >= 0 && valueKind(bytes, line.valueStart[at[USER_ID]]) !== 'null' && !this.plainStringAt(bytes, at[USER_ID])) return false;
    this.content = valueKind(bytes, line.valueStart[at[CONTENT]]);
    // null content is rare enough to leave to the parsed path.
    if (this.content === 'null') return false;
    const metadataStart = line.valueStart[at[METADATA]];
    if (valueKind(bytes, metadataStart) !== 'object') return false;
    // Markers the metadata already has are the parsed path's to place or drop.
    scanCanonicalObject(bytes, metadataStart, line.valueEnd[at[METADATA]], this.metadata);
    return this.metadata.find(bytes, 'content_is_json') < 0 && this.metadata.find(bytes, 'content_is_dict') < 0;
  }

  /** A created_at the row can hold (the parsed path skips the record otherwise). */
  private createdAtOk(bytes: Buffer, member: number): boolean {
    const start = this.line.valueStart[member];
    const end = this.line.valueEnd[member];
    this.createdAt = null;
    if (isUtcStamp(bytes, start, end)) return true;
    if (!this.plainStringAt(bytes, member)) return false;
    this.createdAt = bytes.toString('utf8', start + 1, end - 1);
    return storableCreatedAt(this.createdAt);
  }

  private plainStringAt(bytes: Buffer, member: number): boolean {
    const start = this.line.valueStart[member];
    return valueKind(bytes, start) === 'string' && isPlainString(bytes, start, this.line.valueEnd[member]);
  }

  /** The row of a line storableAsIs() accepted, in ROW_TEXT_COLUMNS order, then the extra columns' (a value's JSON text is the line's). */
  private writeRow(bytes: Buffer): void {
    const { line, at, writer, content } = this;
    this.writeText(bytes, THREAD_ID);
    this.writeText(bytes, RUN_ID);
    if (at[USER_ID] >= 0 && valueKind(bytes, line.valueStart[at[USER_ID]]) === 'string') this.writeText(bytes, USER_ID);
    else writer.nullValue();
    this.writeText(bytes, EVENT_TYPE);
    this.writeText(bytes, CATEGORY);
    const contentStart = line.valueStart[at[CONTENT]];
    const contentEnd = line.valueEnd[at[CONTENT]];
    if (content === 'string') writer.appendWith(contentEnd - contentStart, (out, offset) => unescapeString(bytes, contentStart, contentEnd, out, offset));
    else writer.append(bytes, contentStart, contentEnd);
    writer.endValue();
    const metadataStart = line.valueStart[at[METADATA]];
    const metadataEnd = line.valueEnd[at[METADATA]];
    if (content === 'string') {
      writer.append(bytes, metadataStart, metadataEnd);
    } else {
      const markers = content === 'object' ? DICT_MARKERS : JSON_MARKERS;
      if (metadataEnd - metadataStart === 2) {
        writer.appendText(`{${markers}`);
      } else {
        writer.append(bytes, metadataStart, metadataEnd - 1);
        writer.appendText(`, ${markers}`);
      }
    }
    writer.endValue();
    if (this.createdAt === null) {
      const createdStart = line.valueStart[at[CREATED_AT]];
      const createdEnd = line.valueEnd[at[CREATED_AT]];
      writer.appendWith(SQLITE_STAMP_BYTES, (out, offset) => writeUtcStamp(bytes, createdStart, createdEnd, out, offset));
    } else {
      writer.appendText(createdAtToDb(this.createdAt));
    }
    writer.endValue();
    for (const name of this.extraColumns) {
      const m = line.find(bytes, name);
      if (m < 0) {
        writer.nullValue();
      } else {
        writer.append(bytes, line.valueStart[m], line.valueEnd[m]);
        writer.endValue();
      }
    }
    writer.endRow(this.seq);
  }

  /** A plain string field's text, without its quotes. */
  private writeText(bytes: Buffer, field: number): void {
    const m = this.at[field];
    this.writer.append(bytes, this.line.valueStart[m] + 1, this.line.valueEnd[m] - 1);
    this.writer.endValue();
  }
}
