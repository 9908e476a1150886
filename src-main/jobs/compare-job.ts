// compareRuns off the main process's event loop (issue 12: two 5,000-step
// runs in the worker): a SQLite source's two runs are read and aligned in the
// job worker, on a read-only connection of its own. Memory and JSONL sources,
// whose events only this process holds or has indexed, compare in-process.
import type { InspectorStore, RunComparison } from '../../src-shared/types.ts';
import { compareRuns, type RunRef } from '../compare/compare-runs.ts';

export interface CompareSpec {
  /** The SQLite database (absolute). */
  source: string;
  a: RunRef;
  b: RunRef;
}

/** The worker's side. */
export async function compareInWorker({ source, a, b }: CompareSpec): Promise<RunComparison> {
  const { openSqliteStore } = await import('../store/sqlite/sqlite-store.ts');
  const store = openSqliteStore(source, { create: false, readOnly: true });
  try {
    return await compareRuns(store, a, b);
  } finally {
    await store.close();
  }
}

/** What of the JobRunner a comparison needs (named here: the runner imports this module's spec). */
export interface CompareWorker {
  readonly hasWorker: boolean;
  runCompare(spec: CompareSpec): Promise<RunComparison>;
}

/** The open source's two runs compared in the worker where one can read them, else here. */
export function compareOpenRuns(store: InspectorStore, jobs: CompareWorker, a: RunRef, b: RunRef): Promise<RunComparison> {
  const { kind, path } = store.info;
  if (kind !== 'sqlite' || path === null || !jobs.hasWorker) return compareRuns(store, a, b);
  return jobs.runCompare({ source: path, a, b });
}
