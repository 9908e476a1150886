// Open another source by path (a .db file, a JSONL folder or export file),
// one of the recent ones, or the generated sample.
import type { FormEvent } from 'react';
import { useState } from 'react';
import type { SourceInfo } from '../../src-shared/types.ts';
import { api } from '../api.ts';
import { errorMessage } from '../common/error-message.ts';
import { Dialog } from '../common/Dialog.tsx';
import { formatDateTime } from '../common/format.ts';
import { useLoad } from '../common/hooks.ts';

export function OpenDialog({ onClose, onOpened }: { onClose: () => void; onOpened: (info: SourceInfo) => void }) {
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [recent] = useLoad(() => api.recentSources({}), 'recent');

  const open = async (run: () => Promise<SourceInfo>) => {
    setBusy(true);
    setError(null);
    try {
      onOpened(await run());
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (path.trim()) void open(() => api.openSource({ path: path.trim() }));
  };

  return (
    <Dialog title="Open a source" onClose={onClose} busy={busy} testId="open-dialog">
      <form className="dialog-body" onSubmit={submit}>
        <label className="field">
          <span>Database file, JSONL folder or JSONL export</span>
          <input type="text" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/deerflow.db" disabled={busy} autoFocus spellCheck={false} />
        </label>
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
        {recent.value && recent.value.length > 0 && (
          <>
            <h3 className="small-heading">Recent</h3>
            <ul className="recent-list">
              {recent.value.map((source) => (
                <li key={source.path}>
                  <button type="button" className="recent-item" disabled={busy} onClick={() => void open(() => api.openSource({ path: source.path }))}>
                    <span className="name mono">{source.path}</span>
                    <span className="muted small">
                      {source.kind} · {formatDateTime(source.opened_at)}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={() => void open(() => api.openSample({}))} disabled={busy}>
            Open sample data
          </button>
          <span className="spacer" />
          <button type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !path.trim()}>
            Open
          </button>
        </div>
      </form>
    </Dialog>
  );
}
