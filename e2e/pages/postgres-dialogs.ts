// The page's PostgreSQL dialogs (issue 13): the URL form opened from the Open
// dialog, and the password a server asks for.
import { expect, type Page } from '@playwright/test';

export class PostgresDialog {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  dialog() {
    return this.page.getByRole('dialog', { name: 'Open a PostgreSQL database' });
  }

  urlField() {
    return this.dialog().getByRole('textbox', { name: 'Database URL' });
  }

  openButton() {
    return this.dialog().getByRole('button', { name: 'Open', exact: true });
  }

  error() {
    return this.dialog().getByRole('alert');
  }

  /** Types the URL and submits it with Enter. */
  async submit(url: string): Promise<void> {
    await this.urlField().fill(url);
    await this.urlField().press('Enter');
  }
}

export class PasswordDialog {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  dialog() {
    return this.page.getByRole('dialog', { name: 'PostgreSQL password' });
  }

  /** What the server answered (why a password is asked for, or why it was refused). */
  reason() {
    return this.dialog().getByTestId('password-reason');
  }

  /** Shown when the server refused the password typed. */
  refusal() {
    return this.dialog().getByRole('alert');
  }

  passwordField() {
    return this.dialog().getByLabel('Password', { exact: true });
  }

  rememberBox() {
    return this.dialog().getByRole('checkbox', { name: 'Remember in the system keychain' });
  }

  connectButton() {
    return this.dialog().getByRole('button', { name: 'Connect', exact: true });
  }

  /** Types the password and submits it with Enter. */
  async submit(password: string): Promise<void> {
    await this.passwordField().fill(password);
    await this.passwordField().press('Enter');
  }

  async cancelWithEscape(): Promise<void> {
    await this.passwordField().press('Escape');
    await expect(this.dialog()).toHaveCount(0);
  }
}
