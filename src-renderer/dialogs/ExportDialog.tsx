// Export the whole source, one thread or one run to a folder in DeerFlow's
// JSONL layout: picked in a native dialog in the desktop app, typed (and
// completed) in browser mode.
import { useState } from 'react';
import { pageMode } from '../api.ts';
import { formatDuration, plural } from '../common/format.ts';
import { JobDialog } from './JobDialog.tsx';
import { PathField } from './PathField.tsx';
import { useJob } from './use-job.ts';

export interface ExportScope {
  threadId?: string;
  runId?: string;
}

type Choice = 'all' | 'thread' | 'run';

export function ExportDialog({ scope, onClose }: { scope: ExportScope; onClose: () => void }) {
  const [out, setOut] = useState('');
  const [choice, setChoice] = useState<Choice>(scope.runId ? 'run' : scope.threadId ? 'thread' : 'all');
  const job = useJob();
  const { state } = job;
  const running = state.phase === 'running';

  const chosen = {
    ...(choice !== 'all' && scope.threadId ? { threadId: scope.threadId } : {}),
    ...(choice === 'run' && scope.runId ? { runId: scope.runId } : {}),
  };
  const start = () => (pageMode.kind === 'desktop' ? pageMode.api.pickExport(chosen) : pageMode.api.exportSource({ out: out.trim(), ...chosen }));

  const options: { value: Choice; label: string; enabled: boolean }[] = [
    { value: 'all', label: 'Everything in the source', enabled: true },
    { value: 'thread', label: scope.threadId ? `Thread ${scope.threadId}` : 'The open thread', enabled: Boolean(scope.threadId) },
    { value: 'run', label: scope.runId ? `Run ${scope.runId}` : 'One run', enabled: Boolean(scope.runId) },
  ];

  const summary = state.phase === 'done' && state.result.ok && state.result.kind === 'export' && (
    <p className="export-summary" role="status" data-testid="export-summary">
      Exported {plural(state.result.summary.events, 'event')} ({plural(state.result.summary.threads, 'thread')}, {plural(state.result.summary.runs, 'run')}) to{' '}
      {plural(state.result.summary.files, 'file')} in <code className="name">{state.result.summary.out}</code> in {formatDuration(state.result.summary.seconds * 1000)}.
    </p>
  );

  return (
    <JobDialog title="Export to JSONL" verb="Export" testId="export-dialog" job={job} canStart={pageMode.kind === 'desktop' || Boolean(out.trim())} start={start} onClose={onClose} summary={summary}>
      <fieldset className="field" disabled={running}>
        <legend>What</legend>
        {options.map((option) => (
          <label key={option.value} className="radio">
            <input type="radio" name="export-scope" value={option.value} checked={choice === option.value} disabled={!option.enabled} onChange={() => setChoice(option.value)} />
            <span className="name">{option.label}</span>
          </label>
        ))}
      </fieldset>
      {pageMode.kind === 'desktop' ? (
        <p className="muted small">Export asks for the folder next.</p>
      ) : (
        <PathField complete={pageMode.api.completePath} label="Folder" value={out} onChange={setOut} placeholder="/path/to/export-folder" required disabled={running} autoFocus />
      )}
    </JobDialog>
  );
}
