// A dropped JSONL file or folder (desktop app): open it as it is (an export
// file opens read-only) or import it into a database. Main keeps the path;
// both choices name the drop by its id.
import { useState } from 'react';
import type { DesktopBridge } from '../../src-shared/contract.ts';
import type { SourceInfo } from '../../src-shared/types.ts';
import type { DroppedChoice } from '../app/drop.ts';
import { errorMessage } from '../common/error-message.ts';
import { Dialog } from '../common/Dialog.tsx';

interface DropDialogProps {
  drop: DroppedChoice;
  desktop: Pick<DesktopBridge, 'openDroppedAsIs'>;
  onClose: () => void;
  onOpened: (info: SourceInfo) => void;
  onImport: (drop: DroppedChoice) => void;
}

export function DropDialog({ drop, desktop, onClose, onOpened, onImport }: DropDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const open = () => {
    setBusy(true);
    void desktop.openDroppedAsIs({ dropId: drop.dropId }).then(onOpened, (e: unknown) => {
      setError(errorMessage(e));
      setBusy(false);
    });
  };
  return (
    <Dialog title="Open or import?" onClose={onClose} busy={busy} testId="drop-dialog">
      <div className="dialog-body">
        <p>
          <code className="name">{drop.path}</code> is {drop.pathKind === 'jsonl' ? 'a JSONL folder' : 'a JSONL export file (it opens read-only)'}.
        </p>
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <span className="spacer" />
          <button type="button" onClick={() => onImport(drop)} disabled={busy}>
            Import into a database…
          </button>
          <button type="button" className="primary" onClick={open} disabled={busy} autoFocus>
            Open it
          </button>
        </div>
      </div>
    </Dialog>
  );
}
