// Building the record a store returns from what a caller put.
import { nowIso } from '../../src-shared/time.ts';
import type { EventInput, RunEvent } from '../../src-shared/types.ts';

/** The record in DeerFlow's key order (the order its JSONL lines have). */
export function makeEvent(input: EventInput, seq: number): RunEvent {
  return {
    thread_id: input.thread_id,
    run_id: input.run_id,
    event_type: input.event_type,
    category: input.category,
    content: structuredClone(input.content === undefined ? '' : input.content),
    metadata: structuredClone(input.metadata ?? {}),
    seq,
    created_at: input.created_at ?? nowIso(),
  };
}
