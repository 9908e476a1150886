import { describe, expect, it } from 'vitest';
import type { JsonValue, RunEvent } from '../../src-shared/types.ts';
import { buildRows, concealedCounts, defaultVisibility, pairTools } from './timeline-rows.ts';

let seq = 0;
const msg = (run_id: string, content: JsonValue, metadata: RunEvent['metadata'] = {}): RunEvent => ({
  thread_id: 't',
  run_id,
  seq: ++seq,
  event_type: 'llm.ai.response',
  category: 'message',
  content,
  metadata,
  created_at: '2026-04-04T00:00:00+00:00',
});

describe('timeline rows', () => {
  const events = [
    msg('r1', 'a'),
    msg('r1', { type: 'ai', content: 'secret', additional_kwargs: { hide_from_ui: true } }),
    msg('r2', 'b', { caller: 'middleware:title' }),
    msg('r2', 'c', { caller: 'subagent:research' }),
  ];

  it('puts a boundary before each run and hides what the toggles conceal', () => {
    const rows = buildRows(events, false, defaultVisibility);
    expect(rows.map((r) => (r.kind === 'run' ? `run ${r.runId}` : r.key))).toEqual(['run r1', events[0].seq, 'run r2', events[3].seq]);
    const all = buildRows(events, false, { hidden: true, middleware: true, subagent: true });
    expect(all.filter((r) => r.kind === 'message')).toHaveLength(4);
  });

  it('does not claim a run starts at the top while older messages may exist', () => {
    expect(buildRows(events, true, defaultVisibility)[0].kind).toBe('message');
  });

  it('keeps row keys stable as older rows arrive', () => {
    const before = buildRows(events.slice(2), true, defaultVisibility).map((r) => r.key);
    const after = buildRows(events, false, defaultVisibility).map((r) => r.key);
    expect(after.slice(-before.length)).toEqual(before);
  });

  it('counts what each toggle answers for', () => {
    expect(concealedCounts(events)).toEqual({ hidden: 1, middleware: 1, subagent: 1 });
  });

  it('shows a hidden middleware message when either toggle asks for it', () => {
    const titled = [msg('r3', { type: 'ai', content: 'title', additional_kwargs: { hide_from_ui: true } }, { caller: 'middleware:title' })];
    const shown = (visibility: typeof defaultVisibility) => buildRows(titled, true, visibility).length;
    expect(shown(defaultVisibility)).toBe(0);
    expect(shown({ ...defaultVisibility, middleware: true })).toBe(1);
    expect(shown({ ...defaultVisibility, hidden: true })).toBe(1);
    expect(concealedCounts(titled)).toEqual({ hidden: 1, middleware: 1, subagent: 0 });
  });

  it('pairs tool calls with their results', () => {
    const call = msg('r1', { type: 'ai', content: '', tool_calls: [{ id: 'c1', name: 'search', args: {} }] });
    const result = msg('r1', { type: 'tool', content: 'found', tool_call_id: 'c1' });
    const pairs = pairTools([call, result]);
    expect(pairs.results.get('c1')).toBe(result);
    expect(pairs.calls.get('c1')).toBe(call);
  });
});
