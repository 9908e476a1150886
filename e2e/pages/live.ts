import type { Page } from '@playwright/test';

/** Following a source another process writes: the top bar's Live switch, the "N new" pills, the live badges. */
export class LivePane {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  /** Marks the open document, so a test can tell later that nothing reloaded it. */
  async markDocument(): Promise<void> {
    await this.page.evaluate(() => Object.assign(window, { liveTestMark: true }));
  }

  /** Whether the document markDocument marked is still the one open. */
  async documentKept(): Promise<boolean> {
    return this.page.evaluate(() => 'liveTestMark' in window);
  }

  /** The top bar's switch (aria-pressed: on). */
  toggle() {
    return this.page.getByRole('navigation', { name: 'Source actions' }).getByRole('button', { name: /^Live/ });
  }

  /** The timeline's pill: "3 new messages". */
  newMessagesPill() {
    return this.page.getByRole('region', { name: 'Messages timeline' }).getByRole('button', { name: /^\d+ new messages?$/ });
  }

  /** The trace's pill: "3 new events". */
  newEventsPill() {
    return this.page.getByRole('region', { name: /^Trace of run / }).getByRole('button', { name: /^\d+ new events?$/ });
  }

  threadBadge(threadId: string) {
    return this.page.getByRole('listbox', { name: 'Thread list' }).locator(`[data-thread-id="${threadId}"] .live-badge`);
  }

  boundaryBadge(runId: string) {
    return this.page.getByTestId('timeline').getByRole('group', { name: `Run ${runId}` }).locator('.live-badge');
  }

  runsTableBadge(runId: string) {
    return this.page.getByRole('region', { name: 'Runs' }).locator(`tr[data-run-id="${runId}"] .live-badge`);
  }

  traceHeaderBadge() {
    return this.page.getByRole('region', { name: 'Run summary' }).locator('.live-badge');
  }
}
