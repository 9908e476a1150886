import { describe, expect, it } from 'vitest';
import type { RunSpan } from '../../../src-shared/types.ts';
import {
  firstChildRow,
  fitView,
  layoutWaterfall,
  minViewMs,
  panView,
  revealView,
  rulerTicks,
  stepSpanRow,
  tickLabel,
  tickStep,
  zoomView,
} from './waterfall-layout.ts';

const T0 = Date.parse('2026-04-04T09:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

function span(kind: RunSpan['kind'], name: string, lane: string, fromMs: number, toMs: number, parent: number | null, seq = 1): RunSpan {
  return { kind, name, lane, seq, end_seq: seq, started_at: at(fromMs), ended_at: at(toMs), duration_ms: toMs - fromMs, status: 'ok', parent };
}

// A run: the lead agent's call and its two tools, a subagent task under the `task` call with a step, and a middleware instant.
const spans: RunSpan[] = [
  span('run', 'run', 'lead_agent', 0, 10_000, null),
  span('llm', 'gpt-4o', 'lead_agent', 0, 900, 0),
  span('tool', 'web_search', 'lead_agent', 900, 1_820, 1),
  span('event', 'loop_detection', 'middleware:loop_detection', 1_000, 1_000, 0),
  span('tool', 'task', 'lead_agent', 900, 8_000, 1),
  span('subagent', 'researcher', 'task:t1', 950, 7_900, 4),
  span('llm', 'gpt-4o-mini', 'task:t1', 1_000, 2_000, 5),
  span('event', 'subagent.step', 'task:t1', 2_000, 2_000, 5),
];

const describeRows = (layout: ReturnType<typeof layoutWaterfall>) =>
  layout.rows.map((row) => (row.kind === 'lane' ? `[${row.label}]` : `${'  '.repeat(row.depth)}${spans[row.span].name}`));

describe('layoutWaterfall', () => {
  it('puts the run first, then a lane group each — lead agent, subagent tasks, middleware — each span under its parent', () => {
    expect(describeRows(layoutWaterfall(spans))).toEqual([
      'run',
      '[Lead agent]',
      'gpt-4o',
      '  web_search',
      '  task',
      '[Subagent task · researcher]',
      'researcher',
      '  gpt-4o-mini',
      '  subagent.step',
      '[Middleware · loop_detection]',
      'loop_detection',
    ]);
  });

  it('places each span from the run start and measures the axis to the last end', () => {
    const layout = layoutWaterfall(spans);
    expect(Array.from(layout.startMs)).toEqual([0, 0, 900, 1_000, 900, 950, 1_000, 2_000]);
    expect(layout.durationMs[2]).toBe(920);
    expect(layout.extentMs).toBe(10_000);
    expect(layout.rows[layout.rowOfSpan[6]]).toEqual({ kind: 'span', span: 6, depth: 1 });
  });

  it('starts the axis at the earliest span, an LLM call begun (by its latency) before the run.start', () => {
    const early = [span('run', 'run', 'lead_agent', 1_000, 5_000, null), span('llm', 'gpt-4o', 'lead_agent', 0, 1_500, 0)];
    const layout = layoutWaterfall(early);
    expect([Array.from(layout.startMs), layout.extentMs]).toEqual([[1_000, 0], 5_000]);
  });

  it('shows spans whose parents form a loop last, never leaving one out', () => {
    const looped = [span('run', 'run', 'lead_agent', 0, 5_000, null), span('tool', 'task', 'task:t1', 100, 900, 2), span('subagent', 'researcher', 'task:t1', 100, 900, 1)];
    const layout = layoutWaterfall(looped);
    expect(Array.from(layout.rowOfSpan).every((row) => row >= 0)).toBe(true);
    expect(layout.rows.filter((row) => row.kind === 'lane').map((row) => row.kind === 'lane' && row.label)).toEqual(['Spans whose parents form a loop']);
  });

  it('lays out an empty run and a run of instants', () => {
    expect(layoutWaterfall([])).toMatchObject({ rows: [], extentMs: 1 });
    const instant = layoutWaterfall([span('run', 'run', 'lead_agent', 0, 0, null)]);
    expect(instant.extentMs).toBe(1);
    expect(instant.rows).toHaveLength(1);
  });

  it('nests 10,000 spans deep without running out of stack', () => {
    const chain = [span('run', 'run', 'lead_agent', 0, 10_000, null), ...Array.from({ length: 10_000 }, (_, i) => span('event', `e${i}`, 'lead_agent', i, i + 1, i === 0 ? 0 : i))];
    const layout = layoutWaterfall(chain);
    expect(layout.rows).toHaveLength(10_002);
    expect(layout.rows.at(-1)).toEqual({ kind: 'span', span: 10_000, depth: 9_999 });
  });
});

describe('moving between rows', () => {
  const layout = layoutWaterfall(spans);
  it('steps over lane rows and stops at either end', () => {
    expect(stepSpanRow(layout.rows, 0, 1)).toBe(2);
    expect(stepSpanRow(layout.rows, 2, -1)).toBe(0);
    expect(stepSpanRow(layout.rows, 0, -1)).toBe(0);
    expect(stepSpanRow(layout.rows, layout.rows.length - 1, 1)).toBe(layout.rows.length - 1);
  });

  it("finds a span's first child row, and none for a leaf", () => {
    expect(firstChildRow(layout, spans, layout.rowOfSpan[1])).toBe(layout.rowOfSpan[2]);
    expect(firstChildRow(layout, spans, layout.rowOfSpan[5])).toBe(layout.rowOfSpan[6]);
    expect(firstChildRow(layout, spans, layout.rowOfSpan[2])).toBeNull();
  });
});

describe('zoom and pan', () => {
  it('zooms around the anchor, keeping the instant under it in place', () => {
    const view = zoomView(fitView(10_000), 2, 0.25, 10_000, 1);
    expect(view).toEqual({ fromMs: 1_250, toMs: 6_250 });
    expect(zoomView(view, 0.5, 0.25, 10_000, 1)).toEqual({ fromMs: 0, toMs: 10_000 });
  });

  it('never zooms out past the whole run, nor in past the narrowest window', () => {
    expect(zoomView(fitView(10_000), 0.1, 0.5, 10_000, 1)).toEqual({ fromMs: 0, toMs: 10_000 });
    const deep = zoomView(fitView(10_000), 1e9, 0.5, 10_000, 4);
    expect(deep.toMs - deep.fromMs).toBeCloseTo(4);
  });

  it('keeps the narrowest window wide enough for the run to be measured in px', () => {
    expect(minViewMs(1_000, 1_000)).toBe(1);
    expect(minViewMs(600_000, 1_000)).toBe(37.5);
  });

  it('pans within the run', () => {
    const view = { fromMs: 1_000, toMs: 3_000 };
    expect(panView(view, 500, 10_000)).toEqual({ fromMs: 1_500, toMs: 3_500 });
    expect(panView(view, -5_000, 10_000)).toEqual({ fromMs: 0, toMs: 2_000 });
    expect(panView(view, 50_000, 10_000)).toEqual({ fromMs: 8_000, toMs: 10_000 });
  });

  it('reveals a span outside the window, and leaves one any part of which is in it', () => {
    const view = { fromMs: 1_000, toMs: 2_000 };
    expect(revealView(view, 1_200, 100, 10_000)).toBe(view);
    expect(revealView(view, 0, 5_000, 10_000)).toBe(view);
    expect(revealView(view, 1_900, 5_000, 10_000)).toBe(view);
    expect(revealView(view, 5_000, 100, 10_000)).toEqual({ fromMs: 4_900, toMs: 5_900 });
    expect(revealView(view, 0, 500, 10_000)).toEqual({ fromMs: 0, toMs: 1_000 });
  });
});

describe('the ruler', () => {
  it('steps in 1-2-5 milliseconds, then clock steps, then hours', () => {
    expect(tickStep(0.3)).toBe(1);
    expect(tickStep(130)).toBe(200);
    expect(tickStep(11_000)).toBe(15_000);
    expect(tickStep(100_000)).toBe(120_000);
    expect(tickStep(2 * 3_600_000 + 1)).toBe(5 * 3_600_000);
  });

  it('labels each tick in the unit its step reads best in', () => {
    expect(tickLabel(0, 100)).toBe('0');
    expect(tickLabel(250, 50)).toBe('250 ms');
    expect(tickLabel(1_500, 500)).toBe('1.5 s');
    expect(tickLabel(1_020, 20)).toBe('1.02 s');
    expect(tickLabel(30_000, 5_000)).toBe('30 s');
    expect(tickLabel(75_000, 15_000)).toBe('1 min 15 s');
    expect(tickLabel(120_000, 15_000)).toBe('2 min');
    expect(tickLabel(600_000, 300_000)).toBe('10 min');
    expect(tickLabel(4_500_000, 900_000)).toBe('1 h 15 min');
    expect(tickLabel(7_200_000, 3_600_000)).toBe('2 h');
  });

  it('spaces ticks at least the given px apart across the window', () => {
    const ticks = rulerTicks({ fromMs: 0, toMs: 10_000 }, 1_000, 90);
    expect(ticks.map((t) => t.label)).toEqual(['0', '1 s', '2 s', '3 s', '4 s', '5 s', '6 s', '7 s', '8 s', '9 s', '10 s']);
    expect(rulerTicks({ fromMs: 1_005, toMs: 1_110 }, 1_000, 90).map((t) => t.label)).toEqual(['1.01 s', '1.02 s', '1.03 s', '1.04 s', '1.05 s', '1.06 s', '1.07 s', '1.08 s', '1.09 s', '1.1 s', '1.11 s']);
    expect(rulerTicks({ fromMs: 0, toMs: 0 }, 1_000)).toEqual([]);
  });
});
