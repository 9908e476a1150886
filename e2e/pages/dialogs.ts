import { expect, type Page } from '@playwright/test';

export class DeleteDialog {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  dialog() {
    return this.page.getByRole('dialog', { name: /^Delete (run|thread)\?$/ });
  }

  /** The sentence with the exact number of events, once counted. */
  async countText(): Promise<string> {
    const count = this.dialog().locator('.delete-count');
    await expect(count).toHaveAttribute('data-state', 'ready');
    return (await count.textContent()) ?? '';
  }

  async confirm(): Promise<void> {
    await this.dialog().getByRole('button', { name: /^Delete (run|thread)$/ }).click();
    await expect(this.dialog()).toHaveCount(0);
  }
}

export class ImportDialog {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  dialog() {
    return this.page.getByRole('dialog', { name: 'Import JSONL' });
  }

  pathField() {
    return this.dialog().getByRole('textbox', { name: 'JSONL file or folder' });
  }

  startButton() {
    return this.dialog().getByRole('button', { name: 'Import', exact: true });
  }

  summary() {
    return this.dialog().getByRole('region', { name: 'Import summary' });
  }

  count(kind: 'imported' | 'duplicates' | 'skipped') {
    return this.summary().locator(`[data-count="${kind}"]`);
  }

  skippedLines() {
    return this.summary().getByRole('list', { name: 'Skipped lines' }).getByRole('listitem');
  }

  error() {
    return this.dialog().getByRole('alert');
  }

  closeButton() {
    return this.dialog().getByRole('button', { name: 'Close' });
  }
}

export class ExportDialog {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  dialog() {
    return this.page.getByRole('dialog', { name: 'Export to JSONL' });
  }

  scope(label: RegExp) {
    return this.dialog().getByRole('radio', { name: label });
  }

  folderField() {
    return this.dialog().getByRole('textbox', { name: 'Folder' });
  }

  startButton() {
    return this.dialog().getByRole('button', { name: 'Export', exact: true });
  }

  summary() {
    return this.dialog().getByTestId('export-summary');
  }
}
