import { describe, expect, it } from 'vitest';
import { noSelection, parseHash, toHash } from './selection.ts';

describe('selection hash', () => {
  it('round-trips what is open', () => {
    const selection = { threadId: 'thread-1', tab: 'trace' as const, runId: 'run 2', eventSeq: 42 };
    expect(parseHash(toHash(selection))).toEqual(selection);
    expect(toHash(noSelection)).toBe('');
    expect(parseHash('')).toEqual(noSelection);
  });

  it('ignores values it does not understand', () => {
    expect(parseHash('#thread=t&tab=bogus&event=-3')).toEqual({ threadId: 't', tab: 'messages', runId: null, eventSeq: null });
  });
});
