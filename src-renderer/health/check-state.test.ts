import { describe, expect, it } from 'vitest';
import { type HealthFinding, type HealthKind, healthReport, SEVERITY_OF } from '../../src-shared/health.ts';
import { checkPlan, MAX_THREAD_CHECKS, mergeThreadFindings, withChange } from './check-state.ts';

const found = (kind: HealthKind, thread_id: string | null, seq: number | null = null): HealthFinding => ({
  kind,
  severity: SEVERITY_OF[kind],
  thread_id,
  run_id: null,
  seq,
  message: `${kind} ${thread_id} ${seq}`,
});

const report = healthReport([found('seq_gap', 't1', 4), found('orphan_events', 't2'), found('malformed_line', null)]);

describe('what the next check looks at', () => {
  it('the whole store before the first report, and after the whole source changed', () => {
    expect(checkPlan(undefined, null)).toEqual({ kind: 'store' });
    expect(checkPlan(report, withChange(null, { threadIds: null }))).toEqual({ kind: 'store' });
    expect(checkPlan(report, withChange(withChange(null, { threadIds: ['t1'] }), { threadIds: null }))).toEqual({ kind: 'store' });
  });

  it('only the threads changed since, gathered over changes', () => {
    const unchecked = withChange(withChange(null, { threadIds: ['t1'] }), { threadIds: ['t3', 't1'] });
    expect(checkPlan(report, unchecked)).toEqual({ kind: 'threads', threadIds: ['t1', 't3'] });
    expect(checkPlan(report, withChange('all', { threadIds: ['t1'] }))).toEqual({ kind: 'store' });
  });

  it('nothing when nothing changed; the whole store when more threads changed than are worth checking one by one', () => {
    expect(checkPlan(report, null)).toEqual({ kind: 'none' });
    const many = Array.from({ length: MAX_THREAD_CHECKS + 1 }, (_, i) => `t${i}`);
    expect(checkPlan(report, withChange(null, { threadIds: many }))).toEqual({ kind: 'store' });
  });
});

describe('a thread’s check merged into the report', () => {
  it('replaces that thread’s findings, keeps the others’ and those of no thread, and counts again', () => {
    const merged = mergeThreadFindings(report, ['t1'], [found('duplicate_seq', 't1', 2), found('seq_gap', 't1', 9)]);
    expect(merged.findings.map((f) => f.message)).toEqual(['malformed_line null null', 'duplicate_seq t1 2', 'orphan_events t2 null', 'seq_gap t1 9']);
    expect(merged.counts).toMatchObject({ duplicate_seq: 1, malformed_line: 1, orphan_events: 1, seq_gap: 1 });
  });

  it('drops the findings of a thread checked clean (deleted, or repaired)', () => {
    const merged = mergeThreadFindings(report, ['t2'], []);
    expect(merged.findings.map((f) => f.thread_id)).toEqual([null, 't1']);
    expect(merged.counts.orphan_events).toBe(0);
  });
});
