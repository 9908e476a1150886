// Import a JSONL export (file or folder) into the open store, or into a new
// database, with progress and a summary that lists every skipped line.
import { useState } from 'react';
import type { ImportSummary } from '../../src-shared/contract.ts';
import { api } from '../api.ts';
import { formatCount, formatDuration } from '../common/format.ts';
import { IssueList } from '../common/IssueList.tsx';
import { JobDialog } from './JobDialog.tsx';
import { useJob } from './use-job.ts';

export function ImportDialog({ initialPath = '', onClose }: { initialPath?: string; onClose: () => void }) {
  const [path, setPath] = useState(initialPath);
  const [into, setInto] = useState('');
  const job = useJob();
  const { state } = job;
  const running = state.phase === 'running';

  const start = () => api.importJsonl({ path: path.trim(), ...(into.trim() ? { into: into.trim() } : {}) });
  const summary = state.phase === 'done' && state.result.ok && state.result.kind === 'import' && <ImportReport summary={state.result.summary} />;

  return (
    <JobDialog title="Import JSONL" verb="Import" testId="import-dialog" job={job} canStart={Boolean(path.trim())} start={start} onClose={onClose} summary={summary}>
      <label className="field">
        <span>JSONL file or folder</span>
        <input type="text" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/export.jsonl or /path/to/.deer-flow" required disabled={running} autoFocus spellCheck={false} />
      </label>
      <label className="field">
        <span>
          Into <span className="muted small">(empty: the open store; a .db path: a new or existing database)</span>
        </span>
        <input type="text" value={into} onChange={(e) => setInto(e.target.value)} placeholder="the open store" disabled={running} spellCheck={false} />
      </label>
    </JobDialog>
  );
}

function ImportReport({ summary }: { summary: ImportSummary }) {
  const skipped = summary.issues.filter((issue) => issue.severity === 'error');
  const warnings = summary.issues.filter((issue) => issue.severity === 'warning');
  return (
    <section className="import-summary" aria-label="Import summary" data-testid="import-summary">
      <p className="summary-line">
        Imported into <code className="name">{summary.into}</code> in {formatDuration(summary.seconds * 1000)}.
      </p>
      <dl className="summary-counts">
        <div>
          <dt>Imported</dt>
          <dd data-count="imported">{formatCount(summary.imported)}</dd>
        </div>
        <div>
          <dt>Duplicates</dt>
          <dd data-count="duplicates">{formatCount(summary.duplicates)}</dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd data-count="skipped">{formatCount(summary.skipped)}</dd>
        </div>
      </dl>
      {skipped.length > 0 && (
        <>
          <h3 className="small-heading">Skipped lines</h3>
          <IssueList issues={skipped} label="Skipped lines" />
        </>
      )}
      {warnings.length > 0 && (
        <details className="warnings">
          <summary>{formatCount(warnings.length)} lines kept with defaults</summary>
          <IssueList issues={warnings} label="Lines kept with defaults" />
        </details>
      )}
    </section>
  );
}
