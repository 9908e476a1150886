// The whole thread at a glance above its timeline (issue 11): every run as a
// segment, the density of events, errors and failed tool calls, drawn on one
// canvas from the store's bucketed counts (never from the events), and the
// timeline's visible window over it. Clicking, dragging and the slider keys
// move the timeline there.
import type { KeyboardEvent, PointerEvent } from 'react';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { RunSummary, ThreadOverview } from '../../src-shared/types.ts';
import { api } from '../api.ts';
import { errorMessage } from '../common/error-message.ts';
import { type Load, useStoreChanged, useWidth } from '../common/hooks.ts';
import { StripHealthMarks } from '../health/StripHealthMarks.tsx';
import type { RunSegment, RunTone, SeqRange, VisibleWindow } from './overview-strip.ts';
import { columnsOf, estimatedOverview, fractionOf, keyTarget, OVERVIEW_BUCKETS, rangeOf, runSegments, runStrokes, seqAt, valueText } from './overview-strip.ts';

interface OverviewStripProps {
  threadId: string;
  /** The thread's counts (useThreadOverview). */
  load: Load<ThreadOverview>;
  runs: ReadonlyMap<string, RunSummary>;
  visible: VisibleWindow;
  /** Brings the timeline to a seq; resolves when it is there. */
  onSeek: (seq: number) => Promise<void>;
}

/** Rows of the strip, in CSS pixels from its top. */
const ERROR_ROW = { y: 0, height: 5 };
const TOOL_ERROR_ROW = { y: 6, height: 5 };
const RUN_ROW_HEIGHT = 5;
/**
 * Set once the strip has drawn its first picture (estimated from the runs, or counted), once it has drawn the
 * store's counts, and once its markers (bench/ui.bench.ts reads them).
 */
export const OVERVIEW_DRAWN_MARK = 'overview-strip:drawn';
export const OVERVIEW_COUNTED_MARK = 'overview-strip:counted';
export const OVERVIEW_MARKED_MARK = 'overview-strip:marked';

/**
 * The counts the strip draws, asked again when the thread changes, in an
 * order the store (which answers one call at a time) keeps. First what it has
 * at hand — events and messages from an index, a few tens of ms for 200,000
 * events, with the errors and failed tool calls the job worker found when a
 * SQLite source opened — before the timeline asks for its first messages (it
 * calls this before its jump). Only when those marks were not at hand are they
 * asked for, after the messages: reading a thread's rows never delays them.
 */
export function useThreadOverview(threadId: string): Load<ThreadOverview> {
  const [entry, setEntry] = useState<{ threadId: string; load: Load<ThreadOverview> }>({ threadId, load: { state: 'loading' } });
  const [tick, setTick] = useState(0);
  useStoreChanged(() => setTick((n) => n + 1), threadId);
  useEffect(() => {
    let current = true;
    const show = (load: Load<ThreadOverview>) => current && setEntry({ threadId, load });
    const fail = (error: unknown) =>
      current &&
      setEntry((previous) => ({ threadId, load: { state: 'error', error: errorMessage(error), value: previous.threadId === threadId ? previous.load.value : undefined } }));
    api
      .threadOverview({ threadId, buckets: OVERVIEW_BUCKETS, marks: 'kept' })
      .then((overview) => {
        if (hasMarks(overview)) return show({ state: 'ready', value: overview });
        show({ state: 'loading', value: overview });
        return api.threadOverview({ threadId, buckets: OVERVIEW_BUCKETS }).then((full) => show({ state: 'ready', value: full }));
      })
      .catch(fail);
    return () => {
      current = false;
    };
  }, [threadId, tick]);
  return entry.threadId === threadId ? entry.load : { state: 'loading' };
}

const hasMarks = (overview: ThreadOverview) => overview.buckets.errors !== null && overview.buckets.tool_errors !== null;

export function OverviewStrip({ threadId, load, runs, visible, onSeek }: OverviewStripProps) {
  const openedAt = useRef(performance.now());
  // Until the store's counts come, the runs list's estimate is drawn (a big thread's counts take a second).
  const estimate = useMemo(() => (load.state === 'loading' && !load.value ? estimatedOverview(runs.values(), OVERVIEW_BUCKETS) : null), [load, runs]);
  const overview = load.value ?? estimate ?? undefined;
  const range = overview ? rangeOf(overview) : null;
  // Placed once for the runs and the range: the estimate, the counts and the markers are drawn over the same ones.
  const [rangeFirst, rangeLast] = [range?.first, range?.last];
  const segments = useMemo(
    () => (rangeFirst === undefined || rangeLast === undefined ? [] : runSegments(runs.values(), { first: rangeFirst, last: rangeLast })),
    [runs, rangeFirst, rangeLast],
  );
  const win = useSyncExternalStore(visible.subscribe, visible.get);

  const stripRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const width = useWidth(stripRef);

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    const strip = stripRef.current;
    if (!canvas || !strip || !overview || width === 0) return;
    draw(canvas, overview, segments, width);
    // Once, from the thread's opening to its first picture, and to its first with markers.
    if (strip.dataset.drawnMs === undefined) {
      strip.dataset.drawnMs = String(Math.round(performance.now() - openedAt.current));
      performance.mark(OVERVIEW_DRAWN_MARK);
    }
    if (strip.dataset.countedMs === undefined && !estimate) {
      strip.dataset.countedMs = String(Math.round(performance.now() - openedAt.current));
      performance.mark(OVERVIEW_COUNTED_MARK);
    }
    if (strip.dataset.markedMs === undefined && hasMarks(overview)) {
      strip.dataset.markedMs = String(Math.round(performance.now() - openedAt.current));
      performance.mark(OVERVIEW_MARKED_MARK);
    }
  }, [overview, estimate, segments, width]);

  const seek = useSeek(onSeek);
  /** The seq the keys move from: where the viewer last put it, else where the timeline is. */
  const [position, setPosition] = useState<number | null>(null);
  const dragging = useRef(false);

  const seqAtPointer = (event: PointerEvent<HTMLDivElement>): number | null => {
    if (!range) return null;
    const box = event.currentTarget.getBoundingClientRect();
    return seqAt(range, (event.clientX - box.left) / box.width);
  };
  const seekTo = (seq: number | null) => {
    if (seq === null) return;
    setPosition(seq);
    seek(seq);
  };
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    dragging.current = true;
    event.currentTarget.setPointerCapture(event.pointerId);
    seekTo(seqAtPointer(event));
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (dragging.current) seekTo(seqAtPointer(event));
  };
  const onPointerUp = () => {
    dragging.current = false;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!range || !overview || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = keyTarget(event.key, position ?? win?.first ?? range.first, range, overview.bucket_seqs);
    if (target === null) return;
    event.preventDefault();
    seekTo(target);
  };

  const state = load.state === 'error' && !overview ? 'error' : !overview ? 'loading' : !range ? 'empty' : 'ready';
  const now = position ?? win?.first ?? range?.first ?? 0;
  return (
    <div
      ref={stripRef}
      className="overview-strip"
      role="slider"
      tabIndex={range ? 0 : -1}
      aria-label="Thread overview"
      aria-orientation="horizontal"
      aria-valuemin={range?.first ?? 0}
      aria-valuemax={range?.last ?? 0}
      aria-valuenow={now}
      aria-valuetext={range ? valueText(now, range) : state === 'error' ? 'could not be loaded' : 'no events'}
      aria-disabled={!range}
      title={
        load.state === 'error'
          ? `Could not load the thread overview: ${load.error}`
          : `The whole thread: runs (failed ones red), events and the messages among them${estimate ? ' (estimated from the runs while they are counted)' : ''}, errors (red), failed tool calls (amber) and the last health check’s findings (lines across). Click or drag to go there; arrow keys, Page Up / Down, Home and End move through it.`
      }
      data-testid="overview-strip"
      data-state={state}
      data-counts={estimate ? 'estimated' : overview ? 'counted' : 'pending'}
      data-marks={overview && hasMarks(overview) ? 'counted' : 'pending'}
      data-buckets={OVERVIEW_BUCKETS}
      data-first-seq={range?.first ?? ''}
      data-last-seq={range?.last ?? ''}
      data-window-first={win?.first ?? ''}
      data-window-last={win?.last ?? ''}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onFocus={() => setPosition(null)}
      onKeyDown={onKeyDown}
    >
      <canvas ref={canvasRef} className="overview-canvas" aria-hidden="true" />
      {range && <StripHealthMarks threadId={threadId} range={range} />}
      {range && win && <Span className="overview-window" range={range} from={win.first} to={win.last + 1} />}
      {range && position !== null && <Span className="overview-position" range={range} from={position} to={position} />}
    </div>
  );
}

/** A stretch of the strip from one seq to another, placed in percent so a resize needs no render. */
function Span({ className, range, from, to }: { className: string; range: SeqRange; from: number; to: number }) {
  const left = fractionOf(range, from) * 100;
  return <div className={className} style={{ left: `${left}%`, width: `${Math.max(0, fractionOf(range, to) * 100 - left)}%` }} />;
}

/**
 * Seeks one at a time: while the timeline is still getting to one seq, a drag's
 * later seqs wait, and only the latest of them is sought next.
 */
function useSeek(onSeek: (seq: number) => Promise<void>): (seq: number) => void {
  const inFlight = useRef(false);
  const next = useRef<number | null>(null);
  const onSeekRef = useRef(onSeek);
  onSeekRef.current = onSeek;
  useEffect(() => () => void (next.current = null), []);
  return useCallback((seq: number) => {
    next.current = seq;
    if (inFlight.current) return;
    inFlight.current = true;
    void (async () => {
      while (next.current !== null) {
        const target = next.current;
        next.current = null;
        await onSeekRef.current(target).catch(() => undefined);
      }
      inFlight.current = false;
    })();
  }, []);
}

const TONE_COLOUR: Record<RunTone, string> = { failed: '--danger', stopped: '--warn', ok: '--border-strong' };

function draw(canvas: HTMLCanvasElement, overview: ThreadOverview, segments: readonly RunSegment[], width: number): void {
  const height = canvas.clientHeight;
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const context = canvas.getContext('2d');
  if (!context) return;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  if (!rangeOf(overview)) return;
  // Each colour read once: a read of the computed style brings the page's style up to date first, which after
  // a big render (the Runs tab of 5,000 runs) took seconds when it was done for every run's segment.
  const style = getComputedStyle(canvas);
  const colour = (name: string) => style.getPropertyValue(name).trim();
  const toneColours = Object.fromEntries(Object.entries(TONE_COLOUR).map(([tone, name]) => [tone, colour(name)])) as Record<RunTone, string>;

  const runY = height - RUN_ROW_HEIGHT;
  for (const stroke of runStrokes(segments, width)) {
    context.fillStyle = toneColours[stroke.tone];
    // Neighbouring runs alternate in strength, so each one is seen as a segment of its own.
    context.globalAlpha = stroke.faint ? 0.55 : 1;
    context.fillRect(stroke.x, runY, stroke.width, RUN_ROW_HEIGHT);
  }
  context.globalAlpha = 1;

  const columns = columnsOf(overview, Math.min(width, overview.buckets.events.length));
  const columnWidth = width / columns.length;
  const densityTop = TOOL_ERROR_ROW.y + TOOL_ERROR_ROW.height + 1;
  const densityHeight = runY - 1 - densityTop;
  const busiest = Math.max(1, ...columns.map((c) => c.events));
  const density = colour('--cat-trace');
  const messages = colour('--cat-message');
  const danger = colour('--danger');
  const warn = colour('--warn');
  columns.forEach((column, i) => {
    const x = i * columnWidth;
    // Markers stay at least a pixel and a half wide, so one error in 200,000 events is still seen.
    const marker = Math.max(1.5, columnWidth);
    // Seqs are consecutive, so events alone are even but for deleted runs: the messages among them say where the conversation is.
    for (const [count, fill, alpha] of [[column.events, density, 0.25], [column.messages, messages, 0.6]] as const) {
      if (count === 0) continue;
      const bar = Math.max(1, (count / busiest) * densityHeight);
      context.fillStyle = fill;
      context.globalAlpha = alpha;
      context.fillRect(x, densityTop + densityHeight - bar, Math.max(1, columnWidth), bar);
    }
    context.globalAlpha = 1;
    if (column.errors > 0) {
      context.fillStyle = danger;
      context.fillRect(x, ERROR_ROW.y, marker, ERROR_ROW.height);
    }
    if (column.toolErrors > 0) {
      context.fillStyle = warn;
      context.fillRect(x, TOOL_ERROR_ROW.y, marker, TOOL_ERROR_ROW.height);
    }
  });
}
