// What a session pushes while it follows a source another process writes:
// each store:changed with the time it was pushed, and a wait for the next
// one that names a thread (with a deadline, never a fixed sleep).
import { Session } from '../../src-main/handlers/session.ts';
import { LiveWriterProcess } from './live-writer-process.ts';

export interface TimedPush {
  threadIds: string[] | null;
  /** ms since the epoch, fractional, on the same clock as the live writer's commit times. */
  at: number;
}

export class LivePushes {
  readonly pushes: TimedPush[] = [];
  private waiters: { accepts: (push: TimedPush) => boolean; resolve: (push: TimedPush) => void }[] = [];

  constructor(session: Session) {
    session.push.subscribe((event) => {
      if (event.channel !== 'store:changed') return;
      const push = { threadIds: event.message.threadIds, at: performance.timeOrigin + performance.now() };
      this.pushes.push(push);
      this.waiters = this.waiters.filter((waiter) => !(waiter.accepts(push) && (waiter.resolve(push), true)));
    });
  }

  /** The first push from now on that names `threadId` (or says everything changed, `threadId` null). */
  next(threadId: string | null, withinMs = 2000): Promise<TimedPush> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no store:changed for ${threadId ?? 'everything'} within ${withinMs} ms`)), withinMs);
      this.waiters.push({
        accepts: (push) => (threadId === null ? push.threadIds === null : (push.threadIds?.includes(threadId) ?? false)),
        resolve: (push) => {
          clearTimeout(timer);
          resolve(push);
        },
      });
    });
  }
}

/**
 * A page's session on `source` (browser mode, so it follows the source), what it pushes, and the live writer
 * on the same source, ready for commands. Close the writer, then the session.
 */
export async function startLiveSession(
  kind: 'sqlite' | 'jsonl',
  source: string,
  userDataDir: string,
): Promise<{ session: Session; pushes: LivePushes; writer: LiveWriterProcess }> {
  const session = await Session.create(source, { transport: 'browser', workerUrl: null, userDataDir });
  const pushes = new LivePushes(session);
  const writer = await LiveWriterProcess.start(kind, source);
  return { session, pushes, writer };
}

/** The timers and watches the process holds, by kind (what a follower left running would add to). */
export function liveHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) if (['Timeout', 'FSEvent'].includes(kind)) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/** The timers and watches held now beyond those held `before` (others' may have ended meanwhile): {} when none was left. */
export function handlesAddedSince(before: Record<string, number>): Record<string, number> {
  const added: Record<string, number> = {};
  for (const [kind, n] of Object.entries(liveHandles())) if (n > (before[kind] ?? 0)) added[kind] = n - (before[kind] ?? 0);
  return added;
}
