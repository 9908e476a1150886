// Export the whole source, one thread or one run to a folder in DeerFlow's JSONL layout.
import type { FormEvent } from 'react';
import { useState } from 'react';
import { api } from '../api.ts';
import { Dialog } from '../common/Dialog.tsx';
import { formatCount, formatDuration } from '../common/format.ts';
import { JobProgressBar } from './JobProgressBar.tsx';
import { useJob } from './use-job.ts';

export interface ExportScope {
  threadId?: string;
  runId?: string;
}

type Choice = 'all' | 'thread' | 'run';

export function ExportDialog({ scope, onClose }: { scope: ExportScope; onClose: () => void }) {
  const [out, setOut] = useState('');
  const [choice, setChoice] = useState<Choice>(scope.runId ? 'run' : scope.threadId ? 'thread' : 'all');
  const { state, start, cancel } = useJob();
  const running = state.phase === 'running';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!out.trim() || running) return;
    const params = {
      out: out.trim(),
      ...(choice !== 'all' && scope.threadId ? { threadId: scope.threadId } : {}),
      ...(choice === 'run' && scope.runId ? { runId: scope.runId } : {}),
    };
    void start(() => api.exportSource(params));
  };

  const options: { value: Choice; label: string; enabled: boolean }[] = [
    { value: 'all', label: 'Everything in the source', enabled: true },
    { value: 'thread', label: scope.threadId ? `Thread ${scope.threadId}` : 'The open thread', enabled: Boolean(scope.threadId) },
    { value: 'run', label: scope.runId ? `Run ${scope.runId}` : 'One run', enabled: Boolean(scope.runId) },
  ];

  return (
    <Dialog title="Export to JSONL" onClose={onClose} busy={running} className="job-dialog" testId="export-dialog">
      <form className="dialog-body" onSubmit={submit}>
        <fieldset className="field" disabled={running}>
          <legend>What</legend>
          {options.map((option) => (
            <label key={option.value} className="radio">
              <input type="radio" name="export-scope" value={option.value} checked={choice === option.value} disabled={!option.enabled} onChange={() => setChoice(option.value)} />
              <span className="name">{option.label}</span>
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>Folder</span>
          <input type="text" value={out} onChange={(e) => setOut(e.target.value)} placeholder="/path/to/export-folder" required disabled={running} autoFocus spellCheck={false} />
        </label>
        {running && <JobProgressBar progress={state.progress} label="Export progress" />}
        {state.phase === 'failed' && (
          <p className="inline-error" role="alert">
            Export failed: {state.error}
          </p>
        )}
        {state.phase === 'done' && !state.result.ok && (
          <p className="inline-error" role="alert">
            {state.result.cancelled ? 'Export cancelled.' : `Export failed: ${state.result.error}`}
          </p>
        )}
        {state.phase === 'done' && state.result.ok && state.result.kind === 'export' && (
          <p className="export-summary" role="status" data-testid="export-summary">
            Exported {formatCount(state.result.summary.events)} events ({formatCount(state.result.summary.threads)} threads, {formatCount(state.result.summary.runs)} runs) to{' '}
            {formatCount(state.result.summary.files)} files in <code className="name">{state.result.summary.out}</code> in {formatDuration(state.result.summary.seconds * 1000)}.
          </p>
        )}
        <div className="dialog-actions">
          {running ? (
            <button type="button" onClick={cancel}>
              Cancel export
            </button>
          ) : (
            <button type="button" onClick={onClose}>
              Close
            </button>
          )}
          <button type="submit" className="primary" disabled={running || !out.trim()}>
            Export
          </button>
        </div>
      </form>
    </Dialog>
  );
}
