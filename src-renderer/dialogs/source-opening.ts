// Opening a source from a dialog: one attempt at a time (busy), its failure
// shown, and a PostgreSQL server that wants a password (AUTH) answered by the
// password dialog, whose answer goes to the same attempt again.
import { useState } from 'react';
import type { ParamsOf } from '../../src-shared/contract.ts';
import { CodedError } from '../../src-shared/errors.ts';
import type { SourceInfo } from '../../src-shared/types.ts';
import { errorMessage } from '../common/error-message.ts';

/** What the password dialog adds to an open: the password, and whether to keep it in the keychain. */
export type Credentials = Omit<ParamsOf<'openDatabaseUrl'>, 'url'>;

/** One way of opening a source, given what the password dialog answered ({} at first); null is a native picker the user cancelled. */
export type OpenAttempt = (credentials: Credentials) => Promise<SourceInfo | null>;

/** The server wants a password it was not given, or refused the one it was. */
export const wantsPassword = (error: unknown): boolean => error instanceof CodedError && error.code === 'AUTH';

/** The password dialog's state: what the server said, and whether it refused a password the user typed. */
export interface LoginRequest {
  message: string;
  refused: boolean;
  submit: (credentials: Credentials) => void;
  cancel: () => void;
}

export interface SourceOpening {
  busy: boolean;
  error: string | null;
  setError: (error: string | null) => void;
  /** Runs `attempt`; `onFailure` hears of any failure other than a password asked for. */
  open: (attempt: OpenAttempt, onFailure?: (error: unknown) => void) => void;
  /** Non-null while the password dialog is up. */
  login: LoginRequest | null;
}

export function useSourceOpening(onOpened: (info: SourceInfo) => void): SourceOpening {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<{ attempt: OpenAttempt; message: string; refused: boolean } | null>(null);

  const run = async (attempt: OpenAttempt, credentials: Credentials, onFailure?: (error: unknown) => void) => {
    setBusy(true);
    setError(null);
    try {
      const info = await attempt(credentials);
      setPending(null);
      // The dialog closes once the source is open: nothing here to set afterwards.
      if (info) return onOpened(info);
    } catch (e) {
      if (wantsPassword(e)) {
        setPending({ attempt, message: errorMessage(e), refused: credentials.password !== undefined });
      } else {
        setPending(null);
        setError(errorMessage(e));
        onFailure?.(e);
      }
    }
    setBusy(false);
  };

  return {
    busy,
    error,
    setError,
    open: (attempt, onFailure) => void run(attempt, {}, onFailure),
    login: pending && {
      message: pending.message,
      refused: pending.refused,
      submit: (credentials) => void run(pending.attempt, credentials),
      cancel: () => setPending(null),
    },
  };
}
