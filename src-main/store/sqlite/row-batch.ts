// Rows for an import, as UTF-8 bytes in one buffer. A batch crosses a worker
// boundary by transfer (no copy, no string per value), and its values bind as
// BLOBs cast to TEXT: SQLite stores exactly those bytes as text, while a JS
// string per value doubles the cost of the insert (UTF-16 → UTF-8 work).
import { badArgument } from '../../../src-shared/errors.ts';
import { MAX_CATEGORY_LENGTH, MAX_EVENT_TYPE_LENGTH, MAX_ID_LENGTH } from '../../../src-shared/schemas.ts';
import { isZonedIsoDateTime } from '../../../src-shared/time.ts';
import type { JsonValue, RunEvent } from '../../../src-shared/types.ts';
import { pythonJson } from '../python-json.ts';
import { recordToRow } from './encoding.ts';
import type { EventParams } from './rows.ts';

/**
 * The text columns of a row, in the order of their spans (seq is kept apart,
 * as a number); then one per extra column of the target (schema.ts), its
 * value as JSON text, NULL when the record has no such key.
 */
export const ROW_TEXT_COLUMNS = ['thread_id', 'run_id', 'user_id', 'event_type', 'category', 'content', 'event_metadata', 'created_at'] as const;
/** A span's start for a NULL (user_id, an extra column). */
export const NULL_SPAN = -1;

export interface RowBatch {
  rows: number;
  /** Text values per row: ROW_TEXT_COLUMNS and the extra columns. */
  columns: number;
  bytes: Uint8Array;
  /** Per row and text column, start and end in `bytes`: [(row * columns + column) * 2], [… + 1]. */
  spans: Int32Array;
  seqs: Float64Array;
}

/**
 * A batch's rows as the values of one insert each (extra columns left out),
 * for a backend that binds values as strings: an import into PostgreSQL reads
 * its JSONL into the same batches as one into SQLite.
 */
export function rowsOf(batch: RowBatch): EventParams[] {
  const text = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  const rows: EventParams[] = [];
  for (let row = 0; row < batch.rows; row++) {
    const value = (column: number) => {
      const at = (row * batch.columns + column) * 2;
      const start = batch.spans[at];
      return start === NULL_SPAN ? null : text.toString('utf8', start, batch.spans[at + 1]);
    };
    // Only user_id can be NULL: the batch was checked as it was made.
    const values: Record<string, string | number | null> = { seq: batch.seqs[row] };
    ROW_TEXT_COLUMNS.forEach((name, column) => (values[name] = value(column)));
    rows.push(values as unknown as EventParams);
  }
  return rows;
}

/** The buffers a batch holds, for postMessage's transfer list. */
export const batchTransfer = (batch: RowBatch): ArrayBuffer[] => [batch.bytes.buffer, batch.spans.buffer, batch.seqs.buffer] as ArrayBuffer[];

const isText = (value: unknown, max: number) => typeof value === 'string' && value.length > 0 && value.length <= max;

/** The most characters checkImportRecord lets each NOT NULL text column have (the columns' VARCHAR sizes). */
export const IMPORT_TEXT_LIMITS = { thread_id: MAX_ID_LENGTH, run_id: MAX_ID_LENGTH, event_type: MAX_EVENT_TYPE_LENGTH, category: MAX_CATEGORY_LENGTH } as const;

/**
 * A created_at a row can hold: DeerFlow's column is NOT NULL and its reader
 * parses every value with fromisoformat, so '' (a JSONL record without one)
 * or an impossible date would make the row unreadable there.
 */
export const storableCreatedAt = (value: unknown): boolean => typeof value === 'string' && isZonedIsoDateTime(value);

/** Why an import skips a record storableCreatedAt refuses. */
export const CREATED_AT_NEEDED = 'created_at missing or not an ISO-8601 date-time with a time zone: a database row needs one';

/**
 * The NOT NULL columns and seq an imported record needs. Cheaper than the
 * full input schema, which would walk every content tree of a big import.
 */
function checkImportRecord(record: RunEvent, index: number): void {
  const problem =
    (!isText(record.thread_id, IMPORT_TEXT_LIMITS.thread_id) && 'thread_id') ||
    (!isText(record.run_id, IMPORT_TEXT_LIMITS.run_id) && 'run_id') ||
    (!isText(record.event_type, IMPORT_TEXT_LIMITS.event_type) && 'event_type') ||
    (!isText(record.category, IMPORT_TEXT_LIMITS.category) && 'category') ||
    (!(Number.isSafeInteger(record.seq) && record.seq > 0) && 'seq') ||
    (!storableCreatedAt(record.created_at) && 'created_at') ||
    ((record.metadata === null || typeof record.metadata !== 'object' || Array.isArray(record.metadata)) && 'metadata') ||
    // SQLite could bind no other type (an owner another tool wrote as a number is text in the VARCHAR column either way).
    (!(record.user_id === undefined || record.user_id === null || typeof record.user_id === 'string' || typeof record.user_id === 'number') && 'user_id');
  if (problem) throw badArgument(`records.${index}.${problem}: not a valid value (${JSON.stringify(record[problem] ?? null)})`);
}

const INITIAL_BYTES = 1 << 20;
const INITIAL_ROWS = 1024;

/**
 * Builds a batch value by value, in ROW_TEXT_COLUMNS order then the extra
 * columns': each value is one or more appended pieces closed by endValue(),
 * then endRow(seq).
 */
export class RowBatchWriter {
  rows = 0;
  /** The target's extra columns, whose values follow ROW_TEXT_COLUMNS'. */
  readonly extraColumns: readonly string[];
  private readonly columns: number;
  // Never from the shared pool: a batch's buffer is transferred to another thread.
  private bytes = Buffer.allocUnsafeSlow(INITIAL_BYTES);
  private length = 0;
  private spans: Int32Array;
  private seqs = new Float64Array(INITIAL_ROWS);
  private span = 0;
  private valueStart = 0;

  constructor(extraColumns: readonly string[] = []) {
    this.extraColumns = extraColumns;
    this.columns = ROW_TEXT_COLUMNS.length + extraColumns.length;
    this.spans = new Int32Array(INITIAL_ROWS * this.columns * 2);
  }

  private room(bytes: number): void {
    if (this.length + bytes <= this.bytes.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.length + bytes));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }

  /** Appends source[start, end) to the current value. */
  append(source: Buffer, start: number, end: number): void {
    this.room(end - start);
    this.length += source.copy(this.bytes, this.length, start, end);
  }

  appendText(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    this.room(text.length * 3);
    this.length += this.bytes.write(text, this.length, 'utf8');
  }

  /** Lets `fill` write at most `maxBytes` in place; it returns where it stopped. */
  appendWith(maxBytes: number, fill: (out: Buffer, at: number) => number): void {
    this.room(maxBytes);
    this.length = fill(this.bytes, this.length);
  }

  endValue(): void {
    this.spans[this.span++] = this.valueStart;
    this.spans[this.span++] = this.length;
    this.valueStart = this.length;
  }

  nullValue(): void {
    this.spans[this.span++] = NULL_SPAN;
    this.spans[this.span++] = NULL_SPAN;
  }

  endRow(seq: number): void {
    this.seqs[this.rows++] = seq;
    if (this.rows < this.seqs.length) return;
    const spans = new Int32Array(this.spans.length * 2);
    spans.set(this.spans);
    this.spans = spans;
    const seqs = new Float64Array(this.seqs.length * 2);
    seqs.set(this.seqs);
    this.seqs = seqs;
  }

  /** A record parsed from JSON, checked as importEvents always has, in DeerFlow's encoding. */
  addRecord(record: RunEvent): void {
    checkImportRecord(record, this.rows);
    const row = recordToRow(record);
    for (const column of ROW_TEXT_COLUMNS) this.addText(row[column]);
    for (const name of this.extraColumns) {
      // The text a canonical line holds for the value (import's fast path copies it from there).
      const value = (record as unknown as Record<string, JsonValue | undefined>)[name];
      this.addText(value === undefined ? null : pythonJson(value));
    }
    this.endRow(row.seq);
  }

  private addText(value: string | null): void {
    if (value === null) {
      this.nullValue();
    } else {
      this.appendText(String(value)); // an owner another tool wrote as a number
      this.endValue();
    }
  }

  /** The batch so far (its buffers are handed over); the writer starts a new one. */
  take(): RowBatch {
    const batch: RowBatch = {
      rows: this.rows,
      columns: this.columns,
      bytes: this.bytes.subarray(0, this.length),
      spans: this.spans.slice(0, this.rows * this.columns * 2),
      seqs: this.seqs.slice(0, this.rows),
    };
    // Sized for a batch like the last, with room to spare rather than a copy when one is a little bigger.
    this.bytes = Buffer.allocUnsafeSlow(Math.max(INITIAL_BYTES, Math.ceil(this.length * 1.25)));
    this.length = 0;
    this.valueStart = 0;
    this.span = 0;
    this.rows = 0;
    return batch;
  }
}
