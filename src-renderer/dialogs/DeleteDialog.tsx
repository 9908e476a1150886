// Confirmation for deleting a run or a thread. It names what goes and the
// exact number of events, counted fresh from the store when it opens. Where
// the database keeps DeerFlow's run records (a `runs` table), it offers,
// checked, to take them too, as DeerFlow's own delete does (issue 15): the
// thread's runs rows, its threads_meta row (its entry in the thread list) and
// its feedback, or the run's; unchecked, only the events go. Where DeerFlow
// lists a run it would take as running, it warns that DeerFlow may still be
// writing it, and still deletes (a crashed run is listed so too). On a read-only
// server it first asks to switch the source to read-write, and does both when
// the user agrees.
import { useState } from 'react';
import { SWITCH_TO_WRITE_QUESTION } from '../../src-shared/contract.ts';
import { activeRunsWarning, describeRecords, type DeletedRecords } from '../../src-shared/run-records.ts';
import { api } from '../api.ts';
import { errorMessage } from '../common/error-message.ts';
import { Dialog } from '../common/Dialog.tsx';
import { formatCount, plural } from '../common/format.ts';
import { useLoad } from '../common/hooks.ts';

export type DeleteTarget = { kind: 'run'; threadId: string; runId: string } | { kind: 'thread'; threadId: string; title: string | null };

/** What a delete removed: its events (and of those, messages) and the run records it took with them. */
export interface Deleted extends DeletedRecords {
  messages: number;
}

interface DeleteDialogProps {
  target: DeleteTarget;
  /** The source is a read-only server: the delete switches it to read-write first (allowWrites). */
  switchToWrite: boolean;
  onClose: () => void;
  /** Called once the store confirmed the delete, with what it removed. */
  onDeleted: (target: DeleteTarget, removed: Deleted) => void;
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** The offer's words: DeerFlow's delete takes the records with the events. */
const recordsOffer = (kind: DeleteTarget['kind']) =>
  kind === 'thread'
    ? "Also remove the thread's run records and its entry in the thread list (as DeerFlow does)"
    : "Also remove the run's run record (as DeerFlow does)";

export function DeleteDialog({ target, switchToWrite, onClose, onDeleted }: DeleteDialogProps) {
  const runId = target.kind === 'run' ? target.runId : undefined;
  const scope = { threadId: target.threadId, ...(runId ? { runId } : {}) };
  const key = `${target.threadId}\n${runId}`;
  const [counts] = useLoad(() => api.eventCounts(scope), key);
  const [records] = useLoad(() => api.deletableRecords(scope), key);
  const [withRecords, setWithRecords] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const events = counts.value ? sum(counts.value.by_category) : null;
  const messages = counts.value?.by_category.message ?? 0;
  const what = target.kind === 'run' ? 'run' : 'thread';
  const offered = records.value ?? null;
  const stillRunning = offered && activeRunsWarning(offered, { thread: target.kind === 'thread', format: formatCount });

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      if (switchToWrite) await api.allowWrites({});
      const removed = await api.deleteWithRecords({ ...scope, records: offered !== null && withRecords });
      onDeleted(target, { ...removed, messages });
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Delete ${what}?`} onClose={onClose} busy={busy} className="confirm-dialog" testId="delete-dialog">
      <div className="dialog-body">
        {target.kind === 'run' ? (
          <p>
            Run <code className="name">{target.runId}</code> of thread <code className="name">{target.threadId}</code> will be deleted.
          </p>
        ) : (
          <p>
            Thread {target.title && <strong className="name">{target.title}</strong>} <code className="name">{target.threadId}</code> and all its runs will be deleted.
          </p>
        )}
        <p className="delete-count" data-state={counts.state}>
          {events !== null ? (
            <>
              This removes <strong>{plural(events, 'event')}</strong> ({formatCount(messages)} {messages === 1 ? 'message' : 'messages'}). It cannot be undone.
            </>
          ) : counts.state === 'error' ? (
            `Could not count the events: ${counts.error}`
          ) : (
            'Counting events…'
          )}
        </p>
        {offered && (
          <label className="radio delete-records">
            <input type="checkbox" checked={withRecords} onChange={(e) => setWithRecords(e.target.checked)} disabled={busy} />
            <span>
              {recordsOffer(target.kind)}:{' '}
              <span className="records-count" data-testid="records-count">
                {describeRecords(offered, { thread: target.kind === 'thread', format: formatCount })}
              </span>
              .
            </span>
          </label>
        )}
        {records.state === 'error' && <p className="muted small">Could not count the run records ({records.error}): only the events will go.</p>}
        {stillRunning && (
          <p className="delete-active-runs" role="alert" data-testid="active-runs">
            {stillRunning}
          </p>
        )}
        {switchToWrite && (
          <p className="switch-to-write" data-testid="switch-to-write">
            {SWITCH_TO_WRITE_QUESTION}
          </p>
        )}
        {error && (
          <p className="inline-error" role="alert">
            Delete failed: {error}
          </p>
        )}
      </div>
      <div className="dialog-actions">
        <button type="button" onClick={onClose} disabled={busy} autoFocus>
          Cancel
        </button>
        <button type="button" className="danger primary" onClick={() => void confirm()} disabled={busy || events === null || records.state === 'loading'}>
          {busy ? 'Deleting…' : switchToWrite ? `Switch to read-write and delete ${what}` : `Delete ${what}`}
        </button>
      </div>
    </Dialog>
  );
}
