import { describe, expect, it } from 'vitest';
import { jumpState, reachLimit } from './trace-jump.ts';

const loaded = [{ seq: 3 }, { seq: 5 }, { seq: 9 }];

describe('going to an event of the trace', () => {
  it('finds a loaded event by seq', () => {
    expect(jumpState(5, loaded, true)).toEqual({ state: 'found', index: 1 });
    expect(jumpState(null, loaded, true)).toEqual({ state: 'none' });
  });

  it('reaches for an event beyond the loaded pages while there are more', () => {
    expect(jumpState(40, loaded, true)).toEqual({ state: 'reaching' });
    expect(jumpState(40, loaded, false)).toEqual({ state: 'absent' });
    // a gap in the loaded seqs is another run's event or a filtered one: loading more cannot bring it
    expect(jumpState(4, loaded, true)).toEqual({ state: 'absent' });
  });

  it('knows from the run’s seq range that an event is not in it', () => {
    expect(jumpState(40, loaded, true, { first_seq: 3, last_seq: 30 })).toEqual({ state: 'absent' });
    expect(jumpState(1, [], false, { first_seq: 3, last_seq: 30 })).toEqual({ state: 'absent' });
    expect(jumpState(20, loaded, true, { first_seq: 3, last_seq: 30 })).toEqual({ state: 'reaching' });
    expect(jumpState(20, loaded, true, { first_seq: null, last_seq: null })).toEqual({ state: 'reaching' });
  });

  it('asks for as many rows as lie between, within bounds', () => {
    expect(reachLimit(600, 500, 500, 5000)).toBe(500);
    expect(reachLimit(3_000, 500, 500, 5000)).toBe(2_500);
    expect(reachLimit(90_000, 500, 500, 5000)).toBe(5_000);
  });
});
