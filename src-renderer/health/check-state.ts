// What the next health check must look at: the whole store at first and
// after the source changed as a whole (open, import, Reload), else only the
// threads changed since the last report, checked one by one and merged into it
// (a thread is seconds at most; the whole store of a million events, ~10 s).
import type { StoreChanged } from '../../src-shared/contract.ts';
import type { HealthFinding, HealthReport } from '../../src-shared/health.ts';
import { healthReport } from '../../src-shared/health.ts';

/** Changes the last report has not seen: none, some threads', or the whole source's. */
export type Unchecked = null | 'all' | ReadonlySet<string>;

/** Beyond this many changed threads one check of the whole store is cheaper than a check of each. */
export const MAX_THREAD_CHECKS = 8;

export function withChange(unchecked: Unchecked, change: StoreChanged): Unchecked {
  if (unchecked === 'all' || change.threadIds === null) return 'all';
  return new Set([...(unchecked ?? []), ...change.threadIds]);
}

export type CheckPlan = { kind: 'store' } | { kind: 'threads'; threadIds: string[] } | { kind: 'none' };

/** How to bring `report` (undefined: none yet) up to date with `unchecked`. */
export function checkPlan(report: HealthReport | undefined, unchecked: Unchecked): CheckPlan {
  if (report === undefined || unchecked === 'all') return { kind: 'store' };
  if (unchecked === null || unchecked.size === 0) return { kind: 'none' };
  if (unchecked.size > MAX_THREAD_CHECKS) return { kind: 'store' };
  return { kind: 'threads', threadIds: [...unchecked] };
}

/** `report` with the findings of `threadIds` replaced by theirs now (`fresh`, those threads' own checks). */
export function mergeThreadFindings(report: HealthReport, threadIds: readonly string[], fresh: readonly HealthFinding[]): HealthReport {
  const checked = new Set(threadIds);
  const kept = report.findings.filter((finding) => finding.thread_id === null || !checked.has(finding.thread_id));
  return healthReport([...kept, ...fresh]);
}
