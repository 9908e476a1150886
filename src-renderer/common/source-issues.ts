// How the open source's skipped and defaulted lines are named, ordered and counted.
import type { SourceIssue } from '../../src-shared/types.ts';
import { plural } from './format.ts';

/** A line left out (error), a whole file or folder left out (line 0), or a line kept with defaults. */
export type IssueKind = 'skipped' | 'not read' | 'warning';

export const issueKind = (issue: SourceIssue): IssueKind => (issue.line === 0 ? 'not read' : issue.severity === 'error' ? 'skipped' : 'warning');

/** `path:line`, or just the path when the whole file or folder was left out. */
export const issuePlace = (issue: SourceIssue): string => (issue.line > 0 ? `${issue.path}:${issue.line}` : issue.path);

/** Errors first, then by file and line. */
export function sortIssues(issues: readonly SourceIssue[]): SourceIssue[] {
  const rank = (issue: SourceIssue) => (issue.severity === 'error' ? 0 : 1);
  return [...issues].sort((a, b) => rank(a) - rank(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
}

/** `3 skipped lines · 1 path not read · 2 warnings`, leaving out what is zero; empty when there is nothing to report. */
export function summarizeIssues(issues: readonly SourceIssue[]): string {
  const counts: Record<IssueKind, number> = { skipped: 0, 'not read': 0, warning: 0 };
  for (const issue of issues) counts[issueKind(issue)]++;
  return [
    counts.skipped > 0 && plural(counts.skipped, 'skipped line'),
    counts['not read'] > 0 && `${plural(counts['not read'], 'path')} not read`,
    counts.warning > 0 && plural(counts.warning, 'warning'),
  ]
    .filter(Boolean)
    .join(' · ');
}
