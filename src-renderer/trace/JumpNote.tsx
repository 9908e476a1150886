// Why the event to show is not in the trace: another run's (offered), hidden
// by the filters (which can be cleared), or not an event of this thread.
import { api } from '../api.ts';
import { useLoad } from '../common/hooks.ts';

interface JumpNoteProps {
  threadId: string;
  runId: string;
  seq: number;
  filtered: boolean;
  onOpenRun: (runId: string) => void;
  onClearFilters: () => void;
}

export function JumpNote({ threadId, runId, seq, filtered, onOpenRun, onClearFilters }: JumpNoteProps) {
  const [found] = useLoad(() => api.getEvent({ threadId, seq }), `${threadId}\n${seq}`);
  if (found.state === 'loading') return null;
  const event = found.value;
  return (
    <p className="trace-note" role="status" data-seq={seq}>
      {found.state === 'error' ? (
        `Event #${seq} is not in this run's trace (${found.error}).`
      ) : !event ? (
        `There is no event #${seq} in this thread.`
      ) : event.run_id !== runId ? (
        <>
          Event #{seq} belongs to run <code>{event.run_id}</code>, not this one.{' '}
          <button type="button" className="link-button" onClick={() => onOpenRun(event.run_id)}>
            Open it in that run's trace
          </button>
        </>
      ) : filtered ? (
        <>
          Event #{seq} is hidden by the filters.{' '}
          <button type="button" className="link-button" onClick={onClearFilters}>
            Clear filters
          </button>
        </>
      ) : (
        // The run changed since the list loaded (the event arrived or left meanwhile).
        `Event #${seq} is not among the loaded events of this run.`
      )}
    </p>
  );
}
