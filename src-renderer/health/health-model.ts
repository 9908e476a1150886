// The Health panel's model apart from React: the counts by severity and how
// they are worded, the filter by severity and kind, where a finding is in the
// source and where activating it leads (the app's own selection).
import type { HealthFinding, HealthKind, HealthReport, HealthSeverity } from '../../src-shared/health.ts';
import { HEALTH_KINDS, HEALTH_SEVERITIES, SEVERITY_OF } from '../../src-shared/health.ts';
import { noSelection, type Selection } from '../app/selection.ts';
import { plural } from '../common/format.ts';
import { noFilter } from '../trace/trace-filter.ts';

export type SeverityCounts = Record<HealthSeverity, number>;

export function severityCounts(counts: Readonly<Record<HealthKind, number>>): SeverityCounts {
  const bySeverity: SeverityCounts = { error: 0, warning: 0, info: 0 };
  for (const kind of HEALTH_KINDS) bySeverity[SEVERITY_OF[kind]] += counts[kind];
  return bySeverity;
}

const SEVERITY_NOUNS: Record<HealthSeverity, [string, string]> = { error: ['error', 'errors'], warning: ['warning', 'warnings'], info: ['info', 'info'] };

/** `2 errors, 5 warnings, 9 info`, errors first and what is zero left out; `no findings` for a clean store. */
export function healthSummary(counts: Readonly<Record<HealthKind, number>>): string {
  const bySeverity = severityCounts(counts);
  const parts = HEALTH_SEVERITIES.filter((severity) => bySeverity[severity] > 0).map((severity) => plural(bySeverity[severity], ...SEVERITY_NOUNS[severity]));
  return parts.length > 0 ? parts.join(', ') : 'no findings';
}

/** Which findings the panel lists: none picked of either means all of it. */
export interface HealthFilter {
  severities: readonly HealthSeverity[];
  kinds: readonly HealthKind[];
}

export const noHealthFilter: HealthFilter = { severities: [], kinds: [] };

export const isHealthFiltered = (filter: HealthFilter): boolean => filter.severities.length > 0 || filter.kinds.length > 0;

export function filterFindings(findings: readonly HealthFinding[], filter: HealthFilter): readonly HealthFinding[] {
  if (!isHealthFiltered(filter)) return findings;
  return findings.filter(
    (finding) => (filter.severities.length === 0 || filter.severities.includes(finding.severity)) && (filter.kinds.length === 0 || filter.kinds.includes(finding.kind)),
  );
}

/** The kinds a report has, in the list's order (errors' kinds first), with their counts. */
export const presentKinds = (report: HealthReport): { kind: HealthKind; count: number }[] =>
  HEALTH_KINDS.filter((kind) => report.counts[kind] > 0).map((kind) => ({ kind, count: report.counts[kind] }));

/** A JSONL finding's `file:line` (or its file), else null. */
export const findingPlace = (finding: HealthFinding): string | null =>
  finding.file === undefined ? null : finding.line === undefined ? finding.file : `${finding.file}:${finding.line}`;

/**
 * Where a finding leads: an event (a seq) in its run's trace, or in the
 * thread's messages when no run is named; a run in its trace, but a runs row
 * without events in the Runs tab, as it has nothing to trace; else the thread.
 * Null for a finding no thread can be named for (a line of an export file).
 */
export function findingSelection(finding: HealthFinding): Partial<Selection> | null {
  if (finding.thread_id === null) return null;
  const thread = { ...noSelection, threadId: finding.thread_id };
  const { run_id: runId, seq } = finding;
  if (seq !== null && runId !== null) return { ...thread, tab: 'trace', runId, eventSeq: seq, traceFilter: noFilter, traceMode: 'events' };
  if (seq !== null) return { ...thread, eventSeq: seq };
  if (runId !== null) return { ...thread, tab: finding.kind === 'runs_row_without_events' ? 'runs' : 'trace', runId };
  return thread;
}
