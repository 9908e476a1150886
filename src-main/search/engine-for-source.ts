// Which engine answers `search` for an open source (issue 10). Kept to the
// choice alone: each engine's own module says how it works.
import type { InspectorStore } from '../../src-shared/types.ts';
import { openScanEngine } from './scan-engine.ts';
import type { SearchEngine, SearchEngineOptions } from './search-engine.ts';

export async function openSearchEngine(store: InspectorStore, options: SearchEngineOptions): Promise<SearchEngine> {
  if (store.info.kind === 'memory') return openScanEngine(store);
  const { openIndexEngine } = await import('./index-engine.ts');
  return openIndexEngine(store, options);
}
