// What a JSONL source's own reading found, as health findings: the source
// issues its store already reports (jsonl-reader's record rule, the
// thread-wide duplicate rule of thread-files.ts and jsonl-export.ts) read as
// malformed_line, event_in_wrong_run_file (one per file) and duplicate_seq
// (one per thread and seq, across the thread's files). Such a store keeps
// the first record of a seq and a record under its file's run, so an event
// pass over it sees neither; only the issues tell.
import path from 'node:path';
import type { HealthFinding } from '../../src-shared/health.ts';
import type { SourceInfo, SourceIssue } from '../../src-shared/types.ts';
import { layoutIds } from '../store/jsonl/layout.ts';
import { finding } from './thread-check.ts';

/** The store's words for a record skipped for its seq (thread-files.ts, jsonl-export.ts): its seq and thread. */
const DUPLICATE_SEQ = /^duplicate seq (\d+) in thread ("(?:[^"\\]|\\.)*"):/;
/** jsonl-reader's warning for a layout record whose run_id is not its file's (the file's is used). */
const OTHER_RUN = /(?:^|; )run_id .* differs from the path's /;

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
    const ids = layoutIds(issue.path);
    const duplicate = issue.severity === 'error' ? DUPLICATE_SEQ.exec(issue.message) : null;
    const thread = duplicate ? (JSON.parse(duplicate[2]) as string) : (ids?.thread_id ?? null);
    if (threadId !== undefined && thread !== threadId) continue;
    if (duplicate) {
      const seq = Number(duplicate[1]);
      const key = `${thread}\u0000${seq}`;
      const known = duplicates.get(key);
      if (known) known.skipped.push(issue);
      else duplicates.set(key, { thread: thread!, seq, skipped: [issue] });
    } else if (issue.severity === 'error') {
      const line = issue.line > 0 ? issue.line : undefined;
      found.push({ ...finding('malformed_line', thread, ids?.run_id ?? null, null, issue.message), file: relative(issue.path), line });
    } else if (ids && OTHER_RUN.test(issue.message)) {
      const known = otherRuns.get(issue.path);
      if (known) known.records++;
      else otherRuns.set(issue.path, { issue, records: 1 });
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
