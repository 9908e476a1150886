import { describe, expect, it } from 'vitest';
import type { Selection } from './selection.ts';
import { historyStep, noSelection, parseHash, toHash } from './selection.ts';

describe('selection hash', () => {
  it('round-trips what is open', () => {
    const selection: Selection = { ...noSelection, threadId: 'thread-1', tab: 'trace', runId: 'run 2', eventSeq: 42 };
    expect(parseHash(toHash(selection))).toEqual(selection);
    expect(toHash(noSelection)).toBe('');
    expect(parseHash('')).toEqual(noSelection);
  });

  it('round-trips trace filters and message toggles', () => {
    const selection: Selection = {
      ...noSelection,
      threadId: 't',
      tab: 'trace',
      traceFilter: { categories: ['trace', 'a,b&c'], eventTypes: ['llm.error', 'middleware:todo'], taskId: 'call_1' },
      visibility: { hidden: true, middleware: false, subagent: false },
    };
    expect(parseHash(toHash(selection))).toEqual(selection);
  });

  it("round-trips the trace's timeline view, written only when it is not the table", () => {
    const selection: Selection = { ...noSelection, threadId: 't', tab: 'trace', traceMode: 'timeline' };
    expect(toHash(selection)).toBe('#thread=t&tab=trace&view=timeline');
    expect(parseHash(toHash(selection))).toEqual(selection);
    expect(toHash({ ...selection, traceMode: 'events' })).toBe('#thread=t&tab=trace');
  });

  it('round-trips the two runs the compare tab shows, of two threads, ids with colons included; a half-named pair is none', () => {
    const selection: Selection = { ...noSelection, threadId: 't1', tab: 'compare', compare: { a: { threadId: 't1', runId: 'r1' }, b: { threadId: 'urn:t:2', runId: 'r 9' } } };
    expect(toHash(selection)).toBe('#thread=t1&tab=compare&a=t1%3Ar1&b=urn%253At%253A2%3Ar%25209');
    expect(parseHash(toHash(selection))).toEqual(selection);
    expect(parseHash('#thread=t1&tab=compare&a=t1:r1').compare).toBeNull();
    expect(parseHash('#thread=t1&tab=compare&a=t1:r1&b=t2').compare).toBeNull();
  });

  it('writes only the toggles that differ from the defaults', () => {
    expect(toHash({ ...noSelection, threadId: 't' })).toBe('#thread=t');
    expect(toHash({ ...noSelection, threadId: 't', visibility: { hidden: true, middleware: false, subagent: false } })).toBe('#thread=t&hidden=1&subagent=0');
  });

  it('ignores values it does not understand', () => {
    expect(parseHash('#thread=t&tab=bogus&event=-3&hidden=yes&category=&view=gantt')).toEqual({ ...noSelection, threadId: 't' });
  });
});

describe('history keys and buttons', () => {
  const key = (key: string, mods: Partial<{ altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }> = {}) =>
    historyStep({ kind: 'key', key, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...mods });

  it('steps back and forward on Alt+arrows only', () => {
    expect(key('ArrowLeft', { altKey: true })).toBe(-1);
    expect(key('ArrowRight', { altKey: true })).toBe(1);
    expect(key('ArrowLeft')).toBeNull();
    expect(key('ArrowLeft', { altKey: true, shiftKey: true })).toBeNull();
    expect(key('ArrowUp', { altKey: true })).toBeNull();
  });

  it('steps on the mouse side buttons', () => {
    expect(historyStep({ kind: 'mouse', button: 3 })).toBe(-1);
    expect(historyStep({ kind: 'mouse', button: 4 })).toBe(1);
    expect(historyStep({ kind: 'mouse', button: 0 })).toBeNull();
    expect(historyStep({ kind: 'mouse', button: 2 })).toBeNull();
  });
});
