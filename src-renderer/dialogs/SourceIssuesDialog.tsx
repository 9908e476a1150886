// What reading the open source left out or filled in (DESIGN.md §3: skipped
// and defaulted JSONL lines, reported as path:line), errors first.
import { useMemo } from 'react';
import type { SourceIssue } from '../../src-shared/types.ts';
import { CloseActions, Dialog } from '../common/Dialog.tsx';
import { IssueList } from '../common/IssueList.tsx';
import { sortIssues, summarizeIssues } from '../common/source-issues.ts';

export function SourceIssuesDialog({ issues, onClose }: { issues: readonly SourceIssue[]; onClose: () => void }) {
  const sorted = useMemo(() => sortIssues(issues), [issues]);
  return (
    <Dialog title="Skipped and defaulted lines" onClose={onClose} className="issues-dialog" testId="source-issues-dialog">
      <div className="dialog-body">
        <p className="summary-line">{summarizeIssues(sorted) || 'Nothing was left out.'}</p>
        <p className="muted small">
          Skipped lines and paths not read are missing from every view; lines with warnings are shown with defaults for the fields they lack.
        </p>
        {sorted.length > 0 && <IssueList issues={sorted} label="Source issues" />}
        <CloseActions onClose={onClose} />
      </div>
    </Dialog>
  );
}
