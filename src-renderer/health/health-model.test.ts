import { describe, expect, it } from 'vitest';
import { type HealthFinding, type HealthKind, healthReport, SEVERITY_OF } from '../../src-shared/health.ts';
import { filterFindings, findingPlace, findingSelection, healthSummary, noHealthFilter, presentKinds, severityCounts } from './health-model.ts';

const found = (kind: HealthKind, at: Partial<HealthFinding> = {}): HealthFinding => ({
  kind,
  severity: SEVERITY_OF[kind],
  thread_id: 't1',
  run_id: null,
  seq: null,
  message: kind,
  ...at,
});

const report = healthReport([
  found('seq_gap', { seq: 7 }),
  found('run_without_end', { run_id: 'r1', seq: 9 }),
  found('duplicate_seq', { seq: 3 }),
  found('tool_call_without_result', { run_id: 'r1', seq: 5 }),
  found('tool_call_without_result', { run_id: 'r2', seq: 12 }),
  found('truncated_content', { thread_id: 't2', seq: 1 }),
]);

describe('the counts by severity', () => {
  it('add up the kinds of each severity', () => {
    expect(severityCounts(report.counts)).toEqual({ error: 1, warning: 3, info: 2 });
  });

  it('are worded errors first, leaving out what is zero, and a clean store says so', () => {
    expect(healthSummary(report.counts)).toBe('1 error, 3 warnings, 2 info');
    expect(healthSummary(healthReport([found('seq_gap'), found('truncated_content', { thread_id: 't2' })]).counts)).toBe('2 info');
    expect(healthSummary(healthReport([found('orphan_events')]).counts)).toBe('1 warning');
    expect(healthSummary(healthReport([]).counts)).toBe('no findings');
  });
});

describe('the filter', () => {
  it('keeps every finding, in the report’s order (errors first), when nothing is picked', () => {
    expect(filterFindings(report.findings, noHealthFilter).map((f) => f.kind)).toEqual([
      'duplicate_seq',
      'tool_call_without_result',
      'run_without_end',
      'tool_call_without_result',
      'seq_gap',
      'truncated_content',
    ]);
  });

  it('keeps the picked severities, or kinds, or the findings of both', () => {
    expect(filterFindings(report.findings, { severities: ['error', 'info'], kinds: [] }).map((f) => f.kind)).toEqual(['duplicate_seq', 'seq_gap', 'truncated_content']);
    expect(filterFindings(report.findings, { severities: [], kinds: ['tool_call_without_result'] }).map((f) => f.run_id)).toEqual(['r1', 'r2']);
    expect(filterFindings(report.findings, { severities: ['warning'], kinds: ['seq_gap', 'run_without_end'] }).map((f) => f.kind)).toEqual(['run_without_end']);
  });

  it('offers the kinds the report has, in the kinds’ order, with their counts', () => {
    expect(presentKinds(report)).toEqual([
      { kind: 'duplicate_seq', count: 1 },
      { kind: 'run_without_end', count: 1 },
      { kind: 'tool_call_without_result', count: 2 },
      { kind: 'seq_gap', count: 1 },
      { kind: 'truncated_content', count: 1 },
    ]);
  });
});

describe('where a finding leads', () => {
  it('an event of a run: that run’s trace at the event, unfiltered', () => {
    expect(findingSelection(found('tool_call_without_result', { run_id: 'r1', seq: 5 }))).toMatchObject({
      threadId: 't1',
      tab: 'trace',
      runId: 'r1',
      eventSeq: 5,
      traceFilter: { categories: [], eventTypes: [], taskId: null },
      traceMode: 'events',
    });
  });

  it('an event no run is named for: the thread’s messages with the event open', () => {
    expect(findingSelection(found('duplicate_seq', { seq: 3 }))).toMatchObject({ threadId: 't1', tab: 'messages', runId: null, eventSeq: 3 });
  });

  it('a run without a seq: its trace, but a runs row with no events the Runs tab', () => {
    expect(findingSelection(found('run_without_end', { run_id: 'r1' }))).toMatchObject({ tab: 'trace', runId: 'r1', eventSeq: null });
    expect(findingSelection(found('runs_row_without_events', { run_id: 'r9' }))).toMatchObject({ tab: 'runs', runId: 'r9', eventSeq: null });
  });

  it('a thread alone: its messages; no thread: nowhere', () => {
    expect(findingSelection(found('orphan_events'))).toMatchObject({ threadId: 't1', tab: 'messages', runId: null, eventSeq: null });
    expect(findingSelection(found('malformed_line', { thread_id: null, file: 'export.jsonl', line: 4 }))).toBeNull();
  });

  it('names a JSONL finding’s file and line', () => {
    expect(findingPlace(found('malformed_line', { file: 'threads/t1/runs/r1.jsonl', line: 4 }))).toBe('threads/t1/runs/r1.jsonl:4');
    expect(findingPlace(found('event_in_wrong_run_file', { file: 'threads/t1/runs/r1.jsonl' }))).toBe('threads/t1/runs/r1.jsonl');
    expect(findingPlace(found('seq_gap'))).toBeNull();
  });
});
