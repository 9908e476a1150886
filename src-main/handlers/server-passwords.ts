// The passwords a session opens PostgreSQL sources with, by display URL: the
// ones typed into the page last as long as the session (browser mode has no
// keychain); the desktop app's remembered ones come from the keychain
// (saved-passwords.ts). Never written anywhere else, never sent to a page.
import { parsePostgresSource } from '../store/postgres/connection.ts';
import type { SavedPasswords } from './saved-passwords.ts';

/** What a page may add to an open of a PostgreSQL URL. */
export interface Credentials {
  password?: string;
  /** Keep `password` in the OS keychain (desktop app); otherwise it is taken out of it. */
  remember?: boolean;
}

/** The source's identity, as its recent entry and the keychain name it: no password, ever. */
export const displayUrlOf = (url: string): string => parsePostgresSource(url).displayUrl;

/**
 * The URL without the password it carries, split as libpq reads it (connection.ts): a password
 * the page gives replaces it (the URL's would win otherwise, and a wrong one could never be
 * corrected).
 */
export function withoutPassword(url: string): string {
  const match = /^(postgres(?:ql)?:\/\/)(?:([^@/?]*)@)?([^?]*)(?:\?(.*))?$/is.exec(url);
  if (!match) return url;
  const [, scheme, userinfo, rest, query] = match;
  const user = userinfo === undefined ? '' : `${userinfo.split(':')[0]}@`;
  const kept = query?.split('&').filter((pair) => safeDecode(pair.split('=')[0]) !== 'password');
  return `${scheme}${user}${rest}${kept?.length ? `?${kept.join('&')}` : ''}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export class ServerPasswords {
  private readonly typed = new Map<string, string>();
  private readonly saved: SavedPasswords | null;

  constructor(saved: SavedPasswords | null) {
    this.saved = saved;
  }

  /** Whether a password can be remembered beyond this session (the desktop app, with a keychain). */
  async keepsPasswords(): Promise<boolean> {
    return this.saved !== null && (await this.saved.available());
  }

  /** The password typed for `url`'s source in this session, else the remembered one. */
  async known(url: string): Promise<string | undefined> {
    const displayUrl = displayUrlOf(url);
    return this.typed.get(displayUrl) ?? (await this.saved?.get(displayUrl));
  }

  /** A typed password the server took: kept for the session, and in the keychain only when the user asked (a stale one is dropped). */
  async accepted(displayUrl: string, { password, remember = false }: Credentials): Promise<void> {
    if (password === undefined) return;
    this.typed.set(displayUrl, password);
    if (remember) await this.saved?.set(displayUrl, password);
    else await this.saved?.forget(displayUrl);
  }

  async forget(displayUrl: string): Promise<void> {
    this.typed.delete(displayUrl);
    await this.saved?.forget(displayUrl);
  }

  async clear(): Promise<void> {
    this.typed.clear();
    await this.saved?.clear();
  }
}
