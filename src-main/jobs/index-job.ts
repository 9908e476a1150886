// Building a SQLite source's search index (issue 10), run in the job worker
// so the process serving the page keeps answering while a million events are
// read, folded and indexed; progress is the index's done / total. The source
// is only read (index-sqlite-sync.ts); the sidecar is this job's to write.
import { syncSqliteIndex } from '../search/index-sqlite-sync.ts';
import { Sidecar } from '../search/sidecar-file.ts';
import { sourceIdentity } from '../search/sidecar-location.ts';
import type { ProgressReport } from './job-spec.ts';

export interface IndexSpec {
  /** The SQLite database indexed (absolute). */
  source: string;
  /** Its sidecar file (sidecar-location.ts). */
  sidecar: string;
}

export interface IndexSummary {
  indexed: number;
}

/** Rows per transaction: big enough that the trigram table merges few segments, small enough for a steady progress. */
const BATCH_SIZE = 5000;

export async function buildIndex(spec: IndexSpec, context: { onProgress: (progress: ProgressReport) => void; signal: AbortSignal }): Promise<IndexSummary> {
  const sidecar = new Sidecar(spec.sidecar, sourceIdentity('sqlite', spec.source), spec.source);
  try {
    await syncSqliteIndex(spec.source, sidecar, {
      batchSize: BATCH_SIZE,
      signal: context.signal,
      onProgress: ({ indexed, total }) => context.onProgress({ done: indexed, total, message: 'indexing for search' }),
    });
    return { indexed: sidecar.indexed() };
  } finally {
    sidecar.close();
  }
}
