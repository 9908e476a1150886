import { describe, expect, it } from 'vitest';
import { HEALTH_KINDS, healthReport, SEVERITY_OF, type HealthFinding, type HealthKind } from './health.ts';

const finding = (kind: HealthKind, thread_id: string | null, seq: number | null = null, run_id: string | null = null): HealthFinding => ({
  kind,
  severity: SEVERITY_OF[kind],
  thread_id,
  run_id,
  seq,
  message: `${kind} in ${thread_id}`,
});

describe('a health report', () => {
  it('counts every kind, 0 for those not found', () => {
    const { counts } = healthReport([finding('seq_gap', 't1'), finding('seq_gap', 't2'), finding('duplicate_seq', 't1', 4)]);
    expect(Object.keys(counts)).toEqual([...HEALTH_KINDS]);
    expect(counts.seq_gap).toBe(2);
    expect(counts.duplicate_seq).toBe(1);
    expect(counts.malformed_line).toBe(0);
  });

  it('lists errors first, then warnings, then info; within one by thread, run and seq', () => {
    const { findings } = healthReport([
      finding('truncated_content', 'a'),
      finding('run_without_end', 'b', null, 'r2'),
      finding('duplicate_seq', 'b', 9),
      finding('run_without_end', 'b', null, 'r1'),
      finding('duplicate_seq', 'b', 3),
      finding('malformed_line', null),
    ]);
    expect(findings.map((f) => [f.kind, f.thread_id, f.run_id, f.seq])).toEqual([
      ['malformed_line', null, null, null],
      ['duplicate_seq', 'b', null, 3],
      ['duplicate_seq', 'b', null, 9],
      ['run_without_end', 'b', 'r1', null],
      ['run_without_end', 'b', 'r2', null],
      ['truncated_content', 'a', null, null],
    ]);
  });
});
