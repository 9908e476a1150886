// The open source's search engine, as the session holds it (issue 10). It is
// opened on the first search, not with the source: an index build keeps a
// worker busy for a while and writes a sidecar file, which a session that
// never searches (a script writing through rpc, an export, browsing) should
// neither pay for nor leave behind. Closed when the source is replaced or
// closed; brought up to date after each of the app's own changes.
import type { InspectorStore, SearchOptions, SearchResult } from '../../src-shared/types.ts';
import type { SearchEngine } from '../search/search-engine.ts';

export type OpenEngine = (store: InspectorStore) => Promise<SearchEngine>;

export class SourceSearch {
  private readonly openEngine: OpenEngine;
  private current: { store: InspectorStore; engine: Promise<SearchEngine> } | null = null;
  /** The refresh started by the app's latest change: the next search waits for it, so it sees that change. */
  private pendingRefresh: Promise<void> | null = null;

  constructor(openEngine: OpenEngine) {
    this.openEngine = openEngine;
  }

  async search(store: InspectorStore, query: string, options: SearchOptions): Promise<SearchResult> {
    const engine = await this.engineFor(store);
    const refreshing = this.pendingRefresh;
    this.pendingRefresh = null;
    await refreshing;
    return engine.search(query, options);
  }

  /**
   * The app wrote to or deleted from the open source: the engine starts
   * catching up now, not at the next search. Another process's writes are
   * the engine's to notice.
   */
  changed(): void {
    if (!this.current) return;
    const refresh = this.current.engine.then((engine) => engine.refresh());
    // Awaited by the next search, which reports the failure; logged in case no search comes.
    refresh.catch((error: unknown) => console.error('search: bringing the index up to date failed:', error));
    // A refresh brings the engine up to date with the source as it is then, so the latest covers the earlier ones.
    this.pendingRefresh = refresh;
  }

  /** The source is being replaced or closed; the next search opens an engine for the next one. */
  async close(): Promise<void> {
    const current = this.current;
    this.current = null;
    this.pendingRefresh = null;
    if (current) await (await current.engine.catch(() => null))?.close();
  }

  private engineFor(store: InspectorStore): Promise<SearchEngine> {
    if (this.current?.store === store) return this.current.engine;
    const engine = this.openEngine(store);
    const current = { store, engine };
    this.current = current;
    // One that failed to open is tried again at the next search.
    engine.catch(() => {
      if (this.current === current) this.current = null;
    });
    return engine;
  }
}
