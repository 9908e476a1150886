// What "Go to seq" found when the seq is no message: a trace event (the
// nearest message is shown; the event opens in the Trace), or nothing.
import type { RunEvent } from '../../src-shared/types.ts';

export type SeqNoteValue = { kind: 'trace'; event: RunEvent } | { kind: 'missing'; seq: number } | { kind: 'error'; message: string };

interface SeqNoteProps {
  note: SeqNoteValue;
  onTraceEvent: (event: RunEvent) => void;
  onDismiss: () => void;
}

export function SeqNote({ note, onTraceEvent, onDismiss }: SeqNoteProps) {
  return (
    <div className={`seq-note${note.kind === 'trace' ? '' : ' seq-note-problem'}`} role="status" aria-label="Go to seq">
      {note.kind === 'trace' && (
        <>
          seq {note.event.seq} is a trace event ({note.event.event_type}): the nearest message is shown.{' '}
          <button type="button" className="link-button" onClick={() => onTraceEvent(note.event)}>
            Open it in the Trace
          </button>
        </>
      )}
      {note.kind === 'missing' && <>seq {note.seq} does not exist in this thread.</>}
      {note.kind === 'error' && note.message}
      <button type="button" className="link-button seq-note-dismiss" aria-label="Dismiss" onClick={onDismiss}>
        ✕
      </button>
    </div>
  );
}
