// The trace's Timeline view (the waterfall of a run's spans) and the run
// header above both trace views.
import { expect, type Page } from '@playwright/test';

export class Waterfall {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  viewButton(name: 'Events' | 'Timeline') {
    return this.page.getByRole('group', { name: 'Trace view' }).getByRole('button', { name, exact: true });
  }

  root() {
    return this.page.getByTestId('waterfall');
  }

  /** Switches the trace to its Timeline and waits for the spans. */
  async open(): Promise<void> {
    await this.viewButton('Timeline').click();
    await expect(this.viewButton('Timeline')).toHaveAttribute('aria-pressed', 'true');
    await expect(this.root()).toHaveAttribute('data-state', 'ready');
  }

  /** A span's bar by its accessible name (`web_search 920 ms`), among the rows rendered. */
  bar(name: string) {
    return this.root().getByRole('button', { name, exact: true });
  }

  /** The bar that has the keyboard focus. */
  focusedBar() {
    return this.root().locator('.wf-bar:focus');
  }

  /** The bar of the span the selection shows. */
  currentBar() {
    return this.root().locator('.wf-bar[aria-current="true"]');
  }

  /** Where the span rows scroll (a drag there pans, a sideways scroll too). */
  rows() {
    return this.root().locator('.wf-scroll');
  }

  zoomInButton() {
    return this.root().getByRole('button', { name: 'Zoom in' });
  }

  /** The ruler's tick labels, left to right. */
  rulerTicks(): Promise<string[]> {
    return this.ruler().locator('.wf-tick').allTextContents();
  }

  ruler() {
    return this.page.getByTestId('waterfall-ruler');
  }

  /** What the status line says of the focused span. */
  status() {
    return this.page.getByTestId('waterfall-status');
  }

  showInTableButton() {
    return this.status().getByRole('button', { name: 'Show in the table' });
  }
}

export class RunHeader {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  root() {
    return this.page.getByRole('region', { name: 'Run summary' });
  }

  async waitReady(): Promise<void> {
    await expect(this.root()).toHaveAttribute('data-state', 'ready');
  }

  stop() {
    return this.root().getByRole('note', { name: 'Why the run ended' });
  }

  statusChip() {
    return this.root().locator('.status');
  }

  /** The stop reason as a link to the event that says so. */
  stopLink() {
    return this.stop().getByRole('button');
  }

  figure(label: 'Duration' | 'LLM calls' | 'Tool calls' | 'Subagent tasks' | 'Tokens' | 'Model' | 'Models') {
    return this.root().locator(`[data-figure="${label}"] dd`);
  }
}
