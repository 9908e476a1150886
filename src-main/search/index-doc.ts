// An event as the search index holds it: the envelope that filters and
// orders, the folded searchable text the trigram table indexes and the
// tokens of the short-term table (made here, where the build reads and folds
// in its helper thread, not where it inserts).
import { foldCase } from '../../src-shared/search-query.ts';
import type { RunEvent } from '../../src-shared/types.ts';
import { hitInstant, type HitKey } from '../../src-shared/search-order.ts';
import type { IndexDoc } from './sidecar-file.ts';
import { searchableText } from './searchable-text.ts';
import { shortTermTokens } from './short-terms.ts';

/** hitInstant as SQLite can store it: an undated event (-Infinity) is older than every dated one, as in the order. */
export const indexInstant = (createdAt: string): number => Math.max(hitInstant(createdAt), -Number.MAX_VALUE);

/** Where a hit sits in the index's order (docs.at, thread_id, seq). */
export const indexKey = (key: HitKey) => ({ at: indexInstant(key.created_at), thread_id: key.thread_id, seq: key.seq });

export function indexDoc(event: RunEvent, id?: number): IndexDoc {
  const text = foldCase(searchableText(event));
  return {
    id,
    at: indexInstant(event.created_at),
    thread_id: event.thread_id,
    seq: event.seq,
    run_id: event.run_id,
    category: event.category,
    event_type: event.event_type,
    text,
    shortTerms: shortTermTokens(text),
  };
}
