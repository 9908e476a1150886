import { expect, type Locator, type Page } from '@playwright/test';

export interface VisibleRow {
  seq: string;
  /** Distance of the row's top from the top of the scroller, in px. */
  top: number;
}

/** The messages timeline of the open thread. */
export class Timeline {
  readonly page: Page;
  readonly scroller: Locator;

  constructor(page: Page) {
    this.page = page;
    this.scroller = page.getByTestId('timeline');
  }

  async waitReady(): Promise<void> {
    await expect(this.scroller).toHaveAttribute('data-state', 'ready');
  }

  messages() {
    return this.scroller.getByRole('article');
  }

  message(seq: number) {
    return this.scroller.locator(`article[data-seq="${seq}"]`);
  }

  /** Uses the timeline's own "Go to seq": rows far from the view are not in the DOM at all. */
  async goToSeq(seq: number): Promise<void> {
    await this.page.getByRole('spinbutton', { name: 'Go to seq' }).fill(String(seq));
    await this.page.getByRole('button', { name: 'Go', exact: true }).click();
    await expect(this.message(seq)).toBeInViewport();
  }

  /** A markdown (GFM) table in a message's text. */
  markdownTable(seq: number) {
    return this.message(seq).getByRole('table');
  }

  links(seq: number) {
    return this.message(seq).getByRole('link');
  }

  /** Link text whose address is not http(s): shown, not followed. */
  inertLink(seq: number, text: string) {
    return this.message(seq).locator('.inert-link', { hasText: text });
  }

  imagePlaceholder(seq: number) {
    return this.message(seq).getByText(/Image · /);
  }

  showAllButton(seq: number) {
    return this.message(seq).getByRole('button', { name: /^Show all/ });
  }

  showLessButton(seq: number) {
    return this.message(seq).getByRole('button', { name: 'Show less' });
  }

  jsonTreeToggle(seq: number) {
    return this.message(seq).getByRole('button', { name: 'View as JSON tree' });
  }

  jsonTree(seq: number) {
    return this.message(seq).getByRole('tree');
  }

  reasoning(seq: number) {
    return this.message(seq).locator('details.reasoning');
  }

  toolCalls(seq: number) {
    return this.message(seq).getByRole('list', { name: 'Tool calls' }).getByRole('listitem');
  }

  /** The link from a tool call to the message holding its result. */
  resultLink(seq: number) {
    return this.toolCalls(seq).getByRole('button', { name: /^(result|failed) #\d+/ });
  }

  runBoundaries() {
    return this.scroller.getByRole('group', { name: /^Run / });
  }

  runBoundary(runId: string) {
    return this.scroller.getByRole('group', { name: `Run ${runId}` });
  }

  /** The run ids of the boundaries in the DOM, top to bottom. */
  async runBoundaryIds(): Promise<string[]> {
    return this.runBoundaries().evaluateAll((groups) => groups.map((g) => (g.getAttribute('aria-label') ?? '').replace(/^Run /, '')));
  }

  traceButton(runId: string) {
    return this.runBoundary(runId).getByRole('button', { name: `Trace of run ${runId}` });
  }

  /** The status chip of a run's boundary. */
  runStatus(runId: string) {
    return this.runBoundary(runId).locator('.status');
  }

  /** What a tool call says when it has no result: "no result yet" while its run runs, "no result" after. */
  missingResult(seq: number) {
    return this.toolCalls(seq).getByText(/^no result( yet)?$/);
  }

  /** Why a run stopped, inside its boundary. */
  runStop(runId: string) {
    return this.runBoundary(runId).getByRole('note', { name: 'Why the run stopped' });
  }

  /** The stop text as a link to the run.error event it came from. */
  runStopLink(runId: string) {
    return this.runStop(runId).getByRole('button');
  }

  jumpToStartButton() {
    return this.page.getByRole('button', { name: 'Jump to start' });
  }

  runAction(runId: string, name: 'Export run' | 'Delete run') {
    return this.runBoundary(runId).getByRole('button', { name, exact: true });
  }

  /** Types a seq into "Go to seq" and submits it, whatever it finds there. */
  async submitSeq(seq: number): Promise<void> {
    await this.page.getByRole('spinbutton', { name: 'Go to seq' }).fill(String(seq));
    await this.page.getByRole('button', { name: 'Go', exact: true }).click();
  }

  /** What Go to seq found when the seq is no message. */
  seqNote() {
    return this.page.getByRole('status', { name: 'Go to seq' });
  }

  /** The note's way to a trace event it found. */
  seqNoteTraceButton() {
    return this.seqNote().getByRole('button', { name: 'Open it in the Trace' });
  }

  /** What an open thread without events shows in place of messages. */
  noEventsState() {
    return this.page.getByText('No events in this thread');
  }

  /** Why a thread without events is listed, in the open thread. */
  noEventsReason() {
    return this.page.getByText(/listed from the database's thread list \(threads_meta\)/);
  }

  /** A tool call's way to a result that is not loaded. */
  findResultButton(seq: number) {
    return this.toolCalls(seq).getByRole('button', { name: /^find result/ });
  }

  roleBadge(seq: number) {
    return this.message(seq).locator('.role-badge');
  }

  truncationFlag(seq: number) {
    return this.message(seq).locator('.flag-truncated');
  }

  /** A "Show messages" checkbox above the timeline. */
  messageToggle(name: 'Hidden' | 'Middleware' | 'Subagent') {
    return this.page.getByRole('checkbox', { name: new RegExp(`^${name}`) });
  }

  async firstLoadedSeq(): Promise<number> {
    return Number(await this.scroller.getAttribute('data-first-seq'));
  }

  async lastLoadedSeq(): Promise<number> {
    return Number(await this.scroller.getAttribute('data-last-seq'));
  }

  /** Scrolls the timeline by `dy` px (negative: up). */
  async scrollBy(dy: number): Promise<void> {
    await this.scroller.evaluate((el, by) => {
      el.scrollTop += by;
    }, dy);
  }

  async scrollToTop(): Promise<void> {
    await this.scroller.evaluate((el) => {
      el.scrollTop = 0;
    });
  }

  /** The first message row in view once rendering has settled (two equal readings in a row). */
  async settledFirstVisibleRow(): Promise<VisibleRow | null> {
    let previous = '';
    let row: VisibleRow | null = null;
    await expect
      .poll(async () => {
        row = await this.firstVisibleRow();
        const same = JSON.stringify(row) === previous;
        previous = JSON.stringify(row);
        return same && row !== null;
      })
      .toBe(true);
    return row;
  }

  async firstVisibleRow(): Promise<VisibleRow | null> {
    return this.scroller.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const row = [...el.querySelectorAll<HTMLElement>('article[data-seq]')].find((node) => {
        const r = node.getBoundingClientRect();
        return r.bottom > box.top + 1 && r.top < box.bottom - 1;
      });
      return row ? { seq: row.dataset.seq ?? '', top: row.getBoundingClientRect().top - box.top } : null;
    });
  }

  async isScrolledToEnd(): Promise<boolean> {
    return this.scroller.evaluate((el) => Math.abs(el.scrollHeight - el.scrollTop - el.clientHeight) < 2);
  }
}

/** A run's trace. */
export class Trace {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  list() {
    return this.page.getByRole('listbox', { name: 'Events' });
  }

  rows() {
    return this.list().getByRole('option');
  }

  row(seq: number) {
    return this.list().locator(`[role="option"][data-seq="${seq}"]`);
  }

  categoryChip(category: string) {
    return this.page.getByRole('group', { name: 'Filter by category' }).getByRole('button', { name: new RegExp(`^${escape(category)} `) });
  }

  typeChip(eventType: string) {
    return this.page.getByRole('group', { name: 'Filter by event type' }).getByRole('button', { name: new RegExp(`^${escape(eventType)} `) });
  }

  taskSelect() {
    return this.page.getByRole('combobox', { name: 'Subagent task' });
  }

  taskOption(taskId: string) {
    return this.taskSelect().locator(`option[value="${taskId}"]`);
  }

  /** The time from the run's start in a row. */
  rowTime(seq: number) {
    return this.row(seq).locator('.trace-time');
  }

  /** The time from the row above. */
  rowGap(seq: number) {
    return this.row(seq).locator('.trace-gap');
  }

  /** The "truncated" tag of a row whose content the recorder cut. */
  truncationTag(seq: number) {
    return this.row(seq).getByText('truncated', { exact: true });
  }

  /** The colour of a row's category stripe, as drawn. */
  async stripeColour(seq: number): Promise<string> {
    return this.row(seq).evaluate((row) => getComputedStyle(row).borderLeftColor);
  }

  /** The error category's colour, as drawn. */
  async errorColour(): Promise<string> {
    return this.page.evaluate(() => {
      const probe = document.createElement('span');
      probe.style.color = 'var(--cat-error)';
      document.body.append(probe);
      const colour = getComputedStyle(probe).color;
      probe.remove();
      return colour;
    });
  }

  runSelect() {
    return this.page.getByRole('combobox', { name: 'Run' });
  }

  selectedRun() {
    return this.runSelect().locator('option:checked');
  }

  async waitReady(): Promise<void> {
    await expect(this.list()).toHaveAttribute('data-state', 'ready');
  }

  /** Categories of the rows in view. */
  async shownCategories(): Promise<string[]> {
    return this.rows().evaluateAll((rows) => [...new Set(rows.map((row) => row.getAttribute('data-category') ?? ''))]);
  }

  clearFiltersButton() {
    return this.page.getByRole('group', { name: 'Filter by event type' }).getByRole('button', { name: 'Clear filters' });
  }

  deleteRunButton() {
    return this.page.getByRole('toolbar', { name: 'Trace controls' }).getByRole('button', { name: 'Delete run' });
  }

  /** Types a seq into the trace's own "Go to seq" box and goes. */
  async goToSeq(seq: number): Promise<void> {
    const toolbar = this.page.getByRole('toolbar', { name: 'Trace controls' });
    await toolbar.getByRole('spinbutton', { name: 'Go to seq' }).fill(String(seq));
    await toolbar.getByRole('button', { name: 'Go', exact: true }).click();
  }

  /** Why the event to show is not in this trace. */
  jumpNote() {
    return this.page.getByRole('region', { name: /^Trace of run / }).locator('.trace-note[role="status"]');
  }

  jumpNoteButton() {
    return this.jumpNote().getByRole('button');
  }

  status() {
    return this.page.getByRole('region', { name: /^Trace of run / }).locator('.trace-status');
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The open thread: header, tabs and the three views. */
export class ThreadView {
  readonly page: Page;
  readonly timeline: Timeline;
  readonly trace: Trace;

  constructor(page: Page) {
    this.page = page;
    this.timeline = new Timeline(page);
    this.trace = new Trace(page);
  }

  heading() {
    return this.page.getByRole('heading', { level: 1 });
  }

  tab(name: 'Messages' | 'Runs' | 'Trace') {
    return this.page.getByRole('tab', { name: new RegExp(`^${name}`) });
  }

  /** The count badge of a tab. */
  tabCount(name: 'Messages' | 'Runs') {
    return this.tab(name).locator('.count-badge');
  }

  exportThreadButton() {
    return this.page.getByRole('button', { name: 'Export thread' });
  }

  deleteThreadButton() {
    return this.page.getByRole('button', { name: 'Delete thread' });
  }

  runsTable() {
    return this.page.getByRole('region', { name: 'Runs' });
  }

  /** The runs table's column headers: visible while the runs are a table, hidden once they fold into lines. */
  runsColumnHeaders() {
    return this.runsTable().getByRole('columnheader');
  }

  /** The runs' rows in the DOM (the table is virtualized: those near the view), without the spacers standing in for the others. */
  runRows() {
    return this.runsTable().locator('tbody tr[data-run-id]');
  }

  traceButtonOfRun(runId: string) {
    return this.page.getByRole('button', { name: `Trace of run ${runId}` }).first();
  }

  /** The open thread's Runs tab, scrolled to the run, then that run's Trace button. */
  async openRunTrace(runId: string): Promise<void> {
    await this.tab('Runs').click();
    await this.waitRunsReady();
    await this.scrollToRun(runId);
    await this.traceButtonOfRun(runId).click();
  }

  /** Scrolls the runs table down from its top, a view at a time, until the run's row is in the DOM (only the rows near the view are), and brings it into view. */
  async scrollToRun(runId: string): Promise<void> {
    const scroller = this.runsTable().locator('.table-scroll');
    await scroller.evaluate((el) => (el.scrollTop = 0));
    for (;;) {
      // The rows are rendered on the scroll event, which comes before the next frame's callbacks.
      await this.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
      if ((await this.runRow(runId).count()) > 0) return this.runRow(runId).scrollIntoViewIfNeeded();
      const moved = await scroller.evaluate((el) => {
        const before = el.scrollTop;
        el.scrollTop += el.clientHeight;
        return el.scrollTop !== before;
      });
      if (!moved) throw new Error(`the runs table has no row for run ${runId}`);
    }
  }

  deleteRunButton(runId: string) {
    return this.page.getByRole('button', { name: `Delete run ${runId}` });
  }

  /** How far the runs table reaches beyond its scroller's width, in px (0: it fits). */
  async runsSidewaysOverflow(): Promise<number> {
    return this.runsTable()
      .locator('.table-scroll')
      .evaluate((el) => el.scrollWidth - el.clientWidth);
  }

  runRow(runId: string) {
    return this.runsTable().locator(`tbody tr[data-run-id="${runId}"]`);
  }

  /** A run's cell in a column. */
  runCell(runId: string, column: 'Started' | 'Duration' | 'Events' | 'Calls' | 'Tokens' | 'Model') {
    return this.runRow(runId).locator(`td[data-label="${column}"]`);
  }

  /** One of the figures of a run's Calls cell; failed calls only appear when there are some. */
  runCallFigure(runId: string, figure: 'LLM calls' | 'Tool calls' | 'Errors') {
    return this.runCell(runId, 'Calls').locator(`[data-figure="${figure}"]`);
  }

  async waitRunsReady(): Promise<void> {
    await expect(this.runsTable()).toHaveAttribute('data-state', 'ready');
  }
}
