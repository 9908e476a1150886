import { describe, expect, it } from 'vitest';
import type { JsonValue, RunEvent } from '../../src-shared/types.ts';
import { taskDescriptions } from './task-labels.ts';

const start = (content: JsonValue, metadata: RunEvent['metadata'] = {}): RunEvent => ({
  thread_id: 't',
  run_id: 'r',
  seq: 1,
  event_type: 'subagent.start',
  category: 'subagent',
  content,
  metadata,
  created_at: '2026-04-04T01:08:01.000000+00:00',
});

describe('task labels', () => {
  it("names each task by its subagent.start's description", () => {
    const labels = taskDescriptions([
      start({ task_id: 'call_a', description: 'Compare  Acme\nand Borealis', subagent_type: 'general-purpose' }, { task_id: 'call_a' }),
      // an older database keeps dict content as JSON text without the marker
      start(JSON.stringify({ task_id: 'call_b', description: 'Find the 2025 filings' })),
    ]);
    expect([...labels]).toEqual([
      ['call_a', 'Compare Acme and Borealis'],
      ['call_b', 'Find the 2025 filings'],
    ]);
  });

  it('leaves a task without a description to its id', () => {
    expect(taskDescriptions([start('started', { task_id: 'call_c' }), start({ task_id: 'call_d', description: '' })]).size).toBe(0);
  });
});
