// Open another source: in the desktop app through native pickers (a
// database, a JSONL folder or export, a new database), in browser mode by a
// typed, completed path (or a postgresql:// URL); a PostgreSQL database by
// its URL in either; or one of the recent ones (a moved or deleted one is
// greyed, says so when chosen and can be removed), or the sample. A server
// that wants a password gets it from the password dialog.
import type { FormEvent } from 'react';
import { useState } from 'react';
import type { OpenPickKind, RecentSource } from '../../src-shared/contract.ts';
import { CodedError } from '../../src-shared/errors.ts';
import type { SourceInfo } from '../../src-shared/types.ts';
import { api, pageMode } from '../api.ts';
import { errorMessage } from '../common/error-message.ts';
import { Dialog } from '../common/Dialog.tsx';
import { formatDateTime } from '../common/format.ts';
import { useLoad } from '../common/hooks.ts';
import { PasswordDialog } from './PasswordDialog.tsx';
import { PathField } from './PathField.tsx';
import { type OpenAttempt, useSourceOpening } from './source-opening.ts';

const PICKS: { kind: OpenPickKind; label: string }[] = [
  { kind: 'database', label: 'Database…' },
  { kind: 'jsonl-folder', label: 'JSONL folder…' },
  { kind: 'jsonl-file', label: 'JSONL export…' },
  { kind: 'new-database', label: 'New database…' },
];

interface OpenDialogProps {
  onClose: () => void;
  onOpened: (info: SourceInfo) => void;
  /** Opens the PostgreSQL dialog in this one's place. */
  onPostgres: () => void;
}

export function OpenDialog({ onClose, onOpened, onPostgres }: OpenDialogProps) {
  // A local const: TypeScript keeps a narrowing of it inside the callbacks below (not of an import).
  const mode = pageMode;
  const [path, setPath] = useState('');
  const { busy, error, setError, open: openWith, login } = useSourceOpening(onOpened);
  /** The recent entry that turned out to be gone, offered for removal. */
  const [gone, setGone] = useState<string | null>(null);
  const [recent, , patchRecent] = useLoad(() => api.recentSources({}), 'recent');

  /** Runs one way of opening; a recent entry that turns out to be gone is offered for removal. */
  const open = (attempt: OpenAttempt, recentPath: string | null = null) => {
    setGone(null);
    openWith(attempt, (e) => {
      // Only an entry that is gone is offered for removal; one that exists but failed (a locked database) stays.
      if (recentPath !== null && e instanceof CodedError && e.code === 'NOT_FOUND') setGone(recentPath);
    });
  };

  const updateRecent = (run: () => Promise<RecentSource[]>) =>
    void run().then(
      (list) => {
        patchRecent(() => list);
        setGone(null);
        setError(null);
      },
      (e: unknown) => setError(errorMessage(e)),
    );

  const typed = path.trim();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (typed && mode.kind === 'browser') open((credentials) => mode.api.openSource({ path: typed, ...credentials }));
  };

  return (
    <Dialog title="Open a source" onClose={onClose} busy={busy} testId="open-dialog">
      <form className="dialog-body" onSubmit={submit}>
        {mode.kind === 'desktop' ? (
          <div className="pick-buttons" role="group" aria-label="Choose a source">
            {PICKS.map((pick) => (
              <button key={pick.kind} type="button" disabled={busy} onClick={() => open(() => mode.api.pickAndOpen({ kind: pick.kind }))}>
                {pick.label}
              </button>
            ))}
            <PostgresButton disabled={busy} onClick={onPostgres} />
          </div>
        ) : (
          <>
            <PathField
              complete={mode.api.completePath}
              label="Database file, JSONL folder, JSONL export or postgresql:// URL"
              value={path}
              onChange={setPath}
              placeholder="/path/to/deerflow.db"
              disabled={busy}
              autoFocus
            />
            <div className="pick-buttons" role="group" aria-label="Other sources">
              <PostgresButton disabled={busy} onClick={onPostgres} />
            </div>
          </>
        )}
        {error && (
          <div className="inline-error" role="alert">
            <p>{error}</p>
            {gone !== null && (
              <button type="button" onClick={() => updateRecent(() => api.forgetRecent({ path: gone }))}>
                Remove from the list
              </button>
            )}
          </div>
        )}
        {recent.value && recent.value.length > 0 && (
          <>
            <div className="recent-heading">
              <h3 className="small-heading">Recent</h3>
              <button type="button" className="link-button" disabled={busy} onClick={() => updateRecent(() => api.clearRecent({}))}>
                Clear recent
              </button>
            </div>
            <ul className="recent-list" aria-label="Recent sources">
              {recent.value.map((source) => (
                <li key={source.path}>
                  <button
                    type="button"
                    className={`recent-item${source.exists ? '' : ' missing'}`}
                    data-exists={source.exists}
                    disabled={busy}
                    onClick={() => open((credentials) => api.openRecent({ path: source.path, ...credentials }), source.path)}
                  >
                    <span className="name mono">{source.path}</span>
                    <span className="muted small">{source.exists ? `${source.kind} · ${formatDateTime(source.opened_at)}` : 'moved or deleted'}</span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={() => open(() => api.openSample({}))} disabled={busy}>
            Open sample data
          </button>
          <span className="spacer" />
          <button type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          {mode.kind === 'browser' && (
            <>
              <button
                type="button"
                disabled={busy || !typed}
                title="Make a new, empty database at this path (its folder must exist)"
                onClick={() => open(() => mode.api.openSource({ path: typed, create: true }))}
              >
                New database
              </button>
              <button type="submit" className="primary" disabled={busy || !typed}>
                Open
              </button>
            </>
          )}
        </div>
      </form>
      {login && <PasswordDialog login={login} busy={busy} />}
    </Dialog>
  );
}

function PostgresButton({ disabled, onClick }: { disabled: boolean; onClick: () => void }) {
  return (
    <button type="button" disabled={disabled} onClick={onClick} title="DeerFlow's database on a PostgreSQL server, by its URL">
      PostgreSQL database…
    </button>
  );
}
