// What the search is doing, in words: the hits' count and scope, why there
// are none, a refusal, and how far the index is while it builds.
import type { SearchIndexStatus } from '../../src-shared/types.ts';
import { formatCount, plural } from '../common/format.ts';
import { noHitsText, searchScopeText } from './search-summary.ts';
import type { SearchResults } from './use-search.ts';

/** What the list holds: how many hits, in what, or why none; an error inline. */
export function ResultsStatus({ results, index, threadName }: { results: SearchResults; index: SearchIndexStatus | null; threadName: string | null }) {
  const { request, hits, done } = results;
  let line: string;
  if (results.state === 'error') line = '';
  else if (!request || (results.state === 'loading' && hits.length === 0)) line = 'Searching…';
  else if (hits.length === 0) line = noHitsText(request, threadName);
  else line = `${plural(hits.length, 'hit')}${done ? '' : ' so far'} in ${searchScopeText(request, threadName)}`;
  return (
    <div className="search-status">
      {results.error ? (
        <p className="inline-error" role="alert">
          {results.error}
        </p>
      ) : (
        <p className="small" role="status" data-state={results.state}>
          {line}
          {index?.state === 'building' && ' — the index is still being built: what it has not reached yet is not searched'}
        </p>
      )}
    </div>
  );
}

/** While the index builds: how far it is. */
export function IndexProgress({ index }: { index: SearchIndexStatus | null }) {
  if (index?.state !== 'building') return null;
  const percent = index.total > 0 ? Math.floor((index.indexed / index.total) * 100) : 0;
  return (
    <span
      className="search-index muted small"
      role="progressbar"
      aria-label="Search index"
      aria-valuemin={0}
      aria-valuemax={index.total}
      aria-valuenow={index.indexed}
      title={`Indexing: ${formatCount(index.indexed)} of ${formatCount(index.total)} events`}
    >
      Indexing {percent}%
    </span>
  );
}
