import { expect, type Locator, type Page } from '@playwright/test';

/** The thread overview strip above the messages timeline. */
export class OverviewStrip {
  readonly page: Page;
  readonly strip: Locator;

  constructor(page: Page) {
    this.page = page;
    this.strip = page.getByRole('slider', { name: 'Thread overview' });
  }

  /** The store's counts have arrived (not the estimate from the runs) and it has drawn them, error and failed-tool markers included. */
  async waitDrawn(): Promise<void> {
    await expect(this.strip).toHaveAttribute('data-state', 'ready');
    await expect(this.strip).toHaveAttribute('data-drawn-ms', /^\d+$/);
    await expect(this.strip).toHaveAttribute('data-counts', 'counted');
    await expect(this.strip).toHaveAttribute('data-marks', 'counted');
  }

  async seqRange(): Promise<{ first: number; last: number }> {
    return { first: Number(await this.strip.getAttribute('data-first-seq')), last: Number(await this.strip.getAttribute('data-last-seq')) };
  }

  /** The seqs of the first and last message the timeline shows, as the strip draws them; null while none is in view. */
  async visibleWindow(): Promise<{ first: number; last: number } | null> {
    const [first, last] = await Promise.all([this.strip.getAttribute('data-window-first'), this.strip.getAttribute('data-window-last')]);
    return first && last ? { first: Number(first), last: Number(last) } : null;
  }

  /** Clicks the strip at a fraction (0–1) of its width. */
  async clickAt(fraction: number): Promise<void> {
    const box = await this.strip.boundingBox();
    if (!box) throw new Error('the overview strip is not laid out');
    await this.page.mouse.click(box.x + box.width * fraction, box.y + box.height / 2);
  }

  /** Presses the mouse at one fraction of the strip's width and lets go at another. */
  async dragBetween(from: number, to: number): Promise<void> {
    const box = await this.strip.boundingBox();
    if (!box) throw new Error('the overview strip is not laid out');
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width * from, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + box.width * to, y, { steps: 8 });
    await this.page.mouse.up();
  }

  async press(key: string): Promise<void> {
    await this.strip.focus();
    await this.strip.press(key);
  }
}
