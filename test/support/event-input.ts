// One event to put, for the suites: a message of thread t1, run r1, with
// whatever the test overrides. Without created_at the store stamps it.
import type { EventInput } from '../../src-shared/types.ts';

export const testEvent = (over: Partial<EventInput> = {}): EventInput => ({
  thread_id: 't1',
  run_id: 'r1',
  event_type: 'llm.ai.response',
  category: 'message',
  content: 'hello',
  ...over,
});
