import { expect, type Page } from '@playwright/test';

export class ThreadsPane {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  list() {
    return this.page.getByRole('listbox', { name: 'Thread list' });
  }

  filter() {
    return this.page.getByRole('searchbox', { name: 'Filter threads' });
  }

  options() {
    return this.list().getByRole('option');
  }

  option(threadId: string) {
    return this.list().locator(`[role="option"][data-thread-id="${threadId}"]`);
  }

  /** The listed threads' ids, in the list's order. */
  async optionIds(): Promise<string[]> {
    return this.options().evaluateAll((options) => options.map((o) => o.getAttribute('data-thread-id') ?? ''));
  }

  /** The keyboard cursor. */
  activeOption() {
    return this.list().locator('[role="option"][aria-selected="true"]');
  }

  /** The thread open in the main pane. */
  openOption() {
    return this.list().locator('[role="option"][aria-current="true"]');
  }

  /** The flag on a thread whose latest run failed or is still running. */
  mark(threadId: string) {
    return this.option(threadId).locator('.thread-mark');
  }

  /** What a thread without events says in place of its counts. */
  noEventsNote(threadId: string) {
    return this.option(threadId).locator('.thread-no-events');
  }

  /** The pane's count of all threads. */
  total() {
    return this.page.getByRole('heading', { name: /^Threads/ }).locator('.count-badge');
  }

  /** How far the source's first read is, while it runs (a JSONL folder): "Indexing N of M files…". */
  indexingProgress() {
    return this.page.getByRole('progressbar', { name: 'Reading the source' });
  }

  /** The progress's own words, as a screen reader hears them. */
  async indexingText(): Promise<string | null> {
    return this.indexingProgress().getAttribute('aria-valuetext');
  }

  async waitReady(): Promise<void> {
    await expect(this.list()).toHaveAttribute('data-state', 'ready');
  }

  async open(threadId: string): Promise<void> {
    await this.option(threadId).click();
  }
}
