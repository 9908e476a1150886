// Store health as the tests see it: the top bar's Health entry, the panel of
// findings (its progress, filters and virtualized rows), and the marks the
// last report leaves in the runs table and on the overview strip.
import { expect, type Locator, type Page } from '@playwright/test';
import type { HealthKind, HealthSeverity } from '../../src-shared/health.ts';

export interface FindingPlace {
  threadId?: string;
  runId?: string;
  seq?: number;
}

export class HealthPanel {
  readonly page: Page;
  readonly entry: Locator;
  readonly dialog: Locator;
  readonly list: Locator;

  constructor(page: Page) {
    this.page = page;
    this.entry = page.getByRole('button', { name: /^Health:/ });
    this.dialog = page.getByRole('dialog', { name: 'Store health' });
    this.list = this.dialog.getByRole('listbox', { name: 'Findings' });
  }

  /** Opens the panel from the top bar. */
  async open(): Promise<void> {
    await this.entry.click();
    await expect(this.dialog).toBeVisible();
  }

  /** The last check has answered (the entry says so; a check in progress is 'checking'). */
  async waitChecked(): Promise<void> {
    await expect(this.entry).toHaveAttribute('data-state', 'checked');
  }

  progress() {
    return this.dialog.getByRole('progressbar', { name: 'Health check' });
  }

  /** The words under the progress bar: `Checked 3 of 5 threads`. */
  progressText() {
    return this.dialog.locator('.health-progress p');
  }

  summary() {
    return this.dialog.locator('.health-summary [role="status"]');
  }

  /** How many findings are listed, and of how many (`3 of 9 findings shown`). */
  shownLine() {
    return this.dialog.locator('.health-shown');
  }

  noFindings() {
    return this.dialog.getByText('No findings', { exact: true });
  }

  checkAgainButton() {
    return this.dialog.getByRole('button', { name: 'Check again' });
  }

  closeButton() {
    return this.dialog.getByRole('button', { name: 'Close', exact: true });
  }

  /** The findings' rows in the DOM (those near the view: the list is virtualized). */
  rows() {
    return this.list.getByRole('option');
  }

  /** A finding's row by its kind and where it is. */
  row(kind: HealthKind, place: FindingPlace = {}) {
    const attributes = [`[data-kind="${kind}"]`];
    if (place.threadId !== undefined) attributes.push(`[data-thread-id="${place.threadId}"]`);
    if (place.runId !== undefined) attributes.push(`[data-run-id="${place.runId}"]`);
    if (place.seq !== undefined) attributes.push(`[data-seq="${place.seq}"]`);
    return this.list.locator(`[role="option"]${attributes.join('')}`);
  }

  /** The row the keys are on. */
  activeRow() {
    return this.list.locator('[role="option"][aria-selected="true"]');
  }

  /** How many findings the list holds (rendered or not). */
  async listedCount(): Promise<number> {
    return Number(await this.list.getAttribute('data-count'));
  }

  severityChip(severity: HealthSeverity) {
    return this.dialog.getByRole('group', { name: 'Filter by severity' }).getByRole('button', { name: new RegExp(`^${severity} `) });
  }

  kindChip(kind: HealthKind) {
    return this.dialog.getByRole('group', { name: 'Filter by kind' }).getByRole('button', { name: new RegExp(`^${kind} `) });
  }

  clearFiltersButton() {
    return this.dialog.getByRole('button', { name: 'Clear filters' });
  }

  /** The keys of the list: it has the focus once the panel opens. */
  async press(key: string): Promise<void> {
    await this.list.press(key);
  }

  /** Scrolls the list to its end (the rows there are rendered then). */
  async scrollToEnd(): Promise<void> {
    await this.list.evaluate((el) => (el.scrollTop = el.scrollHeight));
  }

  /** A run's marker in the runs table (the thread's Runs tab open). */
  runMarker(runId: string) {
    return this.page.getByRole('region', { name: 'Runs' }).locator(`tbody tr[data-run-id="${runId}"]`).getByRole('img', { name: /^Health:/ });
  }

  /** The findings' marks on the open thread's overview strip. */
  stripMarks() {
    return this.page.getByRole('slider', { name: 'Thread overview' }).locator('.overview-health-mark');
  }
}
