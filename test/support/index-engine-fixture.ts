// The index engine's tests share this: a temporary folder with a user data
// folder in it, a job runner, engines opened and caught up, everything
// closed (engines before their stores) after each test, and a search read
// page by page to its end.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { InspectorStore, SearchIndexStatus, SearchOptions, SearchResult } from '../../src-shared/types.ts';
import { JobRunner } from '../../src-main/jobs/job-runner.ts';
import { openIndexEngine } from '../../src-main/search/index-engine.ts';
import type { SearchEngine } from '../../src-main/search/search-engine.ts';

export interface IndexEngineFixture {
  readonly dir: string;
  readonly userDataDir: string;
  readonly jobs: JobRunner;
  /** Closed after the test, in the reverse order of keeping. */
  kept<T extends { close(): Promise<void> }>(closable: T): T;
  /** Closes what was kept, now (a test that checks the files once everything is closed). */
  closeKept(): Promise<void>;
  /** An index engine on `store`, caught up. */
  indexEngine(store: InspectorStore, onStatus?: (status: SearchIndexStatus) => void): Promise<SearchEngine>;
}

export function useIndexEngineFixture(prefix: string): IndexEngineFixture {
  let dir = '';
  let jobs: JobRunner | null = null;
  const open: { close(): Promise<void> }[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    jobs = new JobRunner({ onProgress: () => {}, onDone: () => {} });
  });
  // Engines first: each closes its sidecar before its store goes.
  const closeKept = async () => {
    for (const closable of open.splice(0).reverse()) await closable.close();
  };
  afterEach(async () => {
    await closeKept();
    await jobs?.idle();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const fixture: IndexEngineFixture = {
    get dir() {
      return dir;
    },
    get userDataDir() {
      return path.join(dir, 'user-data');
    },
    get jobs() {
      if (jobs === null) throw new Error('the fixture is used outside a test');
      return jobs;
    },
    closeKept,
    kept(closable) {
      open.push(closable);
      return closable;
    },
    async indexEngine(store, onStatus = () => {}) {
      const engine = fixture.kept(await openIndexEngine(store, { userDataDir: fixture.userDataDir, jobs: fixture.jobs, onStatus }));
      await engine.refresh();
      return engine;
    },
  };
  return fixture;
}

/** Every page of a search; small pages walk the cursor too. */
export async function allHits(engine: SearchEngine, query: string, options: SearchOptions = {}, limit = 37): Promise<SearchResult['hits']> {
  const hits: SearchResult['hits'] = [];
  for (let cursor: string | null = null; ; ) {
    const page = await engine.search(query, { ...options, limit, cursor });
    hits.push(...page.hits);
    if ((cursor = page.nextCursor) === null) return hits;
  }
}
