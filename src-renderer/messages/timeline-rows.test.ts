import { describe, expect, it } from 'vitest';
import type { JsonValue, RunEvent, RunSummary } from '../../src-shared/types.ts';
import { buildRows, concealedCounts, defaultVisibility, pairTools, revealing } from './timeline-rows.ts';

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

/** A window of loaded messages: `older` / `newer` say whether more can load on that side. */
const win = (events: RunEvent[], { older = false, newer = false } = {}) => ({ events, hasOlder: older, hasNewer: newer });

describe('timeline rows', () => {
  const events = [
    msg('r1', 'a'),
    msg('r1', { type: 'ai', content: 'secret', additional_kwargs: { hide_from_ui: true } }),
    msg('r2', 'b', { caller: 'middleware:title' }),
    msg('r2', 'c', { caller: 'subagent:research' }),
  ];

  it('puts a boundary before each run and hides what the toggles conceal', () => {
    const rows = buildRows(win(events), defaultVisibility);
    expect(rows.map((r) => (r.kind === 'run' ? `run ${r.runId}` : r.key))).toEqual(['run r1', events[0].seq, 'run r2', events[3].seq]);
    const all = buildRows(win(events), { hidden: true, middleware: true, subagent: true });
    expect(all.filter((r) => r.kind === 'message')).toHaveLength(4);
  });

  it('does not claim a run starts at the top while older messages may exist', () => {
    expect(buildRows(win(events, { older: true }), defaultVisibility)[0].kind).toBe('message');
  });

  it('keeps row keys stable as older rows arrive', () => {
    const before = buildRows(win(events.slice(2), { older: true }), defaultVisibility).map((r) => r.key);
    const after = buildRows(win(events), defaultVisibility).map((r) => r.key);
    expect(after.slice(-before.length)).toEqual(before);
  });

  it('counts what each toggle answers for', () => {
    expect(concealedCounts(events)).toEqual({ hidden: 1, middleware: 1, subagent: 1 });
  });

  it('shows a hidden middleware message when either toggle asks for it', () => {
    const titled = [msg('r3', { type: 'ai', content: 'title', additional_kwargs: { hide_from_ui: true } }, { caller: 'middleware:title' })];
    const shown = (visibility: typeof defaultVisibility) => buildRows(win(titled, { older: true }), visibility).length;
    expect(shown(defaultVisibility)).toBe(0);
    expect(shown({ ...defaultVisibility, middleware: true })).toBe(1);
    expect(shown({ ...defaultVisibility, hidden: true })).toBe(1);
    expect(concealedCounts(titled)).toEqual({ hidden: 1, middleware: 1, subagent: 0 });
  });

  it('turns on a toggle that shows a concealed message sought, and changes nothing for one shown', () => {
    const [shown, hidden, middleware, subagent] = events;
    expect(revealing(hidden, defaultVisibility)).toEqual({ ...defaultVisibility, hidden: true });
    expect(revealing(middleware, defaultVisibility)).toEqual({ ...defaultVisibility, middleware: true });
    expect(revealing(subagent, { ...defaultVisibility, subagent: false })).toEqual(defaultVisibility);
    expect(revealing(shown, defaultVisibility)).toBeNull();
    expect(revealing(hidden, { ...defaultVisibility, hidden: true })).toBeNull();
  });

  it('pairs tool calls with their results', () => {
    const call = msg('r1', { type: 'ai', content: '', tool_calls: [{ id: 'c1', name: 'search', args: {} }] });
    const result = msg('r1', { type: 'tool', content: 'found', tool_call_id: 'c1' });
    const pairs = pairTools([call, result]);
    expect(pairs.results.get('c1')).toBe(result);
    expect(pairs.calls.get('c1')).toBe(call);
  });
});

describe('timeline rows of runs without messages', () => {
  // Messages at seqs 2, 3 (run a) and 8, 9 (run b); runs q, r, s, t recorded trace events only.
  const at = (s: number, run_id: string, created_at = `2026-04-04T00:00:0${s}+00:00`): RunEvent => ({ ...msg(run_id, `m${s}`), seq: s, created_at });
  const messages = [at(2, 'a'), at(3, 'a'), at(8, 'b'), at(9, 'b')];
  const run = (run_id: string, first_seq: number | null, first_created_at: string | null = null): RunSummary => ({
    run_id,
    message_count: 0,
    event_count: 4,
    first_created_at,
    last_created_at: first_created_at,
    first_seq,
    last_seq: first_seq === null ? null : first_seq + 3,
  });
  const withMessages = (run_id: string): RunSummary => ({ ...run(run_id, 1), message_count: 2 });
  const runs = [withMessages('a'), withMessages('b'), run('q', 1), run('r', 4), run('s', 10), run('t', null, '2026-04-04T00:00:05+00:00')];
  const labels = (rows: ReturnType<typeof buildRows>) => rows.map((r) => (r.kind === 'run' ? `${r.hasMessages ? 'run' : 'silent'} ${r.runId}` : r.key));

  it('places each by its seqs, else by the time of its first event, among the messages', () => {
    expect(labels(buildRows(win(messages), defaultVisibility, runs))).toEqual(['silent q', 'run a', 2, 3, 'silent r', 'silent t', 'run b', 8, 9, 'silent s']);
  });

  it('shows a boundary for each run of a thread with no messages at all, in order', () => {
    expect(labels(buildRows(win([]), defaultVisibility, [run('s', 10), run('q', 1)]))).toEqual(['silent q', 'silent s']);
  });

  it('places only the runs inside the loaded window: before it or after it only when nothing more is left there', () => {
    expect(labels(buildRows(win(messages, { older: true }), defaultVisibility, runs))).toEqual([2, 3, 'silent r', 'silent t', 'run b', 8, 9, 'silent s']);
    expect(labels(buildRows(win(messages, { newer: true }), defaultVisibility, runs))).toEqual(['silent q', 'run a', 2, 3, 'silent r', 'silent t', 'run b', 8, 9]);
    expect(labels(buildRows(win([], { older: true }), defaultVisibility, runs))).toEqual([]);
  });

  it('starts the run of the messages after it again with a boundary', () => {
    const interleaved = [at(2, 'a'), at(6, 'a')];
    expect(labels(buildRows(win(interleaved), defaultVisibility, [run('r', 4)]))).toEqual(['run a', 2, 'silent r', 'run a', 6]);
  });

  it('keeps its boundary when the toggles hide every message around it', () => {
    const hidden = [{ ...at(2, 'a'), metadata: { caller: 'middleware:title' } }];
    expect(labels(buildRows(win(hidden), defaultVisibility, [run('r', 4)]))).toEqual(['run a', 'silent r']);
  });
});
