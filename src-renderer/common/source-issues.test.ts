import { describe, expect, it } from 'vitest';
import type { SourceIssue } from '../../src-shared/types.ts';
import { issuePlace, sortIssues, summarizeIssues } from './source-issues.ts';

const issue = (path: string, line: number, severity: SourceIssue['severity'], message = 'why'): SourceIssue => ({ path, line, severity, message });

describe('source issues', () => {
  it('places an issue at path:line, or at the path alone when the whole file was left out', () => {
    expect(issuePlace(issue('/s/threads/t/runs/r.jsonl', 7, 'error'))).toBe('/s/threads/t/runs/r.jsonl:7');
    expect(issuePlace(issue('/s/threads/bad id', 0, 'warning'))).toBe('/s/threads/bad id');
  });

  it('sorts errors first, then by file and line (numerically)', () => {
    const sorted = sortIssues([issue('/b', 2, 'warning'), issue('/b', 10, 'error'), issue('/a', 0, 'warning'), issue('/b', 9, 'error'), issue('/a', 3, 'error')]);
    expect(sorted.map((i) => `${i.severity} ${issuePlace(i)}`)).toEqual(['error /a:3', 'error /b:9', 'error /b:10', 'warning /a', 'warning /b:2']);
  });

  it('counts skipped lines, paths not read and warnings, leaving out what is zero', () => {
    expect(summarizeIssues([])).toBe('');
    expect(summarizeIssues([issue('/a', 1, 'error'), issue('/a', 2, 'error'), issue('/a', 3, 'error'), issue('/a', 4, 'warning'), issue('/a', 5, 'warning')])).toBe(
      '3 skipped lines · 2 warnings',
    );
    expect(summarizeIssues([issue('/a', 1, 'warning'), issue('/x', 0, 'warning')])).toBe('1 path not read · 1 warning');
    expect(summarizeIssues(Array.from({ length: 1234 }, (_, i) => issue('/a', i + 1, 'error')))).toBe('1,234 skipped lines');
  });
});
