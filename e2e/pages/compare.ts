import { expect, type Locator, type Page } from '@playwright/test';
import { formatRunKey, type ComparePair } from '../../src-renderer/compare/compare-pair.ts';

/** Picking runs to compare in the Runs tab (issue 12). */
export class RunPicker {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  checkbox(runId: string) {
    return this.page.getByRole('checkbox', { name: `Pick run ${runId} to compare` });
  }

  compareButton() {
    return this.page.getByRole('toolbar', { name: 'Compare runs' }).getByRole('button', { name: 'Compare', exact: true });
  }

  compareWithButton(runId: string) {
    return this.page.getByRole('button', { name: `Compare run ${runId} with…` });
  }

  compareWithPickedButton(runId: string) {
    return this.page.getByRole('button', { name: `Compare run ${runId} with the picked run` });
  }

  compareWithOriginalButton(runId: string) {
    return this.page.getByRole('button', { name: `Compare run ${runId} with its original` });
  }

  /** The note saying which run "Compare with…" picked. */
  pickedNote() {
    return this.page.locator('.picked-run');
  }
}

/** The Compare tab: the two runs' figures, then their aligned steps. */
export class CompareView {
  readonly page: Page;
  readonly root: Locator;

  constructor(page: Page) {
    this.page = page;
    this.root = page.getByRole('region', { name: 'Compare runs' });
  }

  async waitReady(): Promise<void> {
    await expect(this.root).toHaveAttribute('data-state', 'ready');
  }

  /** Opens the comparison of `pair` by its address, as a link or a reload does. */
  async open(servedUrl: string, { a, b }: ComparePair): Promise<void> {
    const hash = new URLSearchParams({ thread: a.threadId, tab: 'compare', a: formatRunKey(a), b: formatRunKey(b) });
    await this.page.goto(`${servedUrl}#${hash}`);
    await this.waitReady();
  }

  /** Above a run's column: how many steps it has. */
  stepCount(side: 'a' | 'b') {
    return this.root.locator(`.compare-columns [data-side="${side}"]`);
  }

  /** The header's column of a run: its id. */
  runHeading(side: 'a' | 'b') {
    return this.root.getByRole('table', { name: "The two runs' figures" }).locator(`thead th[data-side="${side}"]`);
  }

  figure(name: string, side: 'a' | 'b') {
    return this.root.locator(`tr[data-figure="${name}"] td[data-side="${side}"]`);
  }

  differenceCount() {
    return this.root.locator('[data-figure="Differences"]');
  }

  folds() {
    return this.root.getByRole('button', { name: /unchanged steps?$/ });
  }

  /** The row of the comparison's step `index` (in the steps compareRuns answers), when drawn. */
  step(index: number) {
    return this.root.locator(`.compare-row[data-step="${index}"]`);
  }

  stepSide(index: number, side: 'a' | 'b') {
    return this.step(index).locator(`[data-side="${side}"]`);
  }

  /** The empty side of step `index`, when only the other run has it. */
  missingSide(index: number, side: 'a' | 'b') {
    return this.step(index).getByLabel(`Not in run ${side}`);
  }

  currentStep() {
    return this.root.locator('.compare-row[data-current]');
  }

  insertions(index: number) {
    return this.stepSide(index, 'b').locator('ins');
  }

  deletions(index: number) {
    return this.stepSide(index, 'a').locator('del');
  }
}
