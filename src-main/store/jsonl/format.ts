// One JSONL record as DeerFlow's JsonlRunEventStore writes it, for every
// writer of the layout: the jsonl backend's appends and the export.
import type { JsonObject, RunEvent } from '../../../src-shared/types.ts';
import { pythonJson } from '../python-json.ts';

const DEERFLOW_KEYS = ['thread_id', 'run_id', 'event_type', 'category', 'content', 'metadata', 'seq', 'created_at'] as const;

/**
 * `json.dumps(record, ensure_ascii=False)` of DeerFlow's record: its keys in
 * its order, then fields it does not write itself (an owner, unknown extras)
 * so that an import gives them back.
 */
export function jsonlRecordText(event: RunEvent): string {
  const ordered: JsonObject = {};
  for (const key of DEERFLOW_KEYS) ordered[key] = event[key];
  for (const [key, value] of Object.entries(event)) {
    if (!Object.hasOwn(ordered, key) && value !== undefined && !(key === 'user_id' && value === null)) ordered[key] = value;
  }
  return pythonJson(ordered);
}

/** The record as a whole line of a run file. */
export const formatJsonlLine = (event: RunEvent): string => `${jsonlRecordText(event)}\n`;
