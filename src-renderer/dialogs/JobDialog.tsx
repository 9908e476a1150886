// The frame of every job dialog (import, export): a form whose fields the
// caller gives, then progress while the job runs, why it failed or that it
// was cancelled, its summary once it succeeded, and Cancel (while running)
// or Close beside the button that starts it.
import type { FormEvent, ReactNode } from 'react';
import type { JobStarted } from '../../src-shared/contract.ts';
import { Dialog } from '../common/Dialog.tsx';
import { JobProgressBar } from './JobProgressBar.tsx';
import type { Job } from './use-job.ts';

interface JobDialogProps {
  title: string;
  /** `Import`, `Export`: names the progress bar, the failure and both buttons. */
  verb: string;
  testId: string;
  job: Job;
  /** Whether the fields say enough to start. */
  canStart: boolean;
  /** The start button's text, when it does more than `verb` says (default: `verb`). */
  startLabel?: string;
  /** Null: a native picker was cancelled. */
  start: () => Promise<JobStarted | null>;
  onClose: () => void;
  /** The summary of a job that succeeded. */
  summary: ReactNode;
  /** The fields. */
  children: ReactNode;
}

function failure(verb: string, { state }: Job): string | null {
  if (state.phase === 'failed') return `${verb} failed: ${state.error}`;
  if (state.phase !== 'done' || state.result.ok) return null;
  return state.result.cancelled ? `${verb} cancelled.` : `${verb} failed: ${state.result.error}`;
}

export function JobDialog({ title, verb, testId, job, canStart, startLabel = verb, start, onClose, summary, children }: JobDialogProps) {
  const { state } = job;
  const running = state.phase === 'running';
  const problem = failure(verb, job);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (canStart && !running) void job.start(start);
  };

  return (
    <Dialog title={title} onClose={onClose} busy={running} className="job-dialog" testId={testId}>
      <form className="dialog-body" onSubmit={submit}>
        {children}
        {state.phase === 'running' && <JobProgressBar progress={state.progress} label={`${verb} progress`} />}
        {problem && (
          <p className="inline-error" role="alert">
            {problem}
          </p>
        )}
        {summary}
        <div className="dialog-actions">
          {running ? (
            <button type="button" onClick={job.cancel}>
              Cancel {verb.toLowerCase()}
            </button>
          ) : (
            <button type="button" onClick={onClose}>
              Close
            </button>
          )}
          <button type="submit" className="primary" disabled={running || !canStart}>
            {startLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
