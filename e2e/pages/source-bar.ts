// The top bar's account of the open source: its kind, its path (a server's
// display URL) and whether it is read-only.
import type { Page } from '@playwright/test';

export class SourceBar {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  region() {
    return this.page.getByLabel('Open source');
  }

  kind() {
    return this.region().locator('.source-kind');
  }

  path() {
    return this.region().locator('.source-path');
  }

  readOnlyFlag() {
    return this.region().getByText('read-only', { exact: true });
  }
}
