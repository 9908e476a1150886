import { expect, type Page } from '@playwright/test';

export class DetailPane {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  pane() {
    return this.page.getByRole('complementary', { name: 'Event detail' });
  }

  async waitShowing(seq: number): Promise<void> {
    await expect(this.pane()).toHaveAttribute('data-seq', String(seq));
    await expect(this.pane()).toHaveAttribute('data-state', 'ready');
  }

  envelope() {
    return this.pane().getByRole('region', { name: 'Envelope' });
  }

  content() {
    return this.pane().getByRole('region', { name: 'Content' });
  }

  metadata() {
    return this.pane().getByRole('region', { name: 'Metadata' });
  }

  /** A JSON tree inside a section. */
  tree(section: 'Content' | 'Metadata') {
    return this.pane().getByRole('region', { name: section }).getByRole('tree');
  }

  truncationNote() {
    return this.pane().getByRole('note');
  }

  copyButton() {
    return this.pane().getByRole('button', { name: 'Copy as JSON' });
  }

  copyStatus() {
    return this.pane().getByRole('status');
  }

  showInTraceButton() {
    return this.pane().getByRole('button', { name: 'Show in trace' });
  }

  closeButton() {
    return this.pane().getByRole('button', { name: 'Close event detail' });
  }
}
