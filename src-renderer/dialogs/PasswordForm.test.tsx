import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { keptFor, PasswordForm } from './PasswordForm.tsx';
import type { LoginRequest } from './source-opening.ts';

const asked: LoginRequest = {
  message: 'postgresql://ana@db.example:5432/deerflow: the server asks for a password; give it in the URL, PGPASSWORD or ~/.pgpass',
  refused: false,
  submit: () => {},
  cancel: () => {},
};

const render = (props: Partial<Parameters<typeof PasswordForm>[0]> = {}) =>
  renderToStaticMarkup(<PasswordForm login={asked} busy={false} keepsPasswords={true} desktop={true} {...props} />);

describe('PasswordForm', () => {
  it('is a dialog with a password input in a form (Enter submits) and says what the server asked', () => {
    const html = render();
    expect(html).toMatch(/^<dialog role="dialog" aria-modal="true"/);
    expect(html).toContain('<form class="dialog-body">');
    expect(html).toMatch(/<input type="password"[^>]*required=""/);
    expect(html).toContain('the server asks for a password');
    expect(html).toMatch(/<button type="submit" class="primary" disabled="">Connect<\/button>/);
    expect(html).not.toContain('role="alert"');
  });

  it('offers the keychain only where one keeps the password; elsewhere says how long a typed one lasts', () => {
    expect(render()).toMatch(/<input type="checkbox"\/><span>Remember in the system keychain<\/span>/);
    const browser = render({ keepsPasswords: false, desktop: false });
    expect(browser).not.toContain('type="checkbox"');
    expect(browser).toContain(keptFor(false));
    expect(render({ keepsPasswords: false, desktop: true })).toContain(keptFor(true));
    // Not known yet (appInfo pending): neither promised nor denied.
    const pending = render({ keepsPasswords: null });
    expect(pending).not.toContain('type="checkbox"');
    expect(pending).not.toContain(keptFor(true));
  });

  it("shows a refused password's answer as an alert", () => {
    const html = render({ login: { ...asked, refused: true, message: 'the server at db.example:5432 refused the login (password authentication failed for user "ana")' } });
    expect(html).toMatch(/<p class="inline-error" role="alert"[^>]*>the server at db\.example:5432 refused the login/);
  });
});
