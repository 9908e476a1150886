// Following what other processes write to the open source. Main pushes
// store:changed after every commit it sees; this gate decides when the views
// hear of it: while Live is on, pushes are merged and handed on at most once
// per FLUSH_MS (a writer committing 200 times a second costs the page four
// refreshes a second, not 200); while it is off they wait, counted, until it
// is on again. The page's own changes (a delete, an open) always go through
// at once, and a refresh they cause makes the waiting changes it covers moot.
import type { StoreChanged } from '../../src-shared/contract.ts';

export const FLUSH_MS = 250;
/** How long a push that repeats the page's own change (main's echo of a delete) is expected after it. */
const ECHO_MS = 5_000;

export interface LiveState {
  on: boolean;
  /** Changes pushed while paused, not yet applied. */
  waiting: number;
}

export interface LiveClock {
  now: () => number;
  /** Runs `run` after `ms`; returns the cancel. */
  after: (ms: number, run: () => void) => () => void;
}

type Listener = (change: StoreChanged) => void;

/** One change covering both: every thread either names, or everything. */
export function mergeChanges(a: StoreChanged, b: StoreChanged): StoreChanged {
  if (a.threadIds === null || b.threadIds === null) return { threadIds: null };
  return { threadIds: [...new Set([...a.threadIds, ...b.threadIds])] };
}

/** Whether a refresh after `wide` has already read everything `narrow` changed. */
export function covers(wide: StoreChanged, narrow: StoreChanged): boolean {
  if (wide.threadIds === null) return true;
  const ids = wide.threadIds;
  return narrow.threadIds !== null && narrow.threadIds.every((id) => ids.includes(id));
}

export class LiveFollow {
  private on: boolean;
  private waiting: StoreChanged[] = [];
  private queued: StoreChanged | null = null;
  private cancelFlush: (() => void) | null = null;
  private lastFlush = Number.NEGATIVE_INFINITY;
  /** The page's own changes whose push from main may still come, each until its deadline. */
  private echoes: { change: StoreChanged; until: number }[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly watchers = new Set<() => void>();
  private state: LiveState;
  private readonly clock: LiveClock;
  private readonly remember: { read: () => boolean; write: (on: boolean) => void };

  constructor(clock: LiveClock, remember: { read: () => boolean; write: (on: boolean) => void }) {
    this.clock = clock;
    this.remember = remember;
    this.on = remember.read();
    this.state = { on: this.on, waiting: 0 };
  }

  /** Hears every change the views should apply. */
  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hears the toggle's state change (useSyncExternalStore's subscribe). */
  watch = (watcher: () => void): (() => void) => {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  };

  /** The same object until the state changes (useSyncExternalStore's snapshot). */
  snapshot = (): LiveState => this.state;

  /** A change main pushed: another process's commit, or main's echo of the page's own. */
  pushed(change: StoreChanged): void {
    // Live, an echo is one more refresh, but it is used up all the same: left armed, it
    // would swallow another process's next push to those threads once paused.
    const echo = this.takeEcho(change);
    if (!this.on) {
      // Paused, an echo would count as a change from elsewhere.
      if (echo) return;
      this.waiting.push(change);
      this.publish();
      return;
    }
    this.queued = this.queued ? mergeChanges(this.queued, change) : change;
    if (!this.cancelFlush) this.cancelFlush = this.clock.after(Math.max(0, this.lastFlush + FLUSH_MS - this.clock.now()), () => this.flush());
  }

  /**
   * A change the page made itself: applied now, Live or not. `echoed`: main
   * pushes it back (a delete, an open), which a paused page must not count as
   * a change from elsewhere; the top bar's Reload is not pushed back.
   */
  local(change: StoreChanged, { echoed = true } = {}): void {
    const before = this.waiting.length;
    this.waiting = this.waiting.filter((waiting) => !covers(change, waiting));
    // Paused, main's push for this change came first (it was waiting) or is still on its way. Live, an
    // echo is one more refresh and none is expected: one left armed would swallow another process's
    // next push to those threads once paused.
    if (before !== this.waiting.length) this.publish();
    else if (echoed && !this.on) this.echoes.push({ change, until: this.clock.now() + ECHO_MS });
    this.deliver(change);
  }

  setOn(on: boolean): void {
    if (on === this.on) return;
    this.on = on;
    this.remember.write(on);
    if (on) {
      const waiting = this.waiting;
      this.waiting = [];
      this.echoes = [];
      this.publish();
      if (waiting.length > 0) this.deliver(waiting.reduce(mergeChanges));
      return;
    }
    if (this.queued) this.waiting.push(this.queued);
    this.queued = null;
    this.cancelFlush?.();
    this.cancelFlush = null;
    this.publish();
  }

  /** Whether `change` is the push expected after one of the page's own; that expectation is then used up. */
  private takeEcho(change: StoreChanged): boolean {
    const now = this.clock.now();
    this.echoes = this.echoes.filter((echo) => echo.until >= now);
    const index = this.echoes.findIndex((echo) => covers(echo.change, change));
    if (index < 0) return false;
    this.echoes.splice(index, 1);
    return true;
  }

  private flush(): void {
    this.cancelFlush = null;
    const change = this.queued;
    this.queued = null;
    this.lastFlush = this.clock.now();
    if (change) this.deliver(change);
  }

  private deliver(change: StoreChanged): void {
    for (const listener of [...this.listeners]) listener(change);
  }

  private publish(): void {
    this.state = { on: this.on, waiting: this.waiting.length };
    for (const watcher of [...this.watchers]) watcher();
  }
}
