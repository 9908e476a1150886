// A search that reads many events (a rare short term, a filter that rejects
// most candidates) runs for a while; typing starts a new one every few
// keystrokes, and the page drops the answers of the ones it replaced
// (use-search.ts). So an engine's newer search supersedes an older one still
// running: the older one, at its next check, ends with CANCELLED, which the
// page ignores for a request it has dropped. Only a search asking something
// else supersedes: the page's "errors only" is two searches of the same
// query and scope at once (hit-stream.ts), which must both finish.
import { StoreError } from '../../src-shared/errors.ts';
import type { SearchOptions } from '../../src-shared/types.ts';

export class SearchSupersession {
  private latest = { generation: 0, asks: '' };

  /** Registers a search starting now; the function it returns throws CANCELLED once a newer search asks something else. */
  begin(terms: readonly string[], { threadId, runId }: SearchOptions): () => void {
    const asks = JSON.stringify([terms, threadId ?? null, runId ?? null]);
    const generation = this.latest.generation + 1;
    this.latest = { generation, asks };
    return () => {
      if (this.latest.generation !== generation && this.latest.asks !== asks) {
        throw new StoreError('CANCELLED', 'a newer search replaced this one');
      }
    };
  }
}
