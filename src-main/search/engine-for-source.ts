// Which engine answers `search` for an open source (issue 10). Kept to the
// choice alone: each engine's own module says how it works.
import type { InspectorStore, SearchIndexStatus } from '../../src-shared/types.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import { openScanEngine } from './scan-engine.ts';
import type { SearchEngine } from './search-engine.ts';

export interface SearchEngineOptions {
  /** Where a sidecar index lives when it cannot live beside its source (RUN_INSPECTOR_USER_DATA or ~/.run-inspector). */
  userDataDir: string;
  /** Builds an index off the main thread, in the job worker. */
  jobs: JobRunner;
  /** Told where building or catching up stands while it runs, and once more when the index is ready (the session pushes it as `search:index`). */
  onStatus: (status: SearchIndexStatus) => void;
}

export async function openSearchEngine(store: InspectorStore, options: SearchEngineOptions): Promise<SearchEngine> {
  if (store.info.kind === 'memory') return openScanEngine(store);
  const { openIndexEngine } = await import('./index-engine.ts');
  return openIndexEngine(store, options);
}
