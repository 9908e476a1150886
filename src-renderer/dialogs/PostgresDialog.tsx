// Open DeerFlow's database on a PostgreSQL server by its URL (issue 13), in
// either mode: read-only, and the password asked for when the server wants one.
import type { FormEvent } from 'react';
import { useState } from 'react';
import type { SourceInfo } from '../../src-shared/types.ts';
import { api } from '../api.ts';
import { Dialog } from '../common/Dialog.tsx';
import { PasswordDialog } from './PasswordDialog.tsx';
import { useSourceOpening } from './source-opening.ts';

export const POSTGRES_URL_EXAMPLE = 'postgresql://user@host:5432/deerflow?schema=…';

export function PostgresDialog({ onClose, onOpened }: { onClose: () => void; onOpened: (info: SourceInfo) => void }) {
  const [url, setUrl] = useState('');
  const opening = useSourceOpening(onOpened);
  const typed = url.trim();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (typed && !opening.busy) opening.open((credentials) => api.openDatabaseUrl({ url: typed, ...credentials }));
  };

  return (
    <Dialog title="Open a PostgreSQL database" onClose={onClose} busy={opening.busy} testId="postgres-dialog">
      <form className="dialog-body" onSubmit={submit}>
        <label className="field">
          <span>Database URL</span>
          <input type="text" value={url} onChange={(e) => setUrl(e.target.value)} placeholder={POSTGRES_URL_EXAMPLE} disabled={opening.busy} autoFocus spellCheck={false} autoComplete="off" />
        </label>
        <p className="muted small">
          DeerFlow&apos;s database on a PostgreSQL server, e.g. <code>{POSTGRES_URL_EXAMPLE}</code>: <code>schema=</code> is DeerFlow&apos;s{' '}
          <code>postgres_schema</code>, <code>sslmode=require</code> asks for TLS. It opens read-only; deleting or importing asks to switch it to read-write. A password
          is asked for when the server wants one (or taken from <code>PGPASSWORD</code> or <code>~/.pgpass</code>).
        </p>
        {opening.error && (
          <p className="inline-error" role="alert">
            {opening.error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose} disabled={opening.busy}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={opening.busy || !typed}>
            {opening.busy ? 'Connecting…' : 'Open'}
          </button>
        </div>
      </form>
      {opening.login && <PasswordDialog login={opening.login} busy={opening.busy} />}
    </Dialog>
  );
}
