import { describe, expect, it } from 'vitest';
import type { StoreChanged } from '../../src-shared/contract.ts';
import { covers, FLUSH_MS, LiveFollow, mergeChanges } from './live-follow.ts';

/** A clock the test moves by hand. */
function manualClock() {
  let now = 0;
  let timers: { at: number; run: () => void }[] = [];
  return {
    now: () => now,
    after: (ms: number, run: () => void) => {
      const timer = { at: now + ms, run };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
    advance(ms: number) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const timer of due) timer.run();
    },
  };
}

function setup(startOn = true) {
  const clock = manualClock();
  const stored: boolean[] = [];
  const live = new LiveFollow(clock, { read: () => startOn, write: (on) => stored.push(on) });
  const heard: StoreChanged[] = [];
  live.listen((change) => heard.push(change));
  return { clock, live, heard, stored };
}

describe('mergeChanges and covers', () => {
  it('merges thread ids without repeats, and anything with null into null', () => {
    expect(mergeChanges({ threadIds: ['a', 'b'] }, { threadIds: ['b', 'c'] })).toEqual({ threadIds: ['a', 'b', 'c'] });
    expect(mergeChanges({ threadIds: ['a'] }, { threadIds: null })).toEqual({ threadIds: null });
  });
  it('a change covers another when it names all of its threads, or everything', () => {
    expect(covers({ threadIds: ['a', 'b'] }, { threadIds: ['a'] })).toBe(true);
    expect(covers({ threadIds: ['a'] }, { threadIds: ['a', 'b'] })).toBe(false);
    expect(covers({ threadIds: ['a'] }, { threadIds: null })).toBe(false);
    expect(covers({ threadIds: null }, { threadIds: null })).toBe(true);
  });
});

describe('LiveFollow', () => {
  it('hands a burst of pushes on as one merged change, then at most one per FLUSH_MS', () => {
    const { clock, live, heard } = setup();
    live.pushed({ threadIds: ['a'] });
    live.pushed({ threadIds: ['b'] });
    expect(heard).toEqual([]);
    clock.advance(0);
    expect(heard).toEqual([{ threadIds: ['a', 'b'] }]);
    live.pushed({ threadIds: ['c'] });
    clock.advance(FLUSH_MS - 1);
    expect(heard).toHaveLength(1);
    live.pushed({ threadIds: ['a'] });
    clock.advance(1);
    expect(heard).toEqual([{ threadIds: ['a', 'b'] }, { threadIds: ['c', 'a'] }]);
  });

  it('hands the page\'s own change on at once', () => {
    const { live, heard } = setup();
    live.local({ threadIds: ['a'] });
    expect(heard).toEqual([{ threadIds: ['a'] }]);
  });

  it('paused, counts the pushes instead of handing them on, and applies them merged when on again', () => {
    const { clock, live, heard, stored } = setup();
    live.setOn(false);
    live.pushed({ threadIds: ['a'] });
    live.pushed({ threadIds: ['b'] });
    clock.advance(FLUSH_MS * 4);
    expect(heard).toEqual([]);
    expect(live.snapshot()).toEqual({ on: false, waiting: 2 });
    live.setOn(true);
    expect(heard).toEqual([{ threadIds: ['a', 'b'] }]);
    expect(live.snapshot()).toEqual({ on: true, waiting: 0 });
    expect(stored).toEqual([false, true]);
  });

  it('pausing keeps a merged change that was about to be handed on, as one waiting', () => {
    const { clock, live, heard } = setup();
    live.pushed({ threadIds: ['a'] });
    live.setOn(false);
    clock.advance(FLUSH_MS);
    expect(heard).toEqual([]);
    expect(live.snapshot().waiting).toBe(1);
  });

  it('paused, the page\'s own delete applies at once and makes the waiting changes it covers (main\'s echo) moot', () => {
    const { live, heard } = setup();
    live.setOn(false);
    live.pushed({ threadIds: ['b'] });
    live.pushed({ threadIds: ['a'] });
    live.local({ threadIds: ['a'] });
    expect(heard).toEqual([{ threadIds: ['a'] }]);
    expect(live.snapshot().waiting).toBe(1);
  });

  it('paused, one echo arriving after the page\'s own change is not counted; a later push for the thread is', () => {
    const { live } = setup();
    live.setOn(false);
    live.local({ threadIds: ['a'] });
    live.pushed({ threadIds: ['a'] });
    expect(live.snapshot().waiting).toBe(0);
    live.pushed({ threadIds: ['a'] });
    expect(live.snapshot().waiting).toBe(1);
  });

  it("Live, an echo of the page's own change is used up, so a push from elsewhere after pausing is counted", () => {
    const { clock, live, heard } = setup();
    live.local({ threadIds: ['a'] });
    live.pushed({ threadIds: ['a'] });
    clock.advance(FLUSH_MS);
    expect(heard).toEqual([{ threadIds: ['a'] }, { threadIds: ['a'] }]);
    live.setOn(false);
    live.pushed({ threadIds: ['a'] });
    expect(live.snapshot().waiting).toBe(1);
  });

  it("Live, main's push of the page's own change arriving before the page's call leaves no echo to swallow a later push once paused", () => {
    const { clock, live } = setup();
    live.pushed({ threadIds: ['a'] });
    live.local({ threadIds: ['a'] });
    clock.advance(FLUSH_MS);
    live.setOn(false);
    live.pushed({ threadIds: ['a'] });
    expect(live.snapshot().waiting).toBe(1);
  });

  it('paused, a Reload (which main does not push back) leaves no echo: the next push from elsewhere is counted', () => {
    const { live, heard } = setup();
    live.setOn(false);
    live.local({ threadIds: null }, { echoed: false });
    expect(heard).toEqual([{ threadIds: null }]);
    live.pushed({ threadIds: ['b'] });
    expect(live.snapshot().waiting).toBe(1);
  });

  it("paused, the echoes of two changes of the page's own in a row are both expected", () => {
    const { live } = setup();
    live.setOn(false);
    live.local({ threadIds: ['a'] });
    live.local({ threadIds: ['b'] });
    live.pushed({ threadIds: ['a'] });
    live.pushed({ threadIds: ['b'] });
    expect(live.snapshot().waiting).toBe(0);
    live.pushed({ threadIds: ['a'] });
    expect(live.snapshot().waiting).toBe(1);
  });

  it('an echo expected too long ago is a change from elsewhere', () => {
    const { clock, live } = setup();
    live.setOn(false);
    live.local({ threadIds: ['a'] });
    clock.advance(5_001);
    live.pushed({ threadIds: ['a'] });
    expect(live.snapshot().waiting).toBe(1);
  });

  it('starts as the session remembered it', () => {
    const { live } = setup(false);
    expect(live.snapshot()).toEqual({ on: false, waiting: 0 });
  });

  it('keeps the same snapshot until something changes', () => {
    const { live } = setup();
    const first = live.snapshot();
    live.pushed({ threadIds: ['a'] });
    expect(live.snapshot()).toBe(first);
  });
});
