// The page's reads that can take long on a big store (issue 14, "The main
// process never blocks": a thread list, a 16,000-run thread's runs, a big
// thread's counts and overview, a run's anatomy), each by name: the read
// worker answers them on a connection of its own, the session in-process
// where no worker reads. What crosses to the worker and back is here too.
import type { ParamsOf, ResultOf } from '../../src-shared/contract.ts';
import type { ErrorCode } from '../../src-shared/errors.ts';
import type { InspectorStore } from '../../src-shared/types.ts';
import { runAnatomy } from '../anatomy/run-anatomy.ts';
import type { SideRowsRemoved } from '../live/follower.ts';

export type ReadMethod = 'listThreads' | 'listRuns' | 'eventCounts' | 'threadOverview' | 'runSummary';

type Reads = { [M in ReadMethod]: (store: InspectorStore, params: ParamsOf<M>) => Promise<ResultOf<M>> };

const reads: Reads = {
  listThreads: (store) => store.listThreads(),
  listRuns: (store, { threadId }) => store.listRuns(threadId),
  eventCounts: (store, { threadId, runId }) => store.eventCounts(threadId, runId),
  threadOverview: (store, { threadId, buckets, marks }) => store.threadOverview(threadId, buckets, { marks }),
  runSummary: (store, { threadId, runId }) => runAnatomy(store, threadId, runId),
};

/** `method` of `store`, with `params` as the contract parsed them. */
export function readFrom<M extends ReadMethod>(store: InspectorStore, method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
  return (reads[method] as (store: InspectorStore, params: ParamsOf<M>) => Promise<ResultOf<M>>)(store, params);
}

/** What the read worker is started with (workerData's `reads`). */
export interface ReadWorkerSpec {
  /** The SQLite database (absolute), opened read-only. */
  source: string;
  /** Where what the app keeps of a source lives when it cannot live beside it (thread-summary.ts). */
  userDataDir: string;
  /** Follow the database's commits by other connections (live/database-follower.ts) there, telling the session. */
  follow: boolean;
}

export type ToReadWorker =
  | { type: 'read'; id: number; method: ReadMethod; params: unknown }
  /** The app, or another process, changed these threads (null: any): kept figures of them are read again. */
  | { type: 'expire'; threadIds: string[] | null }
  // The follower's side (SourceFollower): the app's own write taken in; checks held while the app writes, until released.
  | { type: 'absorb'; threadIds: string[] | null; removed?: SideRowsRemoved }
  | { type: 'hold'; id: number }
  | { type: 'release'; id: number }
  /** The answer to `replaced`: whether the session opened the new file (else it is told again). */
  | { type: 'reopened'; ok: boolean };

export type FromReadWorker =
  /** The source is open there: reads are answered from now on. */
  | { type: 'ready' }
  /** The follower took its first look (after the first reads: at 10M events that look takes seconds). */
  | { type: 'following' }
  /** The answer's JSON, serialised there once (UTF-8, in shared memory: not copied): this thread never takes in the objects. */
  | { type: 'answer'; id: number; json: Uint8Array }
  | { type: 'failed'; id: number; code: ErrorCode; message: string }
  /** The source could not be opened there: every read stays in the session's process. */
  | { type: 'unusable'; message: string }
  /** The overview marks pass at open is over (found, or given up: the strips then read their own rows). */
  | { type: 'marked' }
  // The follower's (FollowerEvents): another process changed these threads; another file is at the path; a hold is in place.
  | { type: 'changed'; threadIds: string[] | null }
  | { type: 'replaced' }
  | { type: 'held'; id: number };
