// The password a PostgreSQL server asks for (an AUTH answer): typed here and
// sent with the same open again. Enter connects, Escape cancels. Remembering
// it is offered only where there is a keychain to keep it in (the desktop
// app); elsewhere the form says how long a typed password lasts.
import type { FormEvent } from 'react';
import { useState } from 'react';
import { Dialog } from '../common/Dialog.tsx';
import type { LoginRequest } from './source-opening.ts';

/** Where no keychain keeps a password, what becomes of a typed one instead. */
export function keptFor(desktop: boolean): string {
  return desktop
    ? 'No system keychain is available here: the password is kept only until the app quits.'
    : 'Browser mode has no keychain: the password is kept only while this server runs, never written to disk.';
}

export interface PasswordFormProps {
  login: LoginRequest;
  busy: boolean;
  /** Whether the keychain can keep it (appInfo's keepsPasswords); null while not known. */
  keepsPasswords: boolean | null;
  desktop: boolean;
}

export function PasswordForm({ login, busy, keepsPasswords, desktop }: PasswordFormProps) {
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password && !busy) login.submit({ password, ...(keepsPasswords ? { remember } : {}) });
  };

  return (
    <Dialog title="PostgreSQL password" onClose={login.cancel} busy={busy} className="confirm-dialog" testId="password-dialog">
      <form className="dialog-body" onSubmit={submit}>
        <p className={login.refused ? 'inline-error' : 'muted'} role={login.refused ? 'alert' : undefined} data-testid="password-reason">
          {login.message}
        </p>
        <label className="field">
          <span>Password</span>
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} disabled={busy} autoFocus autoComplete="off" required />
        </label>
        {keepsPasswords ? (
          <label className="radio">
            <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} disabled={busy} />
            <span>Remember in the system keychain</span>
          </label>
        ) : (
          keepsPasswords === false && <p className="muted small">{keptFor(desktop)}</p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={login.cancel} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !password}>
            {busy ? 'Connecting…' : 'Connect'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
