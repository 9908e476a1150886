// Building a source's search index (issue 10), run in the job worker so the
// process serving the page keeps answering while a million events are read,
// folded and indexed — for SQLite the reading and folding in a helper
// thread, the inserts in this one, so both cores work; a JSONL source is read
// by a store of this thread's own. Progress is the index's done / total. The
// source is only read; the sidecar is this job's to write.
import { syncSqliteIndex, type DocBatch, type NewRows, type SyncOptions } from '../search/index-sqlite-sync.ts';
import { syncStoreIndex } from '../search/index-store-sync.ts';
import { openSidecar } from '../search/sidecar-file.ts';
import { sourceIdentity } from '../search/sidecar-location.ts';
import { openSource } from '../store/open-source.ts';
import type { ProgressReport } from './job-spec.ts';
import { batchesFromThread } from './thread-batches.ts';

export interface IndexSpec {
  kind: 'sqlite' | 'jsonl' | 'jsonl-file';
  /** The database, JSONL folder or export file indexed (absolute). */
  source: string;
  /** Its sidecar file (sidecar-location.ts). */
  sidecar: string;
}

export interface IndexSummary {
  indexed: number;
}

/** What the reading thread is started with: readNewRows's arguments. */
export interface IndexReaderJob {
  source: string;
  afterId: number;
  batchSize: number;
}

/** Rows per transaction: fewer, bigger segments for the trigram table to merge (a fifth faster than 5,000), still a steady progress. */
const BATCH_SIZE = 20_000;

export interface IndexJobContext {
  onProgress: (progress: ProgressReport) => void;
  signal: AbortSignal;
  /** The job worker's entry, to read and fold rows in a helper thread while this one inserts; null: read here. */
  workerUrl: URL | null;
}

export async function buildIndex(spec: IndexSpec, context: IndexJobContext): Promise<IndexSummary> {
  const { workerUrl } = context;
  // The helper (job-worker.ts, `{ indexReader }`) runs readNewRows and posts its batches.
  const inThread: NewRows | undefined = workerUrl
    ? (source, afterId, batchSize) =>
        batchesFromThread<DocBatch>(workerUrl, { indexReader: { source, afterId, batchSize } satisfies IndexReaderJob }, "the search index's reading thread")
    : undefined;
  const sidecar = openSidecar(spec.sidecar, sourceIdentity(spec.kind, spec.source), spec.source);
  const options: SyncOptions = {
    batchSize: BATCH_SIZE,
    newRows: inThread,
    signal: context.signal,
    onProgress: ({ indexed, total }) => context.onProgress({ done: indexed, total, message: 'indexing for search' }),
  };
  try {
    if (spec.kind === 'sqlite') {
      await syncSqliteIndex(spec.source, sidecar, options);
    } else {
      // This thread's own reading of the files; the session's store catches up on what changes after.
      const store = await openSource(spec.source);
      try {
        await syncStoreIndex(store, sidecar, options);
      } finally {
        await store.close();
      }
    }
    return { indexed: sidecar.indexed() };
  } finally {
    sidecar.close();
  }
}
