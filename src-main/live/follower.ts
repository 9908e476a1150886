// What following a source (issue 12, "Live tail") tells the session, and
// what the session tells a follower back.

export interface FollowerEvents {
  /** Another process changed these threads (null: which ones is not known, so everything). */
  onChanged(threadIds: string[] | null): void;
  /**
   * Another file is now at the source's path: the session opens it again.
   * A rejection (the file cannot be opened yet) is told again at the next check.
   */
  onReplaced(): Promise<void> | void;
}

/** Rows the app's own write deleted from DeerFlow's side tables (a DeerFlow-style delete's), by table. */
export interface SideRowsRemoved {
  runs: number;
  threads_meta: number;
}

export interface SourceFollower {
  /**
   * The app's own write, which the session has already announced for
   * `threadIds` (null: everything): the follower takes it in now, so its
   * next check does not announce it again, and announces only what other
   * writers changed meanwhile. `removed`: the side tables' rows it deleted,
   * which a follower that counts their rows could not tell from another's.
   */
  absorb(threadIds: string[] | null, removed?: SideRowsRemoved): void;
  /**
   * Holds the follower's checks while the app writes (a delete here, or a big one in the job worker),
   * until the returned release is called, once the session has announced the write itself (absorb): a
   * check between the two would announce it as another process's, a second time. A follower in another
   * thread (the read worker's) holds once it has heard, when the promise resolves.
   */
  hold?(): (() => void) | Promise<() => void>;
  /** Ends every timer and watch: the process can exit. */
  stop(): void;
}

/**
 * Tells `events` that another file is at the path, one telling at a time: while one is under way, `busy`
 * is true and the follower checks nothing. `opened` runs once the session has opened the new file; a
 * rejection leaves it to the follower's next check to tell again.
 */
export class ReplacementTeller {
  private readonly events: FollowerEvents;
  busy = false;

  constructor(events: FollowerEvents) {
    this.events = events;
  }

  tell(opened: () => void): void {
    this.busy = true;
    Promise.resolve()
      .then(() => this.events.onReplaced())
      .then(opened, () => {})
      .finally(() => (this.busy = false));
  }
}
