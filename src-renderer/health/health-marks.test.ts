import { describe, expect, it } from 'vitest';
import { type HealthFinding, type HealthKind, SEVERITY_OF } from '../../src-shared/health.ts';
import { healthIndex, runHealthText, stripMarks } from './health-marks.ts';

const found = (kind: HealthKind, thread_id: string | null, run_id: string | null, seq: number | null): HealthFinding => ({
  kind,
  severity: SEVERITY_OF[kind],
  thread_id,
  run_id,
  seq,
  message: kind,
});

const index = healthIndex([
  found('tool_call_without_result', 't1', 'r1', 40),
  found('run_without_end', 't1', 'r1', 44),
  found('tool_call_without_result', 't1', 'r1', 20),
  found('duplicate_seq', 't1', null, 10),
  found('runs_row_without_events', 't1', 'r2', null),
  found('orphan_events', 't2', null, null),
  found('malformed_line', null, null, null),
]);

describe('the runs’ marks', () => {
  it('gather each run’s findings by kind, in the kinds’ order, with the worst severity', () => {
    expect(index.runs.get('t1')?.get('r1')).toEqual({
      severity: 'warning',
      kinds: [
        { kind: 'run_without_end', count: 1 },
        { kind: 'tool_call_without_result', count: 2 },
      ],
    });
    expect(index.runs.get('t1')?.get('r2')).toEqual({ severity: 'info', kinds: [{ kind: 'runs_row_without_events', count: 1 }] });
  });

  it('leave out what names no run, and threads without run findings', () => {
    expect([...(index.runs.get('t1')?.keys() ?? [])].sort()).toEqual(['r1', 'r2']);
    expect(index.runs.has('t2')).toBe(false);
  });

  it('are named kind by kind with their counts', () => {
    expect(runHealthText(index.runs.get('t1')!.get('r1')!)).toBe('Health: run_without_end, tool_call_without_result ×2');
  });

  it('of the worst severity whatever the order found', () => {
    const mixed = healthIndex([found('seq_gap', 't1', 'r1', 1), found('duplicate_seq', 't1', 'r1', 2), found('run_without_end', 't1', 'r1', 3)]);
    expect(mixed.runs.get('t1')?.get('r1')?.severity).toBe('error');
  });
});

describe('the strip’s marks', () => {
  it('are a thread’s findings with a seq, in seq order', () => {
    expect(index.seqs.get('t1')).toEqual([
      { seq: 10, severity: 'error' },
      { seq: 20, severity: 'warning' },
      { seq: 40, severity: 'warning' },
      { seq: 44, severity: 'warning' },
    ]);
    expect(index.seqs.has('t2')).toBe(false);
  });

  it('sit where their seq does, one a place, of the worst severity there, and none outside the range', () => {
    const marks = [
      { seq: 1, severity: 'info' as const },
      { seq: 2, severity: 'error' as const },
      { seq: 50, severity: 'warning' as const },
      { seq: 101, severity: 'error' as const },
    ];
    expect(stripMarks(marks, { first: 1, last: 100 }, 10)).toEqual([
      { seq: 1, severity: 'error', fraction: 0 },
      { seq: 50, severity: 'warning', fraction: 0.49 },
    ]);
  });

  it('are no more than the strip’s places however many findings there are', () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ seq: i + 1, severity: 'warning' as const }));
    expect(stripMarks(many, { first: 1, last: 5000 }, 1000)).toHaveLength(1000);
  });
});
