// A run's spans on one time axis: a row per span, grouped by lane, virtualized
// (a 10,000-span run renders a screenful). Zooming and panning change two CSS
// variables on the rows' container (where the window starts, px per ms); each
// bar's place and width are computed from them by CSS, so a zoom frame
// re-renders the ruler and no row.
import { useVirtualizer } from '@tanstack/react-virtual';
import type { CSSProperties, KeyboardEvent, PointerEvent } from 'react';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { RunAnatomy, RunSpan } from '../../../src-shared/types.ts';
import { formatDuration, plural } from '../../common/format.ts';
import { useWidth } from '../../common/hooks.ts';
import { spanEvents, spanLabel } from './span-label.ts';
import type { TimeView, WaterfallRow } from './waterfall-layout.ts';
import {
  firstChildRow,
  fitView,
  laneLabel,
  layoutWaterfall,
  minViewMs,
  panView,
  revealView,
  rulerTicks,
  stepSpanRow,
  wheelZoomFactor,
  zoomView,
} from './waterfall-layout.ts';

const ROW_HEIGHT = 24;
const RULER_HEIGHT = 26;
const ZOOM_STEP = 1.5;
/** A press moves the window by this share of its width. */
const PAN_STEP = 0.2;
/** A pointer that moves less than this between down and up clicked rather than dragged. */
const DRAG_PX = 4;
const MAX_INDENT = 16;
/** Room right of the axis's end, so an instant there and its label stay on screen. */
const END_ROOM_PX = 56;
/** On the performance timeline once the first rows are on screen after the data came. */
export const WATERFALL_PAINTED_MARK = 'waterfall:painted';

const KIND_LABELS: Record<RunSpan['kind'], string> = { run: 'run', llm: 'LLM', tool: 'tool', subagent: 'task', event: 'event' };

interface WaterfallProps {
  anatomy: RunAnatomy;
  selectedSeq: number | null;
  /** A span clicked or opened with Enter (its first event is then selected). */
  onSelect: (span: RunSpan) => void;
  /** The focused span's events in the table. */
  onShowInTable: (seq: number) => void;
}

interface ViewState {
  extentMs: number;
  view: TimeView;
}

export function Waterfall({ anatomy, selectedSeq, onSelect, onShowInTable }: WaterfallProps) {
  const { spans } = anatomy;
  const layout = useMemo(() => layoutWaterfall(spans), [spans]);
  const { rows, rowOfSpan, startMs, durationMs, extentMs } = layout;
  const rootRef = useRef<HTMLElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const rulerRef = useRef<HTMLDivElement>(null);
  const trackRef = useRef<HTMLDivElement>(null);
  const trackPx = useWidth(trackRef);
  const axisPx = Math.max(1, trackPx - END_ROOM_PX);

  const [viewState, setViewState] = useState<ViewState>({ extentMs, view: fitView(extentMs) });
  let { view } = viewState;
  if (viewState.extentMs !== extentMs) {
    // A refresh of a running run: a window showing all of it keeps showing all of it.
    const wasFit = view.fromMs === 0 && view.toMs === viewState.extentMs;
    view = wasFit ? fitView(extentMs) : panView(view, 0, extentMs);
    setViewState({ extentMs, view });
  }
  const limits = useRef({ extentMs, minMs: 1, axisPx });
  limits.current = { extentMs, minMs: minViewMs(extentMs, axisPx), axisPx };
  const changeView = useCallback((update: (view: TimeView, limit: typeof limits.current) => TimeView) => {
    setViewState((state) => ({ ...state, view: update(state.view, limits.current) }));
  }, []);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    scrollMargin: RULER_HEIGHT,
    overscan: 10,
  });

  // The span the user last opened, among those starting at the selected event (an AI message starts its tool calls too).
  const [openedSpan, setOpenedSpan] = useState<number | null>(null);
  const selectedSpan = useMemo(() => {
    if (selectedSeq === null) return -1;
    if (openedSpan !== null && spans[openedSpan]?.seq === selectedSeq) return openedSpan;
    return spans.findIndex((s) => s.seq === selectedSeq);
  }, [spans, selectedSeq, openedSpan]);
  const selectedRow = selectedSpan >= 0 ? rowOfSpan[selectedSpan] : -1;

  const [focusRow, setFocusRow] = useState(() => Math.max(0, selectedRow));
  const focusedRow = rows[focusRow]?.kind === 'span' ? focusRow : stepSpanRow(rows, -1, 1);
  const pendingFocus = useRef(false);

  const reveal = useCallback(
    (row: number) => {
      const target = rows[row];
      if (target?.kind !== 'span') return;
      virtualizer.scrollToIndex(row, { align: 'auto' });
      changeView((current, limit) => revealView(current, startMs[target.span], durationMs[target.span], limit.extentMs));
    },
    [rows, virtualizer, changeView, startMs, durationMs],
  );
  // An event selected elsewhere (the run header's stop reason, the table) is brought into view here.
  useEffect(() => {
    if (selectedRow < 0) return;
    setFocusRow(selectedRow);
    reveal(selectedRow);
  }, [selectedRow, reveal]);

  const moveFocus = (row: number) => {
    setFocusRow(row);
    pendingFocus.current = true;
    reveal(row);
  };
  // The focused bar may only be rendered once the virtualizer has scrolled to it.
  useLayoutEffect(() => {
    if (!pendingFocus.current) return;
    const bar = scrollRef.current?.querySelector<HTMLElement>(`[data-row="${focusedRow}"] .wf-bar`);
    if (!bar) return;
    bar.focus({ preventScroll: true });
    pendingFocus.current = false;
  });

  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const activate = useCallback(
    (row: number) => {
      const target = rows[row];
      if (target?.kind !== 'span') return;
      setFocusRow(row);
      setOpenedSpan(target.span);
      onSelectRef.current(spans[target.span]);
    },
    [rows, spans],
  );
  const onBarFocus = useCallback((row: number) => setFocusRow(row), []);

  const zoomBy = (factor: number) => {
    const span = rows[focusedRow]?.kind === 'span' ? (rows[focusedRow] as Extract<WaterfallRow, { kind: 'span' }>).span : -1;
    changeView((current, limit) => {
      // Around the focused span where it is in view, else around the middle.
      const at = span >= 0 ? startMs[span] + durationMs[span] / 2 : NaN;
      const anchor = at >= current.fromMs && at <= current.toMs ? (at - current.fromMs) / (current.toMs - current.fromMs) : 0.5;
      return zoomView(current, factor, anchor, limit.extentMs, limit.minMs);
    });
  };
  const panBy = (share: number) => changeView((current, limit) => panView(current, (current.toMs - current.fromMs) * share, limit.extentMs));

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const inRows = scrollRef.current?.contains(event.target as Node) ?? false;
    const current = rows[focusedRow];
    const parentRow = current?.kind === 'span' && spans[current.span].parent !== null ? rowOfSpan[spans[current.span].parent as number] : -1;
    const zoom: Record<string, () => void> = { '+': () => zoomBy(ZOOM_STEP), '=': () => zoomBy(ZOOM_STEP), '-': () => zoomBy(1 / ZOOM_STEP), '−': () => zoomBy(1 / ZOOM_STEP), '0': () => changeView((_, limit) => fitView(limit.extentMs)) };
    const moves: Record<string, () => number | null> = {
      ArrowDown: () => stepSpanRow(rows, focusedRow, 1),
      j: () => stepSpanRow(rows, focusedRow, 1),
      ArrowUp: () => stepSpanRow(rows, focusedRow, -1),
      k: () => stepSpanRow(rows, focusedRow, -1),
      ArrowLeft: () => (parentRow >= 0 ? parentRow : null),
      ArrowRight: () => firstChildRow(layout, spans, focusedRow),
      Home: () => stepSpanRow(rows, -1, 1),
      End: () => stepSpanRow(rows, rows.length, -1),
    };
    if (event.key in zoom) {
      event.preventDefault();
      zoom[event.key]();
    } else if (event.shiftKey && (event.key === 'ArrowLeft' || event.key === 'ArrowRight')) {
      event.preventDefault();
      panBy(event.key === 'ArrowLeft' ? -PAN_STEP : PAN_STEP);
    } else if (inRows && event.key in moves) {
      event.preventDefault();
      const row = moves[event.key]();
      if (row !== null) moveFocus(row);
    }
  };

  // Wheel: with Ctrl/⌘ (a pinch arrives so in Chromium) or over the ruler it zooms at the pointer; with Shift or sideways it pans.
  useEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    const onWheel = (event: WheelEvent) => {
      const track = trackRef.current?.getBoundingClientRect();
      const { axisPx: axis } = limits.current;
      if (!track || track.width === 0) return;
      const unit = event.deltaMode === WheelEvent.DOM_DELTA_LINE ? 16 : event.deltaMode === WheelEvent.DOM_DELTA_PAGE ? axis : 1;
      const dx = event.deltaX * unit;
      const dy = event.deltaY * unit;
      const overRuler = rulerRef.current?.contains(event.target as Node) ?? false;
      if (event.ctrlKey || event.metaKey || (overRuler && !event.shiftKey && Math.abs(dy) >= Math.abs(dx))) {
        event.preventDefault();
        const anchor = (event.clientX - track.left) / axis;
        changeView((current, limit) => zoomView(current, wheelZoomFactor(dy), anchor, limit.extentMs, limit.minMs));
      } else if (event.shiftKey || Math.abs(dx) > Math.abs(dy)) {
        event.preventDefault();
        // Some systems turn Shift+wheel into a sideways delta themselves.
        const px = dx !== 0 ? dx : dy;
        changeView((current, limit) => panView(current, (px * (current.toMs - current.fromMs)) / axis, limit.extentMs));
      }
    };
    root.addEventListener('wheel', onWheel, { passive: false });
    return () => root.removeEventListener('wheel', onWheel);
  }, [changeView]);

  // Drag to pan; a drag that moved is not also a click on the bar it started on.
  const drag = useRef<{ x: number; view: TimeView; moved: boolean } | null>(null);
  const dragged = useRef(false);
  const onPointerDown = (event: PointerEvent) => {
    dragged.current = false;
    if (event.button === 0) drag.current = { x: event.clientX, view, moved: false };
  };
  const onPointerMove = (event: PointerEvent) => {
    const start = drag.current;
    if (!start) return;
    const dx = event.clientX - start.x;
    if (!start.moved && Math.abs(dx) < DRAG_PX) return;
    if (!start.moved) event.currentTarget.setPointerCapture(event.pointerId);
    start.moved = true;
    changeView((_, limit) => panView(start.view, (-dx * (start.view.toMs - start.view.fromMs)) / limit.axisPx, limit.extentMs));
  };
  const onPointerUp = () => {
    dragged.current = drag.current?.moved ?? false;
    drag.current = null;
  };

  // The bench's first-paint figure: the first frame with rows, after the next task.
  const painted = useRef<RunAnatomy | null>(null);
  const virtualRows = virtualizer.getVirtualItems();
  useEffect(() => {
    if (painted.current === anatomy || virtualRows.length === 0) return;
    painted.current = anatomy;
    requestAnimationFrame(() =>
      setTimeout(() => {
        performance.clearMarks(WATERFALL_PAINTED_MARK);
        performance.mark(WATERFALL_PAINTED_MARK);
      }),
    );
  });

  const widthMs = view.toMs - view.fromMs;
  const axis = { '--wf-from': view.fromMs, '--wf-scale': axisPx / widthMs } as CSSProperties;
  const focused = rows[focusedRow]?.kind === 'span' ? spans[(rows[focusedRow] as Extract<WaterfallRow, { kind: 'span' }>).span] : undefined;

  return (
    <section ref={rootRef} className="waterfall" aria-label="Timeline" data-testid="waterfall" data-state="ready" data-spans={spans.length} onKeyDown={onKeyDown}>
      <div className="wf-toolbar" role="toolbar" aria-label="Timeline zoom">
        <button type="button" aria-label="Zoom in" title="Zoom in (+)" onClick={() => zoomBy(ZOOM_STEP)}>
          +
        </button>
        <button type="button" aria-label="Zoom out" title="Zoom out (−)" onClick={() => zoomBy(1 / ZOOM_STEP)}>
          −
        </button>
        <button type="button" title="Show the whole run (0)" onClick={() => changeView((_, limit) => fitView(limit.extentMs))}>
          Fit
        </button>
        <span className="muted small">
          {plural(spans.length, 'span')} · showing {formatDuration(widthMs)} of {formatDuration(extentMs)}
        </span>
      </div>
      <div
        ref={scrollRef}
        className="wf-scroll"
        style={axis}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onClickCapture={(event) => {
          if (!dragged.current) return;
          dragged.current = false;
          event.stopPropagation();
        }}
      >
        <div ref={rulerRef} className="wf-ruler" style={{ height: RULER_HEIGHT }} aria-hidden="true">
          <div className="wf-ruler-label muted small">Span</div>
          <div ref={trackRef} className="wf-ruler-track" data-testid="waterfall-ruler">
            {rulerTicks(view, axisPx).map((tick) => (
              <span key={tick.ms} className="wf-tick" style={{ transform: `translateX(${((tick.ms - view.fromMs) * axisPx) / widthMs}px)` }}>
                {tick.label}
              </span>
            ))}
          </div>
        </div>
        <div className="virtual-space" role="group" aria-label={`Spans of run ${anatomy.run_id}`} style={{ height: virtualizer.getTotalSize() }}>
          {virtualRows.map((item) => (
            <SpanRow
              key={item.index}
              row={rows[item.index]}
              index={item.index}
              span={rowSpan(spans, rows[item.index])}
              startMs={rowValue(startMs, rows[item.index])}
              durationMs={rowValue(durationMs, rows[item.index])}
              top={item.start - RULER_HEIGHT}
              focused={item.index === focusedRow}
              selected={item.index === selectedRow}
              onActivate={activate}
              onFocus={onBarFocus}
            />
          ))}
        </div>
      </div>
      <div className="wf-status small" data-testid="waterfall-status">
        {focused ? (
          <>
            <span className="wf-kind">{KIND_LABELS[focused.kind]}</span> <strong>{spanLabel(focused)}</strong> · {laneLabel(focused.lane)} · events{' '}
            <span className="mono">{spanEvents(focused)}</span>{' '}
            <button type="button" className="link-button" onClick={() => onShowInTable(focused.seq)}>
              Show in the table
            </button>
          </>
        ) : (
          <span className="muted">This run has no spans</span>
        )}
      </div>
    </section>
  );
}

const rowSpan = (spans: readonly RunSpan[], row: WaterfallRow): RunSpan | undefined => (row.kind === 'span' ? spans[row.span] : undefined);
const rowValue = (values: Float64Array, row: WaterfallRow): number => (row.kind === 'span' ? values[row.span] : 0);

interface SpanRowProps {
  row: WaterfallRow;
  index: number;
  span: RunSpan | undefined;
  startMs: number;
  durationMs: number;
  top: number;
  focused: boolean;
  selected: boolean;
  onActivate: (row: number) => void;
  onFocus: (row: number) => void;
}

/** Props that do not change with the zoom: a zoom frame skips every row. */
const SpanRow = memo(function SpanRow({ row, index, span, startMs, durationMs, top, focused, selected, onActivate, onFocus }: SpanRowProps) {
  const position = { transform: `translateY(${top}px)`, height: ROW_HEIGHT };
  if (row.kind === 'lane' || !span) {
    return (
      <div className="wf-row wf-lane" style={position} data-row={index}>
        {row.kind === 'lane' ? row.label : ''}
      </div>
    );
  }
  const label = spanLabel(span);
  return (
    <div className={`wf-row${selected ? ' selected' : ''}`} style={position} data-row={index} data-kind={span.kind}>
      <div className="wf-name" style={{ paddingInlineStart: 8 + Math.min(row.depth, MAX_INDENT) * 14 }} aria-hidden="true" title={span.name} onClick={() => onActivate(index)}>
        <span className="wf-kind">{KIND_LABELS[span.kind]}</span>
        {span.name}
      </div>
      <div className="wf-track">
        <button
          type="button"
          className={`wf-bar wf-${span.kind} wf-${span.status}`}
          style={{ '--start': startMs, '--dur': durationMs } as CSSProperties}
          aria-label={label}
          aria-current={selected ? 'true' : undefined}
          title={`${label} · events ${spanEvents(span)}`}
          tabIndex={focused ? 0 : -1}
          data-seq={span.seq}
          onClick={() => onActivate(index)}
          onFocus={() => onFocus(index)}
        >
          <span className="wf-fill" />
          <span className="wf-duration" aria-hidden="true">
            {formatDuration(span.duration_ms)}
          </span>
        </button>
      </div>
    </div>
  );
});
