// Import a JSONL export (file or folder) into the open store, or into a new
// database, with progress and a summary that lists every skipped line and
// offers to open a database the import made. The desktop app picks both
// paths in native dialogs (main asks for the target); browser mode types them.
import { useState } from 'react';
import type { ImportSummary } from '../../src-shared/contract.ts';
import type { SourceInfo } from '../../src-shared/types.ts';
import { api, isDesktop } from '../api.ts';
import { errorMessage } from '../common/error-message.ts';
import { formatCount, formatDuration } from '../common/format.ts';
import { IssueList } from '../common/IssueList.tsx';
import { JobDialog } from './JobDialog.tsx';
import { PathField } from './PathField.tsx';
import { useJob } from './use-job.ts';

interface ImportDialogProps {
  /** A dropped file or folder. */
  initialPath?: string;
  /** The open source: an import into another database offers to open that one. */
  source: SourceInfo | undefined;
  onClose: () => void;
  onOpened: (info: SourceInfo) => void;
}

type PickKind = 'file' | 'folder';

export function ImportDialog({ initialPath = '', source, onClose, onOpened }: ImportDialogProps) {
  const [path, setPath] = useState(initialPath);
  const [into, setInto] = useState('');
  const [pickKind, setPickKind] = useState<PickKind>('file');
  const job = useJob();
  const { state } = job;
  const running = state.phase === 'running';

  const start = () => {
    if (isDesktop) return api.pickImport(initialPath ? { path: initialPath } : { kind: pickKind });
    return api.importJsonl({ path: path.trim(), ...(into.trim() ? { into: into.trim() } : {}) });
  };
  const result = state.phase === 'done' && state.result.ok && state.result.kind === 'import' ? state.result.summary : null;
  const summary = result && <ImportReport summary={result} openable={result.into !== source?.path} onOpened={onOpened} />;

  return (
    <JobDialog
      title="Import JSONL"
      verb="Import"
      testId="import-dialog"
      job={job}
      canStart={isDesktop || Boolean(path.trim())}
      start={start}
      onClose={onClose}
      summary={summary}
    >
      {isDesktop && initialPath ? (
        <p className="field">
          <span className="muted small">Dropped</span> <code className="name">{initialPath}</code>
        </p>
      ) : isDesktop ? (
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
          <PathField label="JSONL file or folder" value={path} onChange={setPath} placeholder="/path/to/export.jsonl or /path/to/.deer-flow" required disabled={running} autoFocus />
          <PathField label="Into (empty: the open store; a .db path: a new or existing database)" value={into} onChange={setInto} placeholder="the open store" disabled={running} />
        </>
      )}
    </JobDialog>
  );
}

/** Opens the database an import made; the dialog closes once it is open. */
function OpenImported({ into, onOpened }: { into: string; onOpened: (info: SourceInfo) => void }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <p className="summary-line">
      <button type="button" onClick={() => void api.openSource({ path: into }).then(onOpened, (e: unknown) => setError(errorMessage(e)))}>
        Open it
      </button>{' '}
      {error ? <span className="error-text">{error}</span> : <span className="muted small">The import went into another database than the open one.</span>}
    </p>
  );
}

function ImportReport({ summary, openable, onOpened }: { summary: ImportSummary; openable: boolean; onOpened: (info: SourceInfo) => void }) {
  const skipped = summary.issues.filter((issue) => issue.severity === 'error');
  const warnings = summary.issues.filter((issue) => issue.severity === 'warning');
  return (
    <section className="import-summary" aria-label="Import summary" data-testid="import-summary">
      <p className="summary-line">
        Imported into <code className="name">{summary.into}</code> in {formatDuration(summary.seconds * 1000)}.
      </p>
      {openable && <OpenImported into={summary.into} onOpened={onOpened} />}
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
