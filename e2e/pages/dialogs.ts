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

  /** Where the database keeps DeerFlow's run records: the box that has the delete take them with the events, as DeerFlow's does (checked as the dialog opens). */
  recordsBox() {
    return this.dialog().getByRole('checkbox', { name: /^Also remove the (thread's run records and its entry in the thread list|run's run record) \(as DeerFlow does\)/ });
  }

  /** The run records the box names, counted: "3 runs rows and its threads_meta row". */
  recordsCount() {
    return this.dialog().getByTestId('records-count');
  }

  /** On a read-only server: the question it asks first. */
  switchQuestion() {
    return this.dialog().getByTestId('switch-to-write');
  }

  /** On a read-only server: the button that switches the source to read-write, then deletes. */
  switchAndDeleteButton() {
    return this.dialog().getByRole('button', { name: /^Switch to read-write and delete (run|thread)$/ });
  }

  /** Where DeerFlow lists runs the delete would take as running: the warning that it may still be writing them. */
  activeRunsWarning() {
    return this.dialog().getByTestId('active-runs');
  }

  /** A failed delete (the active runs' warning is an alert too). */
  error() {
    return this.dialog().getByRole('alert').filter({ hasText: /^Delete failed:/ });
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
    // A typed path with suggestions (a datalist) is a combobox.
    return this.dialog().getByRole('combobox', { name: 'JSONL file or folder' });
  }

  startButton() {
    return this.dialog().getByRole('button', { name: 'Import', exact: true });
  }

  /** Into a read-only server: the question it asks first. */
  switchQuestion() {
    return this.dialog().getByTestId('switch-to-write');
  }

  /** Into a read-only server: the button that switches the source to read-write, then imports. */
  switchAndImportButton() {
    return this.dialog().getByRole('button', { name: 'Switch to read-write and import', exact: true });
  }

  summary() {
    return this.dialog().getByRole('region', { name: 'Import summary' });
  }

  /** Offered when the import went into another database than the open one. */
  openItButton() {
    return this.summary().getByRole('button', { name: 'Open it' });
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
    return this.dialog().getByRole('combobox', { name: 'Folder' });
  }

  startButton() {
    return this.dialog().getByRole('button', { name: 'Export', exact: true });
  }

  summary() {
    return this.dialog().getByTestId('export-summary');
  }
}

export class OpenDialog {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  dialog() {
    return this.page.getByRole('dialog', { name: 'Open a source' });
  }

  pathField() {
    return this.dialog().getByRole('combobox', { name: 'Database file, JSONL folder, JSONL export or postgresql:// URL' });
  }

  openButton() {
    return this.dialog().getByRole('button', { name: 'Open', exact: true });
  }

  newDatabaseButton() {
    return this.dialog().getByRole('button', { name: 'New database', exact: true });
  }

  /** Opens `path` and waits for the dialog to close. */
  async open(path: string): Promise<void> {
    await this.pathField().fill(path);
    await this.openButton().click();
    await expect(this.dialog()).toHaveCount(0);
  }

  /** The suggestions for what the path field holds now, once they answer it. */
  async suggestions(): Promise<string[]> {
    const list = this.dialog().getByTestId('path-suggestions');
    await expect(list).toHaveAttribute('data-prefix', await this.pathField().inputValue());
    return list.locator('option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
  }

  error() {
    return this.dialog().getByRole('alert');
  }

  removeFromListButton() {
    return this.error().getByRole('button', { name: 'Remove from the list' });
  }

  recentList() {
    return this.dialog().getByRole('list', { name: 'Recent sources' });
  }

  /** A recent entry's button; its data-exists says whether the path is still there. */
  recentItem(path: string) {
    return this.recentList().getByRole('button').filter({ has: this.page.getByText(path, { exact: true }) });
  }

  clearRecentButton() {
    return this.dialog().getByRole('button', { name: 'Clear recent' });
  }

  /** Opens the PostgreSQL dialog in this one's place. */
  postgresButton() {
    return this.dialog().getByRole('button', { name: 'PostgreSQL database…' });
  }
}

/** The context menu on a message or trace row. */
export class ContentMenu {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  menu() {
    return this.page.getByRole('menu', { name: /^Seq \d+$/ });
  }

  item(name: 'Copy' | 'Copy as JSON' | 'Copy seq link') {
    return this.menu().getByRole('menuitem', { name, exact: true });
  }
}

/** The top bar's count of skipped and defaulted lines, and the dialog that lists them. */
export class SourceIssues {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  indicator() {
    return this.page.getByRole('banner').getByRole('button', { name: /skipped line|not read|warning/ });
  }

  dialog() {
    return this.page.getByRole('dialog', { name: 'Skipped and defaulted lines' });
  }

  list() {
    return this.dialog().getByRole('list', { name: 'Source issues' });
  }

  /** The rows rendered now (the list is virtualized), in the dialog's order. */
  rows() {
    return this.list().getByRole('listitem');
  }

  /** Scrolls the list to its end until the row at `position` (1-based) is rendered; rows are measured on the way, which moves the end. */
  async scrollToRow(position: number): Promise<void> {
    const row = this.list().locator(`[role="listitem"][aria-posinset="${position}"]`);
    await expect(async () => {
      await this.list().evaluate((list) => list.scrollTo({ top: list.scrollHeight }));
      await expect(row).toBeVisible({ timeout: 500 });
    }).toPass();
  }

  closeButton() {
    return this.dialog().getByRole('button', { name: 'Close' });
  }
}
