// A run_events row as its line of DeerFlow's JSONL layout, made from the
// bytes the database holds. An export spent most of its time parsing JSON
// text and serialising it back to the same text: content and metadata that
// are already what pythonJson writes for them (canonical-json.ts vouches,
// byte for byte) are copied instead, the content markers cut out of the
// metadata, and a string's text is escaped as JSON.stringify does. A row it
// cannot vouch for is decoded and formatted by the general path (rowToEvent,
// formatJsonlLine), which gives the same bytes, slower.
import { isUtf8 } from 'node:buffer';
import type { RunEvent } from '../../src-shared/types.ts';
import { formatJsonlLine } from '../store/jsonl/format.ts';
import { ObjectMembers, scanCanonicalObject } from '../store/sqlite/canonical-json.ts';
import { createdAtFromDb, rowToEvent, withoutMarkers } from '../store/sqlite/encoding.ts';
import type { ExportRow } from '../store/sqlite/rows.ts';
import type { RunFileWriter } from './run-file-writer.ts';

/** A database's record as DeerFlow's JSONL line: the content markers are the database's encoding, and DeerFlow's JSONL records carry none. */
export const databaseRecordLine = (event: RunEvent): string => formatJsonlLine({ ...event, metadata: withoutMarkers(event.metadata) });

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;
const SPACE = 0x20;

/** JSON.stringify's escape of each byte below 0x20 and of `"` and `\`: the short forms, else \u00xx in lowercase. */
const ESCAPES: (Buffer | undefined)[] = Array.from({ length: BACKSLASH + 1 }, (_, c) =>
  c < SPACE || c === QUOTE || c === BACKSLASH ? Buffer.from(JSON.stringify(String.fromCharCode(c)).slice(1, -1)) : undefined,
);
/** The longest of them, `\u00xx`. */
const MAX_ESCAPE_BYTES = 6;

const METADATA_KEY = Buffer.from(', "metadata": ');
/** Distinct event types and categories whose bytes are kept; a foreign table with more has the rest encoded row by row. */
const MAX_KEPT_NAMES = 1024;

/** A string's JSON text with what follows it in the line, encoded once for the few distinct strings a column holds. */
class NameBytes {
  private readonly kept = new Map<string, Buffer>();
  private readonly after: string;

  constructor(after: string) {
    this.after = after;
  }

  of(name: string): Buffer {
    let bytes = this.kept.get(name);
    if (bytes === undefined) {
      bytes = Buffer.from(JSON.stringify(name) + this.after);
      if (this.kept.size < MAX_KEPT_NAMES) this.kept.set(name, bytes);
    }
    return bytes;
  }
}

/** A marker's value in Python's truthiness (as DeerFlow tests it) when it is true, false or null; null for any other value. */
function markerValue(bytes: Buffer, members: ObjectMembers, member: number): boolean | null {
  if (member < 0) return false;
  const text = bytes.toString('latin1', members.valueStart[member], members.valueEnd[member]);
  return text === 'true' ? true : text === 'false' || text === 'null' ? false : null;
}

/** The UTF-8 text as a JSON string, escaped as JSON.stringify escapes it (valid UTF-8 holds no lone surrogate, its one other escape). */
function writeJsonString(text: Buffer, out: Buffer, at: number): number {
  out[at++] = QUOTE;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c > BACKSLASH || (c >= SPACE && c !== QUOTE && c !== BACKSLASH)) continue;
    at += text.copy(out, at, from, i);
    at += ESCAPES[c]!.copy(out, at);
    from = i + 1;
  }
  at += text.copy(out, at, from);
  out[at++] = QUOTE;
  return at;
}

/** The canonical object's text without two of its members (-1: none): the runs of members between them, copied as they are. */
function writeObjectWithout(bytes: Buffer, members: ObjectMembers, skip: number, alsoSkip: number, out: Buffer, at: number): number {
  if (skip < 0 && alsoSkip < 0) return at + bytes.copy(out, at);
  out[at++] = OPEN_BRACE;
  let wrote = false;
  for (let m = 0; m < members.count; ) {
    if (m === skip || m === alsoSkip) {
      m++;
      continue;
    }
    let last = m;
    while (last + 1 < members.count && last + 1 !== skip && last + 1 !== alsoSkip) last++;
    if (wrote) {
      out[at++] = COMMA;
      out[at++] = SPACE;
    }
    // A key's span starts after its opening quote.
    at += bytes.copy(out, at, members.keyStart[m] - 1, members.valueEnd[last]);
    wrote = true;
    m = last + 1;
  }
  out[at++] = CLOSE_BRACE;
  return at;
}

/** Lines of one run after another (RunFileWriter's open run), each row copied where it can be. */
export class RowLineFormatter {
  private prefix = Buffer.alloc(0);
  private readonly metadataMembers = new ObjectMembers();
  private readonly contentMembers = new ObjectMembers();
  private readonly eventTypes = new NameBytes(', "category": ');
  private readonly categories = new NameBytes(', "content": ');

  /** The rows that follow are of this run. */
  beginRun(threadId: string, runId: string): void {
    this.prefix = Buffer.from(`{"thread_id": ${JSON.stringify(threadId)}, "run_id": ${JSON.stringify(runId)}, "event_type": `);
  }

  /** The row's line (its seq one a listing shows) into the writer's open run. */
  write(row: ExportRow, writer: RunFileWriter): void {
    if (!this.copied(row, writer)) writer.text(databaseRecordLine(rowToEvent(row)));
  }

  /** Writes the row's line from its bytes; false, having written nothing, for a row it cannot vouch for. */
  private copied(row: ExportRow, writer: RunFileWriter): boolean {
    const { content, event_metadata: metadata, event_type: eventType, category, user_id: userId } = row;
    if (content === null || metadata === null || typeof eventType !== 'string' || typeof category !== 'string') return false;
    if (userId !== undefined && userId !== null && typeof userId !== 'string') return false;
    if (!isUtf8(metadata) || !isUtf8(content)) return false;
    const members = this.metadataMembers;
    if (!scanCanonicalObject(metadata, 0, metadata.length, members)) return false;
    const jsonMarker = members.find(metadata, 'content_is_json');
    const dictMarker = members.find(metadata, 'content_is_dict');
    const isJson = markerValue(metadata, members, jsonMarker);
    const isDict = markerValue(metadata, members, dictMarker);
    if (isJson === null || isDict === null) return false;
    // Marked content is parsed and written back: only an object it is sure of is copied.
    const decoded = isJson || isDict;
    if (decoded && !scanCanonicalObject(content, 0, content.length, this.contentMembers)) return false;

    const owner = userId === undefined || userId === null ? '' : `, "user_id": ${JSON.stringify(userId)}`;
    const tail = `, "seq": ${row.seq}, "created_at": ${JSON.stringify(createdAtFromDb(row.created_at) ?? '')}${owner}}\n`;
    const typeBytes = this.eventTypes.of(eventType);
    const categoryBytes = this.categories.of(category);
    const contentBytes = decoded ? content.length : content.length * MAX_ESCAPE_BYTES + 2;
    const out = writer.room(this.prefix.length + typeBytes.length + categoryBytes.length + contentBytes + METADATA_KEY.length + metadata.length + tail.length * 3);
    let at = writer.at;
    at += this.prefix.copy(out, at);
    at += typeBytes.copy(out, at);
    at += categoryBytes.copy(out, at);
    at = decoded ? at + content.copy(out, at) : writeJsonString(content, out, at);
    at += METADATA_KEY.copy(out, at);
    at = writeObjectWithout(metadata, members, jsonMarker, dictMarker, out, at);
    at += out.write(tail, at);
    writer.at = at;
    return true;
  }
}
