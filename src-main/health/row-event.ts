// A database row of the health pass (health-columns.ts) as the event the
// check reads: decoded as the store decodes a row (rowToEvent: content its
// metadata marks as JSON is parsed) when it carries content or metadata, and
// into one object filled again for each row, so a million rows allocate no
// envelope each.
import type { JsonObject } from '../../src-shared/types.ts';
import { rowToEvent } from '../store/sqlite/encoding.ts';
import type { CheckedEvent } from './thread-check.ts';

const NOTHING: JsonObject = Object.freeze({}) as JsonObject;

export type RowEvent = (threadId: string, run_id: string, seq: number, event_type: string, content: unknown, metadata: unknown) => CheckedEvent;

/** A decoder with its own event object: what it returns is valid until its next call. */
export function rowEventDecoder(): RowEvent {
  const event: CheckedEvent = { run_id: '', seq: 0, event_type: '', content: '', metadata: NOTHING };
  return (threadId, run_id, seq, event_type, content, metadata) => {
    event.run_id = run_id;
    event.seq = seq;
    event.event_type = event_type;
    if (content === null && metadata === null) {
      event.content = '';
      event.metadata = NOTHING;
    } else {
      const decoded = rowToEvent({ thread_id: threadId, run_id, event_type, category: '', content, event_metadata: metadata ?? '{}', seq, created_at: null });
      event.content = decoded.content;
      event.metadata = decoded.metadata;
    }
    return event;
  };
}
