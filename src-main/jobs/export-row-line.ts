// A run_events row as its line of DeerFlow's JSONL layout. An export spent
// most of its time parsing JSON text and serialising it back to the same
// text: content and metadata are written into the line as the UTF-8 of their
// stored text and kept there when canonical-json.ts vouches that they are
// already what pythonJson writes for them, byte for byte, the content markers
// cut out of the metadata. A row it cannot vouch for is decoded and formatted
// by the general path (rowToEvent, formatJsonlLine), which gives the same
// bytes, slower.
import type { RunEvent } from '../../src-shared/types.ts';
import { formatJsonlLine } from '../store/jsonl/format.ts';
import { ObjectMembers, scanCanonicalObject } from '../store/sqlite/canonical-json.ts';
import { createdAtFromDb, rowToEvent, withoutMarkers } from '../store/sqlite/encoding.ts';
import type { ExportRow } from '../store/sqlite/rows.ts';
import type { RunFileBatcher } from './run-file-batches.ts';

/** A database's record as DeerFlow's JSONL line: the content markers are the database's encoding, and DeerFlow's JSONL records carry none. */
export const databaseRecordLine = (event: RunEvent): string => formatJsonlLine({ ...event, metadata: withoutMarkers(event.metadata) });

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;
const SPACE = 0x20;
/** UTF-8 bytes of a string, at most, per UTF-16 unit. */
const UTF8_PER_UNIT = 3;

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

/** The canonical object's text without two of its members (-1: none): the runs of members between them, copied as they are. */
function writeObjectWithout(bytes: Buffer, end: number, members: ObjectMembers, skip: number, alsoSkip: number, out: Buffer, at: number): number {
  if (skip < 0 && alsoSkip < 0) return at + bytes.copy(out, at, 0, end);
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

/** Lines of one run after another (RunFileBatcher's open run), each row's text kept where it can be. */
export class RowLineFormatter {
  private prefix = Buffer.alloc(0);
  /** The metadata's UTF-8, scanned before the line is begun: its markers say how the content is written. */
  private metadata = Buffer.allocUnsafeSlow(1 << 16);
  private readonly metadataMembers = new ObjectMembers();
  private readonly contentMembers = new ObjectMembers();
  private readonly eventTypes = new NameBytes(', "category": ');
  private readonly categories = new NameBytes(', "content": ');

  /** The rows that follow are of this run. */
  beginRun(threadId: string, runId: string): void {
    this.prefix = Buffer.from(`{"thread_id": ${JSON.stringify(threadId)}, "run_id": ${JSON.stringify(runId)}, "event_type": `);
  }

  /** The row's line (its seq one a listing shows) into the batcher's open run. */
  write(row: ExportRow, out: RunFileBatcher): void {
    if (!this.kept(row, out)) out.text(databaseRecordLine(rowToEvent(row)));
  }

  /** Writes the row's line keeping its text; false, the line not begun, for a row it cannot vouch for. */
  private kept(row: ExportRow, out: RunFileBatcher): boolean {
    const { content, event_metadata: metadataText, event_type: eventType, category, user_id: userId } = row;
    if (typeof content !== 'string' || typeof metadataText !== 'string' || typeof eventType !== 'string' || typeof category !== 'string') return false;
    if (userId !== undefined && userId !== null && typeof userId !== 'string') return false;
    if (this.metadata.length < metadataText.length * UTF8_PER_UNIT) this.metadata = Buffer.allocUnsafeSlow(metadataText.length * UTF8_PER_UNIT);
    const metadata = this.metadata;
    const metadataEnd = metadata.write(metadataText, 0);
    const members = this.metadataMembers;
    if (!scanCanonicalObject(metadata, 0, metadataEnd, members)) return false;
    const jsonMarker = members.find(metadata, 'content_is_json');
    const dictMarker = members.find(metadata, 'content_is_dict');
    const isJson = markerValue(metadata, members, jsonMarker);
    const isDict = markerValue(metadata, members, dictMarker);
    if (isJson === null || isDict === null) return false;
    // Marked content is parsed and written back: only an object it is sure of is kept as it is.
    const decoded = isJson || isDict;
    const contentText = decoded ? content : JSON.stringify(content);

    const owner = userId === undefined || userId === null ? '' : `, "user_id": ${JSON.stringify(userId)}`;
    const tail = `, "seq": ${row.seq}, "created_at": ${JSON.stringify(createdAtFromDb(row.created_at) ?? '')}${owner}}\n`;
    const typeBytes = this.eventTypes.of(eventType);
    const categoryBytes = this.categories.of(category);
    const room = this.prefix.length + typeBytes.length + categoryBytes.length + METADATA_KEY.length + metadataEnd + (contentText.length + tail.length) * UTF8_PER_UNIT;
    const line = out.room(room);
    let at = out.at;
    at += this.prefix.copy(line, at);
    at += typeBytes.copy(line, at);
    at += categoryBytes.copy(line, at);
    const contentStart = at;
    at += line.write(contentText, at);
    if (decoded && !scanCanonicalObject(line, contentStart, at, this.contentMembers)) return false;
    at += METADATA_KEY.copy(line, at);
    at = writeObjectWithout(metadata, metadataEnd, members, jsonMarker, dictMarker, line, at);
    at += line.write(tail, at);
    out.at = at;
    return true;
  }
}
