// The Export repaired copy dialog (issue 15), opened from the Health panel of
// a JSONL folder: its folder field, progress, summary counts and Open the copy.
import { expect, type Page } from '@playwright/test';
import type { RepairSummary } from '../../src-shared/contract.ts';

export class RepairDialog {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  /** The Health panel's button that opens it. */
  openButton() {
    return this.page.getByRole('dialog', { name: 'Store health' }).getByRole('button', { name: /^Export repaired copy/ });
  }

  dialog() {
    return this.page.getByRole('dialog', { name: 'Export repaired copy' });
  }

  folderField() {
    return this.dialog().getByRole('combobox', { name: 'New or empty folder' });
  }

  startButton() {
    return this.dialog().getByRole('button', { name: 'Export repaired copy', exact: true });
  }

  /** Types the folder and starts the copy. */
  async start(out: string): Promise<void> {
    await this.folderField().fill(out);
    await this.startButton().click();
  }

  summary() {
    return this.dialog().getByTestId('repair-summary');
  }

  count(key: Exclude<keyof RepairSummary, 'out' | 'seconds'>) {
    return this.summary().locator(`[data-count="${key}"]`);
  }

  error() {
    return this.dialog().getByRole('alert');
  }

  /** Opens the copy in place of the source; the dialog closes. */
  async openCopy(): Promise<void> {
    await this.summary().getByRole('button', { name: 'Open the copy' }).click();
    await expect(this.dialog()).toHaveCount(0);
  }
}
