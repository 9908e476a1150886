// Brings the search index of a JSONL source (a layout folder or an export
// file) up to date from the store the session has open (issue 10): the store
// already holds every event and re-reads only appended or rewritten files, so
// the index asks it rather than the files. A run is read again only when its
// version — count, seq range and time span, all of which an append, a
// delete or a rewrite changes — differs from the one indexed; then the
// events it gained are added and the ones it lost removed. Runs gone from the
// store lose their events.
import type { InspectorStore, RunEvent, RunSummary } from '../../src-shared/types.ts';
import { indexDoc } from './index-doc.ts';
import type { SyncOptions } from './index-sqlite-sync.ts';
import { eventsOfRun, eventTotal } from './run-events.ts';
import { runKey, type Sidecar } from './sidecar-file.ts';

const versionOf = (run: RunSummary) => [run.event_count, run.first_seq, run.last_seq, run.first_created_at, run.last_created_at].join('|');


export async function syncStoreIndex(store: InspectorStore, sidecar: Sidecar, options: SyncOptions): Promise<void> {
  const indexedVersions = sidecar.runVersions();
  const threads = await store.listThreads();
  const total = eventTotal(threads);
  const report = () => options.onProgress?.({ indexed: sidecar.indexed(), total: Math.max(total, sidecar.indexed()) });
  let pending = 0;
  for (const thread of threads) {
    if (thread.event_count === 0) continue;
    for (const run of await store.listRuns(thread.thread_id)) {
      options.signal?.throwIfAborted();
      const key = runKey(thread.thread_id, run.run_id);
      const version = versionOf(run);
      const indexed = indexedVersions.get(key);
      indexedVersions.delete(key);
      if (indexed?.version === version) continue;
      const events: RunEvent[] = [];
      for await (const event of eventsOfRun(store, thread.thread_id, run.run_id)) events.push(event);
      const known = new Map(sidecar.keysOfRun(thread.thread_id, run.run_id).map((doc) => [doc.seq, doc.id]));
      const seqs = new Set(events.map((event) => event.seq));
      const remove = [...known].filter(([seq]) => !seqs.has(seq)).map(([, id]) => id);
      const add = events.filter((event) => !known.has(event.seq));
      // A long run goes in several transactions; its version is written with the last, so a stop halfway reads it again.
      for (let start = 0; start === 0 || start < add.length; start += options.batchSize) {
        const last = start + options.batchSize >= add.length;
        const docs = add.slice(start, start + options.batchSize).map((event) => indexDoc(event));
        sidecar.apply(docs, start === 0 ? remove : [], last ? () => sidecar.setRunVersion(thread.thread_id, run.run_id, version) : undefined);
        pending += docs.length;
        if (pending >= options.batchSize) {
          report();
          pending = 0;
          await options.pause?.();
        }
      }
    }
  }
  for (const gone of indexedVersions.values()) {
    const ids = sidecar.keysOfRun(gone.threadId, gone.runId).map((doc) => doc.id);
    sidecar.apply([], ids, () => sidecar.setRunVersion(gone.threadId, gone.runId, null));
  }
  report();
}
