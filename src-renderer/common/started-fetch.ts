// A request the page made before it rendered, handed to the view that shows
// its answer.

/** A fetcher whose first call answers with `started` (when there is one), every later call asking anew. */
export function startedFetch<T>(started: Promise<T> | undefined, fetch: () => Promise<T>): () => Promise<T> {
  let first = started;
  return () => {
    const answer = first ?? fetch();
    first = undefined;
    return answer;
  };
}
