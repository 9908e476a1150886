// Import a JSONL export (file or folder) into the open store, or into a new
// database, with progress and a summary that lists every skipped line and
// offers to open a database the import made. The desktop app picks both
// paths in native dialogs (main asks for the target, and on a read-only
// server whether to switch it to read-write); browser mode types them, and
// an import into a read-only server asks here first.
import { useState } from 'react';
import { type ImportSummary, SWITCH_TO_WRITE_QUESTION, switchesToWrite } from '../../src-shared/contract.ts';
import type { SourceInfo } from '../../src-shared/types.ts';
import { api, pageMode } from '../api.ts';
import type { DroppedChoice } from '../app/drop.ts';
import { errorMessage } from '../common/error-message.ts';
import { formatCount, formatDuration, plural } from '../common/format.ts';
import { IssueList } from '../common/IssueList.tsx';
import { JobDialog } from './JobDialog.tsx';
import { PathField } from './PathField.tsx';
import { useJob } from './use-job.ts';

interface ImportDialogProps {
  /** A dropped file or folder (desktop app). */
  drop?: DroppedChoice;
  /** The open source: an import into another database offers to open that one. */
  source: SourceInfo | undefined;
  onClose: () => void;
  onOpened: (info: SourceInfo) => void;
}

type PickKind = 'file' | 'folder';

export function ImportDialog({ drop, source, onClose, onOpened }: ImportDialogProps) {
  const [path, setPath] = useState('');
  const [into, setInto] = useState('');
  const [pickKind, setPickKind] = useState<PickKind>('file');
  const job = useJob();
  const { state } = job;
  const running = state.phase === 'running';

  // Into the open source (no other target typed) when that is a read-only server: switched to read-write first.
  const switchFirst = pageMode.kind === 'browser' && !into.trim() && switchesToWrite(source);
  const start = async () => {
    if (pageMode.kind === 'desktop') return pageMode.api.pickImport(drop ? { dropId: drop.dropId } : { kind: pickKind });
    if (switchFirst) await api.allowWrites({});
    return pageMode.api.importJsonl({ path: path.trim(), ...(into.trim() ? { into: into.trim() } : {}) });
  };
  const done = state.phase === 'done' && state.result.ok && state.result.kind === 'import' ? state.result : null;
  const summary = done && <ImportReport jobId={done.jobId} summary={done.summary} openable={done.summary.into !== source?.path} onOpened={onOpened} />;

  return (
    <JobDialog
      title="Import JSONL"
      verb="Import"
      testId="import-dialog"
      job={job}
      canStart={pageMode.kind === 'desktop' || Boolean(path.trim())}
      startLabel={switchFirst ? 'Switch to read-write and import' : undefined}
      start={start}
      onClose={onClose}
      summary={summary}
    >
      {drop ? (
        <p className="field">
          <span className="muted small">Dropped</span> <code className="name">{drop.path}</code>
        </p>
      ) : pageMode.kind === 'desktop' ? (
        <fieldset className="field" disabled={running}>
          <legend>What to import (chosen next, then where to)</legend>
          {(['file', 'folder'] as const).map((kind) => (
            <label key={kind} className="radio">
              <input type="radio" name="import-kind" value={kind} checked={pickKind === kind} onChange={() => setPickKind(kind)} />
              <span>{kind === 'file' ? 'A JSONL export file' : 'A JSONL folder (.deer-flow)'}</span>
            </label>
          ))}
        </fieldset>
      ) : (
        <>
          <PathField complete={pageMode.api.completePath} label="JSONL file or folder" value={path} onChange={setPath} placeholder="/path/to/export.jsonl or /path/to/.deer-flow" required disabled={running} autoFocus />
          <PathField complete={pageMode.api.completePath} label="Into (empty: the open store; a .db path: a new or existing database)" value={into} onChange={setInto} placeholder="the open store" disabled={running} />
          {switchFirst && (
            <p className="switch-to-write" data-testid="switch-to-write">
              {SWITCH_TO_WRITE_QUESTION}
            </p>
          )}
        </>
      )}
    </JobDialog>
  );
}

/** Opens the database an import made (main knows it by the job); the dialog closes once it is open. */
function OpenImported({ jobId, onOpened }: { jobId: string; onOpened: (info: SourceInfo) => void }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <p className="summary-line">
      <button type="button" onClick={() => void api.openImported({ jobId }).then(onOpened, (e: unknown) => setError(errorMessage(e)))}>
        Open it
      </button>{' '}
      {error ? <span className="error-text">{error}</span> : <span className="muted small">The import went into another database than the open one.</span>}
    </p>
  );
}

interface ImportReportProps {
  jobId: string;
  summary: ImportSummary;
  openable: boolean;
  onOpened: (info: SourceInfo) => void;
}

function ImportReport({ jobId, summary, openable, onOpened }: ImportReportProps) {
  const skipped = summary.issues.filter((issue) => issue.severity === 'error');
  const warnings = summary.issues.filter((issue) => issue.severity === 'warning');
  return (
    <section className="import-summary" aria-label="Import summary" data-testid="import-summary">
      <p className="summary-line">
        Imported into <code className="name">{summary.into}</code> in {formatDuration(summary.seconds * 1000)}.
      </p>
      {openable && <OpenImported jobId={jobId} onOpened={onOpened} />}
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
          <summary>{plural(warnings.length, 'line')} kept with defaults</summary>
          <IssueList issues={warnings} label="Lines kept with defaults" />
        </details>
      )}
    </section>
  );
}
