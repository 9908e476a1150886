// The password dialog with what it needs to know of the app: whether the
// keychain can keep the password (appInfo), and which mode the page is in.
import { api, isDesktop } from '../api.ts';
import { useLoad } from '../common/hooks.ts';
import { PasswordForm } from './PasswordForm.tsx';
import type { LoginRequest } from './source-opening.ts';

export function PasswordDialog({ login, busy }: { login: LoginRequest; busy: boolean }) {
  const [app] = useLoad(() => api.appInfo({}), 'app-info');
  const keepsPasswords = app.value ? app.value.keepsPasswords : app.state === 'error' ? false : null;
  return <PasswordForm login={login} busy={busy} keepsPasswords={keepsPasswords} desktop={isDesktop} />;
}
