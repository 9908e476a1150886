// What a JSONL source's own reading found, as health findings: the source
// issues its store already reports (jsonl-reader's record rule, the
// thread-wide duplicate rule of thread-files.ts and jsonl-export.ts) read as
// malformed_line, event_in_wrong_run_file (one per file) and duplicate_seq
// (one per thread and seq, across the thread's files). Such a store keeps
// the first record of a seq and a record under its file's run, so an event
// pass over it sees neither; only the issues tell, by what they say they
// are about (SourceIssue.about), never by their wording.
import path from 'node:path';
import type { HealthFinding } from '../../src-shared/health.ts';
import type { SourceInfo, SourceIssue } from '../../src-shared/types.ts';
import { layoutIds } from '../store/jsonl/layout.ts';
import { finding } from './thread-check.ts';

interface FileOfOtherRuns {
  issue: SourceIssue;
  records: number;
}

/** `source`: a layout (its root) or an export file; `threadId`: only what concerns that thread. Paths are shown relative to the layout's root or the file's folder. */
export function jsonlFindings(source: Pick<SourceInfo, 'kind' | 'path'>, issues: readonly SourceIssue[], threadId?: string): HealthFinding[] {
  const folder = source.kind === 'jsonl-file' ? path.dirname(source.path!) : source.path!;
  const relative = (file: string) => path.relative(folder, file);
  const found: HealthFinding[] = [];
  const duplicates = new Map<string, { thread: string; seq: number; skipped: SourceIssue[] }>();
  const otherRuns = new Map<string, FileOfOtherRuns>();
  for (const issue of issues) {
    const { about } = issue;
    const ids = layoutIds(issue.path);
    const thread = about?.kind === 'duplicate_seq' ? about.thread_id : (ids?.thread_id ?? null);
    if (threadId !== undefined && thread !== threadId) continue;
    if (about?.kind === 'duplicate_seq') {
      const key = `${thread}\u0000${about.seq}`;
      const known = duplicates.get(key);
      if (known) known.skipped.push(issue);
      else duplicates.set(key, { thread: about.thread_id, seq: about.seq, skipped: [issue] });
    } else if (about?.kind === 'other_run') {
      const known = otherRuns.get(issue.path);
      if (known) known.records++;
      else otherRuns.set(issue.path, { issue, records: 1 });
    } else if (issue.severity === 'error') {
      const line = issue.line > 0 ? issue.line : undefined;
      found.push({ ...finding('malformed_line', thread, ids?.run_id ?? null, null, issue.message), file: relative(issue.path), line });
    }
  }
  for (const { thread, seq, skipped } of duplicates.values()) {
    const first = skipped[0];
    const others = skipped.map((issue) => `${relative(issue.path)}:${issue.line}`).join(', ');
    const message = `${skipped.length + 1} records share seq ${seq}: the first read is kept, ${skipped.length === 1 ? 'the other is' : 'the others are'} at ${others}`;
    found.push({ ...finding('duplicate_seq', thread, layoutIds(first.path)?.run_id ?? null, seq, message), file: relative(first.path), line: first.line });
  }
  for (const [file, { issue, records }] of otherRuns) {
    const { thread_id, run_id } = layoutIds(file)!;
    const message = `${records === 1 ? '1 record names' : `${records} records name`} another run than its file's ${JSON.stringify(run_id)} (the first at line ${issue.line}); read as this run's`;
    found.push({ ...finding('event_in_wrong_run_file', thread_id, run_id, null, message), file: relative(file), line: issue.line });
  }
  return found;
}
