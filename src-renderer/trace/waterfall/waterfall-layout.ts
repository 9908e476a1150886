// The waterfall's geometry, apart from React: which row each span takes
// (grouped by lane, indented under its parent), where it sits on the time
// axis, the visible window as it is zoomed and panned, and the ruler's ticks.
// Times are milliseconds from the run's start.
import type { RunSpan } from '../../../src-shared/types.ts';
import { LEAD_AGENT_LANE, MIDDLEWARE_PREFIX, taskIdOfLane } from '../../../src-shared/span-lanes.ts';
import { instantMs } from '../../../src-shared/time.ts';

export type WaterfallRow =
  | { kind: 'lane'; lane: string; label: string }
  | {
      kind: 'span';
      /** Index in the anatomy's `spans`. */
      span: number;
      /** Ancestors in the same lane group. */
      depth: number;
    };

export interface WaterfallLayout {
  rows: WaterfallRow[];
  /** span index → its row, -1 for none. */
  rowOfSpan: Int32Array;
  /** span index → ms from the run's start, and how long it lasted (0 for an instant). */
  startMs: Float64Array;
  durationMs: Float64Array;
  /** Where the last span ends, at least 1 ms: the axis's length. */
  extentMs: number;
}


/** Lead agent first, then the subagents' tasks, then middleware: the order a reader follows the work in. */
function laneRank(lane: string): number {
  if (lane === LEAD_AGENT_LANE) return 0;
  if (lane.startsWith(MIDDLEWARE_PREFIX)) return 2;
  return 1;
}

export function laneLabel(lane: string, taskName?: string): string {
  if (lane === LEAD_AGENT_LANE) return 'Lead agent';
  const taskId = taskIdOfLane(lane);
  if (taskId !== null) return taskName ? `Subagent task · ${taskName}` : `Subagent task ${taskId}`;
  const colon = lane.indexOf(':');
  if (colon > 0) return `${lane.slice(0, 1).toUpperCase()}${lane.slice(1, colon)} · ${lane.slice(colon + 1)}`;
  return lane;
}

/** The earliest start of any span: an LLM call's (its created_at less its latency) can come before the run's start. */
function originOf(spans: readonly RunSpan[]): number {
  let origin = Number.POSITIVE_INFINITY;
  for (const s of spans) {
    const start = instantMs(s.started_at);
    if (start < origin) origin = start;
  }
  return Number.isFinite(origin) ? origin : 0;
}

export function layoutWaterfall(spans: readonly RunSpan[]): WaterfallLayout {
  const origin = originOf(spans);
  const startMs = new Float64Array(spans.length);
  const durationMs = new Float64Array(spans.length);
  let extentMs = 1;
  spans.forEach((s, i) => {
    const start = instantMs(s.started_at) - origin;
    startMs[i] = Number.isFinite(start) ? start : 0;
    durationMs[i] = Math.max(0, s.duration_ms);
    extentMs = Math.max(extentMs, startMs[i] + durationMs[i]);
  });

  const group = spans.map((s) => s.lane);
  const children: number[][] = spans.map(() => []);
  const roots = new Map<string, number[]>();
  const runRows: number[] = [];
  spans.forEach((s, i) => {
    if (s.kind === 'run') return runRows.push(i);
    const parent = s.parent;
    // A span whose parent belongs to another group starts a tree of its own in its group.
    if (parent !== null && parent !== i && spans[parent] && spans[parent].kind !== 'run' && group[parent] === group[i]) children[parent].push(i);
    else if (roots.has(group[i])) roots.get(group[i])?.push(i);
    else roots.set(group[i], [i]);
  });

  const rows: WaterfallRow[] = runRows.map((span) => ({ kind: 'span', span, depth: 0 }));
  const rowOfSpan = new Int32Array(spans.length).fill(-1);
  for (const span of runRows) rowOfSpan[span] = runRows.indexOf(span);
  const placeTree = (root: number) => {
    // Depth first without recursion: a 10,000-span run can nest deeply.
    const stack = [{ span: root, depth: 0 }];
    for (let next = stack.pop(); next; next = stack.pop()) {
      if (rowOfSpan[next.span] >= 0) continue;
      rowOfSpan[next.span] = rows.length;
      rows.push({ kind: 'span', span: next.span, depth: next.depth });
      for (let c = children[next.span].length - 1; c >= 0; c--) stack.push({ span: children[next.span][c], depth: next.depth + 1 });
    }
  };
  const lanes = [...roots.keys()].sort((a, b) => laneRank(a) - laneRank(b));
  for (const lane of lanes) {
    const head = (roots.get(lane) ?? [])[0];
    rows.push({ kind: 'lane', lane, label: laneLabel(lane, spans[head]?.kind === 'subagent' ? spans[head].name : undefined) });
    for (const root of roots.get(lane) ?? []) placeTree(root);
  }
  // Spans whose parents lead back to themselves (data no agent should write) reach no root: shown last, never dropped.
  const unplaced = spans.map((_, i) => i).filter((i) => rowOfSpan[i] < 0);
  if (unplaced.length > 0) {
    rows.push({ kind: 'lane', lane: '', label: 'Spans whose parents form a loop' });
    for (const span of unplaced) placeTree(span);
  }
  return { rows, rowOfSpan, startMs, durationMs, extentMs };
}

/** The span row `step` span rows away from row `from` (lane rows are skipped), or `from` at either end. */
export function stepSpanRow(rows: readonly WaterfallRow[], from: number, step: 1 | -1): number {
  for (let r = from + step; r >= 0 && r < rows.length; r += step) if (rows[r].kind === 'span') return r;
  return from;
}

/** The first span row below `row` whose span's parent is `row`'s span, or null. */
export function firstChildRow(layout: WaterfallLayout, spans: readonly RunSpan[], row: number): number | null {
  const current = layout.rows[row];
  if (current?.kind !== 'span') return null;
  let first: number | null = null;
  spans.forEach((s, i) => {
    const r = layout.rowOfSpan[i];
    if (s.parent === current.span && i !== current.span && r >= 0 && (first === null || r < first)) first = r;
  });
  return first;
}

/** The visible window of the time axis. */
export interface TimeView {
  fromMs: number;
  toMs: number;
}

export const fitView = (extentMs: number): TimeView => ({ fromMs: 0, toMs: extentMs });

/**
 * The narrowest window: 1 ms, or wider where the whole run drawn at that zoom
 * would pass the ~16 million px a layout box can measure (bars would stop short).
 */
export const minViewMs = (extentMs: number, trackPx: number): number => Math.max(1, (extentMs * Math.max(1, trackPx)) / 1.6e7);

function clampView(fromMs: number, widthMs: number, extentMs: number): TimeView {
  const width = Math.min(widthMs, extentMs);
  const from = Math.min(Math.max(0, fromMs), extentMs - width);
  return { fromMs: from, toMs: from + width };
}

/** Zooms by `factor` (> 1: in) keeping the instant at `anchor` (0 left edge … 1 right edge) in place. */
export function zoomView(view: TimeView, factor: number, anchor: number, extentMs: number, minWidthMs: number): TimeView {
  const width = view.toMs - view.fromMs;
  const nextWidth = Math.min(extentMs, Math.max(minWidthMs, width / factor));
  const at = view.fromMs + width * Math.min(1, Math.max(0, anchor));
  return clampView(at - (at - view.fromMs) * (nextWidth / width), nextWidth, extentMs);
}

export const panView = (view: TimeView, deltaMs: number, extentMs: number): TimeView => clampView(view.fromMs + deltaMs, view.toMs - view.fromMs, extentMs);

/** The window moved (not resized) to a span none of which is in it, its start a little after the left edge. */
export function revealView(view: TimeView, startMs: number, durationMs: number, extentMs: number): TimeView {
  const width = view.toMs - view.fromMs;
  const overlaps = startMs <= view.toMs && startMs + durationMs >= view.fromMs;
  return overlaps ? view : clampView(startMs - width * 0.1, width, extentMs);
}

/** A wheel's (or a pinch's) zoom factor: a notch of 100 px zooms by about 1.22. */
export const wheelZoomFactor = (deltaY: number): number => Math.exp(-deltaY * 0.002);

export interface Tick {
  ms: number;
  label: string;
}

// 1-2-5 in milliseconds, then the steps a clock reads in: seconds, minutes, hours.
const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000];
const HOUR = 3_600_000;

export function tickStep(rawMs: number): number {
  const step = STEPS.find((s) => s >= rawMs);
  if (step !== undefined) return step;
  const hours = rawMs / HOUR;
  const magnitude = 10 ** Math.floor(Math.log10(hours));
  return HOUR * magnitude * ([1, 2, 5, 10].find((m) => m * magnitude >= hours) ?? 10);
}

const trimZeros = (text: string) => (text.includes('.') ? text.replace(/\.?0+$/, '') : text);

/** A tick's label in the unit its step reads best in: `250 ms`, `1.5 s`, `2 min 30 s`, `1 h 15 min`. */
export function tickLabel(ms: number, stepMs: number): string {
  if (ms === 0) return '0';
  if (stepMs < 1_000 && ms < 1_000) return `${ms} ms`;
  if (stepMs < 1_000) return `${trimZeros((ms / 1_000).toFixed(3))} s`;
  if (ms < 60_000) return `${ms / 1_000} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1_000);
  if (stepMs < 60_000) return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
  if (ms < HOUR) return `${minutes} min`;
  const hours = Math.floor(ms / HOUR);
  const rest = Math.round((ms % HOUR) / 60_000);
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** Ticks at least `minSpacingPx` apart across a track `trackPx` wide. */
export function rulerTicks(view: TimeView, trackPx: number, minSpacingPx = 90): Tick[] {
  const width = view.toMs - view.fromMs;
  if (!(width > 0) || !(trackPx > 0)) return [];
  const step = tickStep((width * minSpacingPx) / trackPx);
  const ticks: Tick[] = [];
  for (let ms = Math.ceil(view.fromMs / step) * step; ms <= view.toMs; ms += step) ticks.push({ ms, label: tickLabel(ms, step) });
  return ticks;
}
