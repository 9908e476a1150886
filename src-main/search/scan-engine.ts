// Search by reading every event in scope through the store's public methods
// (issue 10): exact by definition, nothing to build, so always ready. It
// answers for memory sources, where the events are already in memory, and is
// the oracle the index engine is tested against.
import { DEFAULT_SEARCH_LIMIT } from '../../src-shared/search-schema.ts';
import { foldCase, matchesAll, parseQuery, snippetAround } from '../../src-shared/search-query.ts';
import { compareHits } from '../../src-shared/search-order.ts';
import type { InspectorStore, RunEvent, SearchHit, SearchIndexStatus, SearchOptions, SearchResult, ThreadSummary } from '../../src-shared/types.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { eventsOfRun, eventTotal } from './run-events.ts';
import type { SearchEngine } from './search-engine.ts';
import { searchableText } from './searchable-text.ts';

export function toSearchHit(event: Omit<RunEvent, 'content' | 'metadata'>, text: string, terms: readonly string[]): SearchHit {
  const { thread_id, run_id, seq, event_type, category, created_at } = event;
  return { thread_id, run_id, seq, event_type, category, created_at, snippet: snippetAround(text, terms) };
}

/** Whether the event is within a search's thread, run, categories and event types. */
export function inScope(event: RunEvent, { threadId, runId, categories, eventTypes }: SearchOptions): boolean {
  return (
    (threadId === undefined || event.thread_id === threadId) &&
    (runId === undefined || event.run_id === runId) &&
    (categories === undefined || categories.includes(event.category)) &&
    (eventTypes === undefined || eventTypes.includes(event.event_type))
  );
}

/** The event's searchable text when every term is in it (the matching rule both engines apply), else null. */
export function matchingText(event: RunEvent, terms: readonly string[]): string | null {
  const text = searchableText(event);
  return matchesAll(foldCase(text), terms) ? text : null;
}

class ScanEngine implements SearchEngine {
  private readonly store: InspectorStore;
  private eventCount = 0;

  constructor(store: InspectorStore) {
    this.store = store;
  }

  async search(query: string, { limit = DEFAULT_SEARCH_LIMIT, cursor, ...scope }: SearchOptions): Promise<SearchResult> {
    const { threadId, runId, eventTypes } = scope;
    const terms = parseQuery(query);
    const after = cursor ? decodeCursor(cursor) : null;
    const threads = await this.countEvents();
    // The page and one more (whether there is a next page), kept as the scan goes: memory and sorting are bounded by the page, not by the matches.
    const keep = limit + 1;
    let matches: { event: RunEvent; text: string }[] = [];
    const best = () => matches.sort((a, b) => compareHits(a.event, b.event)).slice(0, keep);
    for (const thread of threadId === undefined ? threads.map((t) => t.thread_id) : [threadId]) {
      const runs = runId === undefined ? (await this.store.listRuns(thread)).map((run) => run.run_id) : [runId];
      for (const run of runs) {
        for await (const event of eventsOfRun(this.store, thread, run, eventTypes)) {
          if (!inScope(event, scope)) continue;
          if (after && compareHits(event, after) <= 0) continue;
          const text = matchingText(event, terms);
          if (text !== null) matches.push({ event, text });
          if (matches.length >= 2 * keep) matches = best();
        }
      }
    }
    matches = best();
    const page = matches.slice(0, limit);
    return {
      hits: page.map(({ event, text }) => toSearchHit(event, text, terms)),
      nextCursor: matches.length > limit ? encodeCursor(page[page.length - 1].event) : null,
      index: this.status(),
    };
  }

  private async countEvents(): Promise<ThreadSummary[]> {
    const threads = await this.store.listThreads();
    this.eventCount = eventTotal(threads);
    return threads;
  }

  /** Every event is read at each search: all of them are "indexed", as many as the last search or refresh counted. */
  status(): SearchIndexStatus {
    return { state: 'ready', indexed: this.eventCount, total: this.eventCount };
  }

  /** Each search reads the store as it is then: only the count to bring up to date. */
  async refresh(): Promise<void> {
    await this.countEvents();
  }

  /** The store is the session's, closed by it. */
  async close(): Promise<void> {}
}

export function openScanEngine(store: InspectorStore): SearchEngine {
  return new ScanEngine(store);
}
