// Store health (issue 15): what DeerFlow's own bugs and crashes leave in a
// store, as findings. One list of kinds, each with its fixed severity, shared
// by the checker (main, the `check` command) and the page's Health panel.

export const HEALTH_KINDS = [
  'duplicate_seq',
  'malformed_line',
  'event_in_wrong_run_file',
  'run_without_end',
  'subagent_without_end',
  'tool_call_without_result',
  'orphan_events',
  'runs_row_without_events',
  'seq_gap',
  'truncated_content',
] as const;

export type HealthKind = (typeof HEALTH_KINDS)[number];
export type HealthSeverity = 'error' | 'warning' | 'info';

export const HEALTH_SEVERITIES: readonly HealthSeverity[] = ['error', 'warning', 'info'];

export const SEVERITY_OF: Record<HealthKind, HealthSeverity> = {
  duplicate_seq: 'error',
  malformed_line: 'error',
  event_in_wrong_run_file: 'warning',
  run_without_end: 'warning',
  subagent_without_end: 'warning',
  tool_call_without_result: 'warning',
  orphan_events: 'warning',
  runs_row_without_events: 'info',
  seq_gap: 'info',
  truncated_content: 'info',
};

export interface HealthFinding {
  kind: HealthKind;
  severity: HealthSeverity;
  /** null only where no thread can be named: a malformed line of a single export file. */
  thread_id: string | null;
  run_id: string | null;
  seq: number | null;
  message: string;
  /** A JSONL finding's file, relative to the source's root, and its 1-based line where one line is meant. */
  file?: string;
  line?: number;
}

/** What `checkHealth` answers and `run-inspector check --json` prints: every kind in `counts`, 0 when clean. */
export interface HealthReport {
  findings: HealthFinding[];
  counts: Record<HealthKind, number>;
}

/** The `health:progress` push while a whole store is checked. */
export interface HealthProgress {
  checked: number;
  total: number;
}

const severityRank = (severity: HealthSeverity) => HEALTH_SEVERITIES.indexOf(severity);
const byText = (a: string | null, b: string | null) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);

/** Errors first, then warnings, then info; within one, by thread, run and seq (a finding without a seq first). */
export function compareFindings(a: HealthFinding, b: HealthFinding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    byText(a.thread_id, b.thread_id) ||
    byText(a.run_id, b.run_id) ||
    (a.seq ?? 0) - (b.seq ?? 0) ||
    HEALTH_KINDS.indexOf(a.kind) - HEALTH_KINDS.indexOf(b.kind)
  );
}

/** The report of these findings: sorted, every kind counted. */
export function healthReport(findings: HealthFinding[]): HealthReport {
  const counts = Object.fromEntries(HEALTH_KINDS.map((kind) => [kind, 0])) as Record<HealthKind, number>;
  for (const finding of findings) counts[finding.kind] += 1;
  return { findings: [...findings].sort(compareFindings), counts };
}
