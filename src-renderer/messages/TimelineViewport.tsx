// The virtualized scroller of the timeline (TanStack Virtual's chat recipe):
// keys are seqs, rows are measured, the view is anchored to the end, and the
// first visible row stays where it is when older rows are prepended. It is
// remounted on every jump, so a jump never fights the anchoring.
import { useVirtualizer } from '@tanstack/react-virtual';
import type { KeyboardEvent, ReactNode } from 'react';
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { SeqRange } from './overview-strip.ts';
import type { TimelineRow } from './timeline-rows.ts';

/** Within this distance of an edge, the next page is fetched. */
const EDGE_PX = 800;
/** Within this distance of the bottom, the view is at the end and follows what is appended (the virtualizer's scrollEndThreshold). */
const END_PX = 24;

export type InitialPosition = { to: 'end' } | { to: 'start' } | { to: 'seq'; seq: number };

interface TimelineViewportProps {
  rows: TimelineRow[];
  initial: InitialPosition;
  hasOlder: boolean;
  hasNewer: boolean;
  /** Asked whenever the view is near an edge that can grow; the owner decides whether a load is due. */
  onNearTop: () => void;
  onNearBottom: () => void;
  renderRow: (row: TimelineRow) => ReactNode;
  dataState: Record<string, string | number>;
  /** Lets the owner scroll to a row already loaded. */
  scrollToKeyRef: { current: ((key: number) => boolean) | null };
  /** Lets the owner bring the loaded message at or after a seq to the top, as a jump there lands; false when no loaded row is at or after it. */
  seekRef: { current: ((seq: number) => boolean) | null };
  /** Lets the owner scroll to the last loaded row (the "N new" pill). */
  scrollToEndRef: { current: (() => void) | null };
  /** Told whether the view is at the end of the thread (the last row loaded and scrolled to), whenever that may have changed. */
  onAtEnd: (atEnd: boolean) => void;
  /** Told the seqs of the first and last message in view (null when none is) after every scroll and render. */
  onVisibleRange: (range: SeqRange | null) => void;
}

const estimate = (row: TimelineRow | undefined) => (row?.kind === 'run' ? 52 : 140);

/** The index of the first message row at or after a seq; -1 when there is none. */
const messageIndexFrom = (rows: readonly TimelineRow[], seq: number) => rows.findIndex((row) => row.kind === 'message' && row.key >= seq);

export function TimelineViewport({ rows, initial, hasOlder, hasNewer, onNearTop, onNearBottom, renderRow, dataState, scrollToKeyRef, seekRef, scrollToEndRef, onAtEnd, onVisibleRange }: TimelineViewportProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const positioned = useRef(false);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => estimate(rows[index]),
    getItemKey: (index) => rows[index].key,
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: END_PX,
    overscan: 4,
  });

  scrollToKeyRef.current = (key) => {
    const index = rows.findIndex((row) => row.key === key);
    if (index < 0) return false;
    virtualizer.scrollToIndex(index, { align: 'center' });
    return true;
  };
  seekRef.current = (seq) => {
    const index = messageIndexFrom(rows, seq);
    if (index < 0) return false;
    virtualizer.scrollToIndex(index, { align: 'start' });
    return true;
  };

  scrollToEndRef.current = () => virtualizer.scrollToEnd();

  useLayoutEffect(() => {
    if (positioned.current || rows.length === 0) return;
    positioned.current = true;
    if (initial.to === 'end') virtualizer.scrollToEnd();
    else if (initial.to === 'seq') {
      // Past the last message, the nearest one is the last.
      const index = messageIndexFrom(rows, initial.seq);
      if (index >= 0) virtualizer.scrollToIndex(index, { align: 'start' });
      else virtualizer.scrollToEnd();
    }
  }, [rows, initial, virtualizer]);

  const checkEdges = () => {
    const el = scrollRef.current;
    if (!el || !positioned.current) return;
    if (hasOlder && el.scrollTop < EDGE_PX) onNearTop();
    else if (hasNewer && el.scrollHeight - el.scrollTop - el.clientHeight < EDGE_PX) onNearBottom();
  };

  const reportVisible = () => {
    const el = scrollRef.current;
    if (!el) return;
    const top = el.scrollTop;
    const bottom = top + el.clientHeight;
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const item of virtualizer.getVirtualItems()) {
      const row = rows[item.index];
      if (row.kind !== 'message' || item.end <= top || item.start >= bottom) continue;
      first = Math.min(first, row.key);
      last = Math.max(last, row.key);
    }
    onVisibleRange(first <= last ? { first, last } : null);
  };

  const wasAtEnd = useRef<boolean | null>(null);
  const reportAtEnd = () => {
    const el = scrollRef.current;
    if (!el || !positioned.current) return;
    const atEnd = !hasNewer && el.scrollHeight - el.scrollTop - el.clientHeight <= END_PX;
    if (atEnd !== wasAtEnd.current) onAtEnd(atEnd);
    wasAtEnd.current = atEnd;
  };

  // After each change of rows (a page landed, a toggle hid rows), the view may still be at an edge.
  useEffect(() => {
    checkEdges();
    reportVisible();
    reportAtEnd();
  });
  useEffect(() => () => onVisibleRange(null), [onVisibleRange]);

  const onScroll = () => {
    checkEdges();
    reportVisible();
    reportAtEnd();
  };

  // The browser's own Home / End scroll smoothly, and the measuring of rows on the way cuts that animation
  // short; jumping there at once always arrives (and the next page loads from there).
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.key === 'Home') virtualizer.scrollToOffset(0);
    else if (event.key === 'End') virtualizer.scrollToEnd();
    else return;
    event.preventDefault();
  };

  return (
    <div ref={scrollRef} className="timeline-scroll" tabIndex={0} aria-label="Messages" data-testid="timeline" onScroll={onScroll} onKeyDown={onKeyDown} {...dataState}>
      <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => (
          <div key={item.key} ref={virtualizer.measureElement} data-index={item.index} className="timeline-row" style={{ transform: `translateY(${item.start}px)` }}>
            {renderRow(rows[item.index])}
          </div>
        ))}
      </div>
    </div>
  );
}
