// `run-inspector search SOURCE QUERY [--thread T] [--run R] [--limit N] [--json]`:
// the hits newest first, one per line (tab-separated: thread, run, seq,
// type, time, snippet) or as JSON lines; notes for a person on stderr. Waits
// for the source's index to be ready, showing its progress. Exit 0 with hits
// or none. The source is opened read-only: a search writes nothing to it.
import { existsSync } from 'node:fs';
import { MAX_SEARCH_LIMIT } from '../../src-shared/search-schema.ts';
import type { SearchHit, SearchOptions } from '../../src-shared/types.ts';
import { userDataDir } from '../handlers/sample-store.ts';
import { JobRunner } from '../jobs/job-runner.ts';
import { openSearchEngine } from '../search/engine-for-source.ts';
import { openSource } from '../store/open-source.ts';
import { isPostgresUrl } from '../store/source-url.ts';
import { printable } from './printable.ts';
import { interruptible, progressPrinter } from './progress.ts';

export interface SearchCommandOptions extends Pick<SearchOptions, 'threadId' | 'runId' | 'limit'> {
  json: boolean;
}

function hitLine(hit: SearchHit): string {
  return [hit.thread_id, hit.run_id, String(hit.seq), hit.event_type, hit.created_at, hit.snippet].map(printable).join('\t');
}

export async function searchCommand(source: string, query: string, { json, ...options }: SearchCommandOptions): Promise<number> {
  // Any missing path would open as a new, empty store: for a search that is a typo, not a source.
  if (!isPostgresUrl(source) && !existsSync(source)) throw new Error(`${source}: no such file or folder`);
  const store = await openSource(source, { readOnly: true });
  const jobs = new JobRunner({ onProgress: () => {}, onDone: () => {} });
  const progress = progressPrinter();
  const engine = await openSearchEngine(store, {
    userDataDir: userDataDir(),
    jobs,
    onStatus: ({ state, indexed, total }) => {
      // A total of 0 is an index that has not counted the source yet: nothing to show.
      if (state === 'building' && total > 0) progress.update(`indexing: ${indexed.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} events`);
    },
  });
  try {
    const result = await interruptible(async (signal) => {
      signal.addEventListener('abort', () => jobs.cancelAll());
      await engine.refresh();
      return engine.search(query, options);
    }).finally(() => progress.finish());
    process.stdout.write(result.hits.map((hit) => `${json ? JSON.stringify(hit) : hitLine(hit)}\n`).join(''));
    if (result.hits.length === 0) process.stderr.write('no event matches\n');
    else if (result.nextCursor !== null) process.stderr.write(`more events match than these ${result.hits.length}: raise --limit (at most ${MAX_SEARCH_LIMIT}) or narrow with --thread / --run\n`);
    return 0;
  } finally {
    await engine.close();
    await jobs.idle();
    await store.close();
  }
}
