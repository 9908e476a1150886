// What answers `search` for the open source (issue 10). The session holds one
// engine per source: a scan of the store for memory sources, the sidecar
// index (a SQLite FTS5 trigram table of its own, never inside the source) for
// SQLite and JSONL sources. Every engine answers by the rules of
// src-shared/search-query.ts and returns hits newest first: created_at
// descending, then thread_id, then seq descending.
import type { SearchIndexStatus, SearchOptions, SearchResult } from '../../src-shared/types.ts';
import type { JobRunner } from '../jobs/job-runner.ts';

export interface SearchEngine {
  /** `query` has at least one term and `options` passed the contract's schema (src-shared/search-schema.ts). */
  search(query: string, options: SearchOptions): Promise<SearchResult>;
  /** Where building or catching up stands now. */
  status(): SearchIndexStatus;
  /** Brings the index up to date with the source (after a write, a delete, another process's commit); resolves when it is. */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

/** What opening an engine is given (engine-for-source.ts). */
export interface SearchEngineOptions {
  /** Where a sidecar index lives when it cannot live beside its source (RUN_INSPECTOR_USER_DATA or ~/.run-inspector). */
  userDataDir: string;
  /** Builds an index off the main thread, in the job worker. */
  jobs: JobRunner;
  /** Told where building or catching up stands while it runs, and once more when the index is ready (the session pushes it as `search:index`). */
  onStatus: (status: SearchIndexStatus) => void;
}
