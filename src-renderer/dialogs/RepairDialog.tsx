// "Export repaired copy" of the open JSONL folder (issue 15): a new layout
// in a folder the user names (typed in browser mode, picked in the desktop
// app), with every record in its own run's file, duplicates of one record
// dropped and lines that are not records left out; the source is never
// changed. Shows the job's progress, then what the copy holds and what it
// left out, and offers to open the copy. Opened by the Health panel.
import { useState } from 'react';
import type { RepairSummary } from '../../src-shared/contract.ts';
import type { SourceInfo } from '../../src-shared/types.ts';
import { api, pageMode } from '../api.ts';
import { errorMessage } from '../common/error-message.ts';
import { formatCount, formatDuration } from '../common/format.ts';
import { JobDialog } from './JobDialog.tsx';
import { PathField } from './PathField.tsx';
import { useJob } from './use-job.ts';

export interface RepairDialogProps {
  onClose: () => void;
  /** The copy, opened in place of the source (the caller closes the dialog and says so). */
  onOpened: (info: SourceInfo) => void;
}

const COUNTS: { key: Exclude<keyof RepairSummary, 'out' | 'seconds'>; label: string }[] = [
  { key: 'records', label: 'Records' },
  { key: 'moved', label: 'Moved to their run' },
  { key: 'duplicatesDropped', label: 'Duplicates dropped' },
  { key: 'malformedSkipped', label: 'Lines left out' },
  { key: 'seqConflicts', label: 'Seqs shared, kept' },
  { key: 'files', label: 'Run files' },
];

function RepairReport({ jobId, summary, onOpened }: { jobId: string; summary: RepairSummary; onOpened: (info: SourceInfo) => void }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="import-summary" aria-label="Repaired copy" data-testid="repair-summary">
      <p className="summary-line">
        Wrote the repaired copy to <code className="name">{summary.out}</code> in {formatDuration(summary.seconds * 1000)}.
        {summary.seqConflicts > 0 && ' Different records that share a seq are all kept: the health check still reports them.'}
      </p>
      <dl className="summary-counts">
        {COUNTS.map(({ key, label }) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd data-count={key}>{formatCount(summary[key])}</dd>
          </div>
        ))}
      </dl>
      <p className="summary-line">
        <button type="button" onClick={() => void api.openRepaired({ jobId }).then(onOpened, (e: unknown) => setError(errorMessage(e)))}>
          Open the copy
        </button>{' '}
        {error && <span className="error-text">{error}</span>}
      </p>
    </section>
  );
}

export function RepairDialog({ onClose, onOpened }: RepairDialogProps) {
  const [out, setOut] = useState('');
  const job = useJob();
  const { state } = job;
  const start = () => (pageMode.kind === 'desktop' ? pageMode.api.pickRepairedExport({}) : pageMode.api.exportRepaired({ out: out.trim() }));
  const summary = state.phase === 'done' && state.result.ok && state.result.kind === 'repair' && (
    <RepairReport jobId={state.result.jobId} summary={state.result.summary} onOpened={onOpened} />
  );

  return (
    <JobDialog
      title="Export repaired copy"
      verb="Export"
      startLabel="Export repaired copy"
      testId="repair-dialog"
      job={job}
      canStart={pageMode.kind === 'desktop' || Boolean(out.trim())}
      start={start}
      onClose={onClose}
      summary={summary}
    >
      <p className="muted small">
        A new JSONL layout with every record in the file of the run it names, records repeated identically dropped and lines that are not records left out.
        The open folder is only read.
      </p>
      {pageMode.kind === 'desktop' ? (
        <p className="muted small">Export asks for a new or empty folder next.</p>
      ) : (
        <PathField complete={pageMode.api.completePath} label="New or empty folder" value={out} onChange={setOut} placeholder="/path/to/repaired-copy" required disabled={state.phase === 'running'} autoFocus />
      )}
    </JobDialog>
  );
}
