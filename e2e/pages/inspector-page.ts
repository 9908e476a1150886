// The whole window as the tests see it. Every selector of the suite lives in
// e2e/pages: roles and accessible names first, test ids and data attributes
// (the app's own readiness signals) where no role fits.
import { expect, type Page } from '@playwright/test';
import { DetailPane } from './detail-pane.ts';
import { HealthPanel } from './health.ts';
import { ContentMenu, DeleteDialog, ExportDialog, ImportDialog, OpenDialog, SourceIssues } from './dialogs.ts';
import { SearchPanel } from './search-panel.ts';
import { SourceBar } from './source-bar.ts';
import { ThreadsPane } from './threads-pane.ts';
import { ThreadView } from './thread-view.ts';

export class InspectorPage {
  readonly page: Page;
  readonly threads: ThreadsPane;
  readonly thread: ThreadView;
  readonly detail: DetailPane;
  readonly deleteDialog: DeleteDialog;
  readonly importDialog: ImportDialog;
  readonly exportDialog: ExportDialog;
  readonly openDialog: OpenDialog;
  readonly sourceIssues: SourceIssues;
  readonly contentMenu: ContentMenu;
  readonly search: SearchPanel;
  readonly source: SourceBar;
  readonly health: HealthPanel;

  constructor(page: Page) {
    this.page = page;
    this.threads = new ThreadsPane(page);
    this.thread = new ThreadView(page);
    this.detail = new DetailPane(page);
    this.deleteDialog = new DeleteDialog(page);
    this.importDialog = new ImportDialog(page);
    this.exportDialog = new ExportDialog(page);
    this.openDialog = new OpenDialog(page);
    this.sourceIssues = new SourceIssues(page);
    this.contentMenu = new ContentMenu(page);
    this.search = new SearchPanel(page);
    this.source = new SourceBar(page);
    this.health = new HealthPanel(page);
  }

  /** Opens the URL `serve` printed and waits for the app's readiness signal. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.waitReady();
    await this.threads.waitReady();
  }

  /** The app's readiness signal, after a navigation or a reload. */
  async waitReady(): Promise<void> {
    await expect(this.page.locator('body')).toHaveAttribute('data-ready', 'true');
  }

  /** What the page's clipboard holds (the test needs the clipboard-read permission). */
  clipboardText(): Promise<string> {
    return this.page.evaluate(() => navigator.clipboard.readText());
  }

  /** The mouse's back or forward side button, pressed and released over the page (Playwright's mouse has no such buttons; CDP does). */
  async pressMouseSideButton(button: 'back' | 'forward'): Promise<void> {
    const cdp = await this.page.context().newCDPSession(this.page);
    for (const type of ['mousePressed', 'mouseReleased'] as const) await cdp.send('Input.dispatchMouseEvent', { type, x: 400, y: 20, button, clickCount: 1 });
    await cdp.detach();
  }

  openButton() {
    return this.page.getByRole('button', { name: 'Open…' });
  }

  importButton() {
    return this.page.getByRole('button', { name: 'Import…' });
  }

  /** Drops files named `names` onto the window, as a file manager would (the page sees File objects only). */
  async dropFiles(names: string[]): Promise<void> {
    const transfer = await this.page.evaluateHandle((files) => {
      const data = new DataTransfer();
      for (const name of files) data.items.add(new File(['{}'], name));
      return data;
    }, names);
    await this.page.locator('.app').dispatchEvent('drop', { dataTransfer: transfer });
  }

  /** The top bar's Reload: every list read again from the source. */
  reloadButton() {
    return this.page.getByRole('button', { name: 'Reload', exact: true });
  }

  /** The message shown after an action (e.g. "Deleted run …"). */
  notice() {
    return this.page.locator('.notice[role="status"]');
  }

  /** The empty state of the main pane when no thread is open. */
  noThreadOpen() {
    return this.page.getByText('Pick a thread', { exact: true });
  }

  /** The main pane's guide for a source without any events. */
  emptySource() {
    return this.page.getByTestId('empty-source');
  }

  shortcutsButton() {
    return this.page.getByRole('button', { name: 'Keyboard shortcuts' });
  }

  shortcutsDialog() {
    return this.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  }

  shortcutsSection(name: string) {
    return this.shortcutsDialog().getByRole('region', { name, exact: true });
  }

  shortcutsCloseButton() {
    return this.shortcutsDialog().getByRole('button', { name: 'Close' });
  }
}
