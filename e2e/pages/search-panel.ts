// The top bar's search: the field, its scope chips and hit steps, and the
// results under it (filters, status line, the virtualized hits).
import { expect, type Locator, type Page } from '@playwright/test';

export class SearchPanel {
  readonly page: Page;
  readonly field: Locator;
  readonly results: Locator;

  constructor(page: Page) {
    this.page = page;
    this.field = page.getByRole('combobox', { name: 'Search events' });
    this.results = page.getByRole('listbox', { name: 'Search results' });
  }

  /** Types the query into the field and waits for its answer (the list's data-state, after the debounce). */
  async search(query: string): Promise<void> {
    await this.field.fill(query);
    await this.waitAnswered(query);
  }

  /** The results answer `query` (the list says which query its hits are for, once they landed). */
  async waitAnswered(query: string): Promise<void> {
    await expect(this.results).toHaveAttribute('data-query', query);
    await expect(this.results).toHaveAttribute('data-state', 'ready');
  }

  /** The results answer a search narrowed to `scope` (as the status line words it: "thread …", "errors only …"). */
  async waitScoped(scope: string | RegExp): Promise<void> {
    await expect(this.results).toHaveAttribute('data-state', 'ready');
    await expect(this.statusLine()).toContainText(scope);
  }

  hits() {
    return this.results.getByRole('option');
  }

  hit(threadId: string, seq: number) {
    return this.results.locator(`[role="option"][data-thread-id="${threadId}"][data-seq="${seq}"]`);
  }

  /** The highlighted matches of a hit's snippet. */
  marks(option: Locator) {
    return option.locator('.search-hit-snippet mark');
  }

  snippet(option: Locator) {
    return option.locator('.search-hit-snippet');
  }

  /** The keyboard cursor in the results. */
  activeHit() {
    return this.results.locator('[role="option"][aria-selected="true"]');
  }

  async loadedCount(): Promise<number> {
    return Number(await this.results.getAttribute('data-count'));
  }

  /** Scrolls the results to their end, so the next page loads. */
  async scrollToEnd(): Promise<void> {
    await this.results.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
  }

  /** Counts, the scope and filters, or why there is nothing. */
  statusLine() {
    return this.page.locator('.search-status [role="status"]');
  }

  error() {
    return this.page.locator('.search-status [role="alert"]');
  }

  scopeChip(name: 'In this thread' | 'In this run') {
    return this.page.getByRole('button', { name, exact: true });
  }

  errorsOnlyChip() {
    return this.page.getByRole('group', { name: 'Search filters' }).getByRole('button', { name: 'Errors only' });
  }

  categoryChip(category: string) {
    return this.page.getByRole('group', { name: 'Search by category' }).getByRole('button', { name: category, exact: true });
  }

  /** Beside the field while filters apply, so a closed list still says so. */
  filteredFlag() {
    return this.page.locator('.search-bar .search-filtered');
  }

  nextButton() {
    return this.page.getByRole('button', { name: 'Next hit' });
  }

  previousButton() {
    return this.page.getByRole('button', { name: 'Previous hit' });
  }

  /** "3 / 50+": the hit opened last, of those loaded. */
  position() {
    return this.page.getByLabel('Hit position');
  }

  /** How far the index is, while it builds. */
  indexProgress() {
    return this.page.getByRole('progressbar', { name: 'Search index' });
  }

  /** The timeline's row of a message the search opened: scrolled to and highlighted. */
  openedMessage(seq: number) {
    return this.page.getByTestId('timeline').locator(`article.highlighted[data-seq="${seq}"]`);
  }
}
