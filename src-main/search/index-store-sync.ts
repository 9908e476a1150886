// Brings the search index of a JSONL source (a layout folder or an export
// file) or a PostgreSQL one up to date from the store the session has open
// (issue 10): the store already holds every event (JSONL, which re-reads only
// appended or rewritten files) or reads them on the server, so the index asks
// it. A thread's runs are listed only when its version — counts and time
// span, which an append, a delete or a rewrite changes — differs from the
// one it had when all its runs were last indexed: after one append a sync
// lists the runs of that thread, not of every thread (on PostgreSQL each
// listRuns is three queries). A run is read again only when its version —
// count, seq range and time span — differs from the one indexed; then the
// events it gained are added and the ones it lost removed. Runs and threads
// gone from the store lose their events.
import type { InspectorStore, RunEvent, RunSummary, ThreadSummary } from '../../src-shared/types.ts';
import { indexDoc } from './index-doc.ts';
import type { SyncOptions } from './index-sqlite-sync.ts';
import { eventsOfRun, eventTotal } from './run-events.ts';
import type { Sidecar } from './sidecar-file.ts';

const runVersionOf = (run: RunSummary) => [run.event_count, run.first_seq, run.last_seq, run.first_created_at, run.last_created_at].join('|');

/**
 * What the thread looked like, from its summary alone: a superset of what the
 * source's watch compares (index-source-watch.ts), so a change that starts a
 * sync is a change of some thread's version.
 */
const threadVersionOf = (thread: ThreadSummary) =>
  [thread.event_count, thread.message_count, thread.run_count, thread.first_created_at, thread.last_created_at].join('|');

/**
 * The version of a thread or run whose events are being changed, which no
 * summary has: one stopped halfway is read again at the next sync, even when
 * the source went back to what it was, and its leftovers compared or removed.
 */
const UNFINISHED = '';

/** A write of the sync, given what its last transaction also does (the thread's version, when it is the thread's last write). */
type Write = (alsoInside?: () => void) => Promise<void>;

/** Writes in batches of `batchSize`, `first` inside the first transaction and `last` inside the last. */
interface Marks {
  first: () => void;
  last: () => void;
}

class StoreSync {
  private readonly store: InspectorStore;
  private readonly sidecar: Sidecar;
  private readonly options: SyncOptions;
  private readonly total: number;
  /** Events added since progress was last reported. */
  private pending = 0;

  constructor(store: InspectorStore, sidecar: Sidecar, options: SyncOptions, total: number) {
    this.store = store;
    this.sidecar = sidecar;
    this.options = options;
    this.total = total;
  }

  report(): void {
    this.options.onProgress?.({ indexed: this.sidecar.indexed(), total: Math.max(this.total, this.sidecar.indexed()) });
  }

  /** Every change of one thread, its version written with the last of them: a sync stopped before then reads the thread again. */
  async syncThread(thread: ThreadSummary, indexedRuns: ReadonlyMap<string, string>, wasIndexed: boolean): Promise<void> {
    const threadId = thread.thread_id;
    const runs = thread.event_count === 0 ? [] : await this.store.listRuns(threadId);
    const listed = new Set(runs.map((run) => run.run_id));
    const writes: Write[] = [
      ...[...indexedRuns.keys()].filter((runId) => !listed.has(runId)).map((runId): Write => (alsoInside) => this.removeRun(threadId, runId, alsoInside)),
      ...runs.filter((run) => indexedRuns.get(run.run_id) !== runVersionOf(run)).map((run): Write => (alsoInside) => this.indexRun(threadId, run, alsoInside)),
    ];
    const setVersion = () => this.sidecar.setThreadVersion(threadId, threadVersionOf(thread));
    if (writes.length === 0) this.sidecar.apply([], [], setVersion);
    else if (wasIndexed) this.sidecar.apply([], [], () => this.sidecar.setThreadVersion(threadId, UNFINISHED));
    for (const [i, write] of writes.entries()) {
      this.options.signal?.throwIfAborted();
      await write(i === writes.length - 1 ? setVersion : undefined);
    }
  }

  /** A thread no longer listed: its events, its runs' versions and its own. */
  removeThread(threadId: string, indexedRuns: ReadonlyMap<string, string>): Promise<void> {
    const setVersions = (version: string | null) => () => {
      for (const runId of indexedRuns.keys()) this.sidecar.setRunVersion(threadId, runId, version);
      this.sidecar.setThreadVersion(threadId, version);
    };
    return this.inBatches([], this.sidecar.keysOfThread(threadId).map((doc) => doc.id), { first: setVersions(UNFINISHED), last: setVersions(null) });
  }

  private removeRun(threadId: string, runId: string, alsoInside?: () => void): Promise<void> {
    const ids = this.sidecar.keysOfRun(threadId, runId).map((doc) => doc.id);
    return this.inBatches([], ids, this.runMarks(threadId, runId, null, alsoInside));
  }

  private async indexRun(threadId: string, run: RunSummary, alsoInside?: () => void): Promise<void> {
    const events: RunEvent[] = [];
    for await (const event of eventsOfRun(this.store, threadId, run.run_id)) events.push(event);
    const known = new Map(this.sidecar.keysOfRun(threadId, run.run_id).map((doc) => [doc.seq, doc.id]));
    const seqs = new Set(events.map((event) => event.seq));
    const remove = [...known].filter(([seq]) => !seqs.has(seq)).map(([, id]) => id);
    const add = events.filter((event) => !known.has(event.seq));
    await this.inBatches(add, remove, this.runMarks(threadId, run.run_id, runVersionOf(run), alsoInside));
  }

  /** A long run goes in several transactions, unfinished until the last writes its version: a stop halfway reads it again. */
  private runMarks(threadId: string, runId: string, version: string | null, alsoInside?: () => void): Marks {
    return {
      first: () => this.sidecar.setRunVersion(threadId, runId, UNFINISHED),
      last: () => {
        this.sidecar.setRunVersion(threadId, runId, version);
        alsoInside?.();
      },
    };
  }

  /** Removals, then additions, at most batchSize rows a transaction (none is one long task), with a turn between every batchSize rows. */
  private async inBatches(add: readonly RunEvent[], remove: readonly number[], marks: Marks): Promise<void> {
    const { batchSize } = this.options;
    const steps: { events: readonly RunEvent[]; ids: readonly number[] }[] = [];
    for (let start = 0; start < remove.length; start += batchSize) steps.push({ events: [], ids: remove.slice(start, start + batchSize) });
    for (let start = 0; start < add.length; start += batchSize) steps.push({ events: add.slice(start, start + batchSize), ids: [] });
    if (steps.length === 0) steps.push({ events: [], ids: [] });
    for (const [i, { events, ids }] of steps.entries()) {
      if (i > 0) this.options.signal?.throwIfAborted();
      const docs = events.map((event) => indexDoc(event));
      this.sidecar.apply(docs, ids, () => {
        if (i === 0 && steps.length > 1) marks.first();
        if (i === steps.length - 1) marks.last();
      });
      this.pending += docs.length + ids.length;
      if (this.pending >= batchSize) {
        this.report();
        this.pending = 0;
        await this.options.pause?.();
      }
    }
  }
}

/** `listed`: the store's thread list, when the caller just took it (the session's engine, which also versions the source by it). */
export async function syncStoreIndex(store: InspectorStore, sidecar: Sidecar, options: SyncOptions, listed?: ThreadSummary[]): Promise<void> {
  const indexedThreads = sidecar.threadVersions();
  const indexedRuns = sidecar.runVersions();
  const threads = listed ?? (await store.listThreads());
  const sync = new StoreSync(store, sidecar, options, eventTotal(threads));
  const noRuns = new Map<string, string>();
  for (const thread of threads) {
    options.signal?.throwIfAborted();
    const runs = indexedRuns.get(thread.thread_id) ?? noRuns;
    const indexed = indexedThreads.get(thread.thread_id);
    if (indexed !== threadVersionOf(thread)) await sync.syncThread(thread, runs, indexed !== undefined);
    indexedRuns.delete(thread.thread_id);
    indexedThreads.delete(thread.thread_id);
  }
  for (const threadId of new Set([...indexedRuns.keys(), ...indexedThreads.keys()])) {
    options.signal?.throwIfAborted();
    await sync.removeThread(threadId, indexedRuns.get(threadId) ?? noRuns);
  }
  sync.report();
}
