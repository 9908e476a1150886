// A dropped JSONL file or folder: open it as it is (an export file opens
// read-only) or import it into a database.
import { useState } from 'react';
import type { PathKind } from '../../src-shared/contract.ts';
import type { SourceInfo } from '../../src-shared/types.ts';
import { api } from '../api.ts';
import { errorMessage } from '../common/error-message.ts';
import { Dialog } from '../common/Dialog.tsx';

interface DropDialogProps {
  path: string;
  pathKind: Exclude<PathKind, 'sqlite'>;
  onClose: () => void;
  onOpened: (info: SourceInfo) => void;
  onImport: (path: string) => void;
}

export function DropDialog({ path, pathKind, onClose, onOpened, onImport }: DropDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const open = () => {
    setBusy(true);
    void api.openSource({ path }).then(onOpened, (e: unknown) => {
      setError(errorMessage(e));
      setBusy(false);
    });
  };
  return (
    <Dialog title="Open or import?" onClose={onClose} busy={busy} testId="drop-dialog">
      <div className="dialog-body">
        <p>
          <code className="name">{path}</code> is {pathKind === 'jsonl' ? 'a JSONL folder' : 'a JSONL export file (it opens read-only)'}.
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
          <button type="button" onClick={() => onImport(path)} disabled={busy}>
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
