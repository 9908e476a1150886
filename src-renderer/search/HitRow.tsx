// One hit in the results: its thread's name, run, event type, category
// colour, time, and the snippet with each match in a <mark> React builds.
import { memo } from 'react';
import type { SearchHit, ThreadSummary } from '../../src-shared/types.ts';
import { formatDateTime } from '../common/format.ts';
import { ThreadName } from '../threads/ThreadName.tsx';
import { categoryClass } from '../trace/categories.ts';
import { fromFirstMatch, highlightPieces } from './highlight.ts';

export const HIT_ROW_HEIGHT = 80;

export const hitOptionId = (index: number) => `search-hit-${index}`;

interface HitRowProps {
  hit: SearchHit;
  index: number;
  /** Absent when the thread is not in the list (deleted since): its id stands in. */
  thread: ThreadSummary | undefined;
  terms: readonly string[];
  active: boolean;
  /** The hit opened last, where F3 steps from. */
  current: boolean;
  top: number;
  onOpen: (index: number) => void;
}

export const HitRow = memo(function HitRow({ hit, index, thread, terms, active, current, top, onOpen }: HitRowProps) {
  return (
    <div
      id={hitOptionId(index)}
      role="option"
      aria-selected={active}
      aria-current={current ? 'true' : undefined}
      data-thread-id={hit.thread_id}
      data-seq={hit.seq}
      data-category={hit.category}
      className={`search-hit ${categoryClass(hit.category)}${active ? ' active' : ''}${current ? ' current' : ''}`}
      style={{ height: HIT_ROW_HEIGHT, transform: `translateY(${top}px)` }}
      // The field keeps the focus (and the keys) while a hit is clicked.
      onMouseDown={(event) => event.preventDefault()}
      onClick={() => onOpen(index)}
    >
      <div className="search-hit-head">
        <span className="cat-chip">{hit.category}</span>
        <span className="search-hit-type mono">{hit.event_type}</span>
        {thread ? <ThreadName thread={thread} className="search-hit-thread" /> : <span className="search-hit-thread mono">{hit.thread_id}</span>}
        <span className="search-hit-run mono muted" title={`Run ${hit.run_id}`}>
          {hit.run_id}
        </span>
        <span className="spacer" />
        <span className="search-hit-seq mono muted">#{hit.seq}</span>
        <time className="muted small" dateTime={hit.created_at} title={hit.created_at}>
          {formatDateTime(hit.created_at)}
        </time>
      </div>
      <p className="search-hit-snippet">
        {highlightPieces(fromFirstMatch(hit.snippet, terms), terms).map((piece, at) => (piece.match ? <mark key={at}>{piece.text}</mark> : piece.text))}
      </p>
    </div>
  );
});
