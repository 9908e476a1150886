// DeerFlow's row encoding (runtime/events/store/db.py), both ways: what its
// DbRunEventStore writes for an event and what its reader makes of a row.
import { fromSqliteUtc, nowIso, toSqliteUtc } from '../../../src-shared/time.ts';
import type { EventInput, JsonObject, JsonValue, RunEvent } from '../../../src-shared/types.ts';
import { pythonJson } from '../python-json.ts';
import type { EventParams, EventRow } from './rows.ts';

/** DbRunEventStore's default `max_trace_content`. */
export const MAX_TRACE_CONTENT_BYTES = 10_240;

/** Python truthiness of a JSON value, as DeerFlow tests its markers. */
function truthy(value: JsonValue | undefined): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

/** `_truncate_trace`: a valid UTF-8 prefix of at most the limit, marked with the original size. */
function truncateTrace(category: string, content: JsonValue, metadata: JsonObject): [JsonValue, JsonObject] {
  if (category !== 'trace') return [content, metadata];
  const text = typeof content === 'string' ? content : pythonJson(content);
  // Cheap exit: a UTF-8 string is at most 3 bytes per UTF-16 unit.
  if (text.length * 3 <= MAX_TRACE_CONTENT_BYTES) return [content, metadata];
  const encoded = Buffer.from(text, 'utf8');
  if (encoded.length <= MAX_TRACE_CONTENT_BYTES) return [content, metadata];
  let end = MAX_TRACE_CONTENT_BYTES;
  while (end > 0 && (encoded[end] & 0xc0) === 0x80) end--; // never split a character
  return [encoded.subarray(0, end).toString('utf8'), { ...metadata, content_truncated: true, original_byte_length: encoded.length }];
}

export function withoutMarkers(metadata: JsonObject): JsonObject {
  if (!('content_is_json' in metadata) && !('content_is_dict' in metadata)) return metadata;
  const { content_is_json: _json, content_is_dict: _dict, ...rest } = metadata;
  return rest;
}

/** The markers `_content_to_db` adds to the metadata of structured (non-string) content. */
export function contentMarkers(content: JsonValue): JsonObject | null {
  if (typeof content === 'string') return null;
  const isDict = content !== null && typeof content === 'object' && !Array.isArray(content);
  return isDict ? { content_is_json: true, content_is_dict: true } : { content_is_json: true };
}

/** `_content_to_db`: structured content becomes JSON text and the metadata says so. */
function contentToDb(content: JsonValue, metadata: JsonObject): [string, JsonObject] {
  const markers = contentMarkers(content);
  // The markers are the store's own: a caller's would make a plain string read back decoded.
  if (markers === null) return [content as string, withoutMarkers(metadata)];
  return [pythonJson(content), { ...metadata, ...markers }];
}

const UTC_ISO = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00:00$/;

/** created_at (already checked to be a zoned ISO date-time) as DeerFlow's SQLite column holds it. */
export function createdAtToDb(createdAt: string): string {
  // Fast path for what DeerFlow writes (already UTC).
  const utc = UTC_ISO.exec(createdAt);
  if (utc) return `${utc[1]} ${utc[2]}.${(utc[3] ?? '').padEnd(6, '0')}`;
  return toSqliteUtc(createdAt);
}

function toRow(input: EventInput, seq: number, userId: string | null, truncate: boolean): EventParams {
  let content: JsonValue = input.content === undefined ? '' : input.content;
  let metadata: JsonObject = input.metadata ?? {};
  if (truncate) [content, metadata] = truncateTrace(input.category, content, metadata);
  const [text, marked] = contentToDb(content, metadata);
  return {
    thread_id: input.thread_id,
    run_id: input.run_id,
    user_id: userId,
    event_type: input.event_type,
    category: input.category,
    content: text,
    event_metadata: pythonJson(marked),
    seq,
    created_at: createdAtToDb(input.created_at ?? nowIso()),
  };
}

/** The row DeerFlow's `put` would write for an event (inputs already validated). */
export function eventToRow(input: EventInput, seq: number): EventParams {
  return toRow(input, seq, null, true);
}

/** A row as written to a run_events of a vintage with or without user_id: what a later query returns it as. */
export function writtenRow(row: EventParams, userId: boolean): EventRow {
  if (userId) return row;
  const { user_id: _absent, ...withoutUser } = row;
  return withoutUser;
}

/** An imported record keeps its seq, owner and content as they are (no truncation). */
export function recordToRow(record: RunEvent): EventParams {
  return toRow(record, record.seq, record.user_id ?? null, false);
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return value === null || value === undefined ? '' : String(value);
}

function parseMetadata(raw: unknown): JsonObject {
  try {
    const value: unknown = JSON.parse(text(raw));
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as JsonObject;
  } catch {
    // a foreign writer's malformed JSON: the event is still shown
  }
  return {};
}

/** A stored created_at as DeerFlow's reader returns it: ISO-8601 with +00:00. */
export function createdAtFromDb(value: unknown): string | null {
  return value === null || value === undefined ? null : fromSqliteUtc(text(value));
}

/** `_row_to_dict`: content decoded only when a marker says it is JSON; created_at as ISO with +00:00. */
export function rowToEvent(row: EventRow): RunEvent {
  const metadata = parseMetadata(row.event_metadata);
  let content: JsonValue = row.content === null || row.content === undefined ? null : text(row.content);
  if (typeof content === 'string' && (truthy(metadata.content_is_json) || truthy(metadata.content_is_dict))) {
    try {
      content = JSON.parse(content) as JsonValue;
    } catch {
      // DeerFlow keeps the raw string when marked content does not parse
    }
  }
  const event: RunEvent = {
    thread_id: row.thread_id,
    run_id: row.run_id,
    event_type: row.event_type,
    category: row.category,
    content,
    metadata,
    seq: row.seq,
    created_at: createdAtFromDb(row.created_at) ?? '',
  };
  if ('user_id' in row) event.user_id = row.user_id ?? null;
  return event;
}

/** An extra column's value as a record shows it: text, a number or null as stored; a BLOB (or a big integer) as its text. */
function extraValue(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' || typeof value === 'number' ? value : text(value);
}

/**
 * rowToEvent for a table with columns this app does not know: their values
 * follow the record's own keys, as stored (DESIGN.md §1: unknown fields are
 * kept and shown). Without such columns, rowToEvent itself.
 */
export function rowDecoder(extraColumns: readonly string[]): (row: EventRow) => RunEvent {
  if (extraColumns.length === 0) return rowToEvent;
  return (row) => {
    const event = rowToEvent(row) as RunEvent & Record<string, unknown>;
    const values = row as unknown as Record<string, unknown>;
    for (const name of extraColumns) event[name] = extraValue(values[name]);
    return event;
  };
}
