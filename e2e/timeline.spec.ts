import { expect, saveScreenshot, type ServedStore, test } from './fixtures.ts';
import { formatted, messageSeqs, runIds } from './expectations.ts';
import type { InspectorPage } from './pages/inspector-page.ts';

/** Opens the generated store's big thread (the one with many pages) at its latest messages; its id and message seqs. */
async function openBigThread(inspector: InspectorPage, served: ServedStore): Promise<{ threadId: string; seqs: number[] }> {
  const threadId = (served.plans.find((p) => p.big) ?? served.plans[0]).thread_id;
  await inspector.threads.open(threadId);
  await inspector.thread.timeline.waitReady();
  return { threadId, seqs: messageSeqs(served.events, threadId) };
}

test('opens a thread at its latest message, with run boundaries and their Trace buttons', async ({ inspector, served, page }) => {
  const { threadId, seqs } = await openBigThread(inspector, served);
  const { thread } = inspector;

  await expect(thread.tabCount('Messages')).toHaveText(formatted(seqs.length));
  await expect(thread.timeline.message(seqs[seqs.length - 1])).toBeVisible();
  await expect.poll(() => thread.timeline.isScrolledToEnd()).toBe(true);
  expect(await thread.timeline.lastLoadedSeq()).toBe(seqs[seqs.length - 1]);

  // Scrolled to the start, the first run's boundary shows its Trace button.
  await page.getByRole('button', { name: 'Jump to start' }).click();
  await expect(thread.timeline.scroller).toHaveAttribute('data-first-seq', String(seqs[0]));
  await expect(thread.timeline.scroller).toHaveAttribute('data-has-older', 'false');
  const firstRun = runIds(served.events, threadId)[0];
  const boundary = thread.timeline.runBoundaries().first();
  await expect(boundary).toContainText(firstRun);
  await expect(boundary.getByRole('button', { name: /^Trace/ })).toBeVisible();
  await saveScreenshot(page, 'messages');

  // The boundary's Trace button opens that run's trace.
  await boundary.getByRole('button', { name: /^Trace/ }).click();
  await thread.trace.waitReady();
  await expect(thread.trace.runSelect()).toHaveValue(firstRun);
});

test('scrolling up loads older pages and keeps the first visible row in place', async ({ inspector, served, page }) => {
  const { seqs } = await openBigThread(inspector, served);
  const { timeline } = inspector.thread;
  const opened = await timeline.firstLoadedSeq();
  expect(opened).toBeGreaterThan(seqs[0]);

  // Older pages are held back until the row in view at the top has been noted.
  const gate = new Gate();
  await page.route('**/api/listMessages', async (route) => {
    if ((route.request().postDataJSON() as { beforeSeq?: number }).beforeSeq !== undefined) await gate.passed();
    await route.continue();
  });

  for (let round = 0; round < 2; round++) {
    const before = await timeline.firstLoadedSeq();
    gate.close();
    const asked = page.waitForRequest((request) => request.url().endsWith('/api/listMessages') && (request.postDataJSON() as { beforeSeq?: number }).beforeSeq === before);
    await timeline.scrollToTop();
    await asked;
    const row = await timeline.settledFirstVisibleRow();
    gate.open();

    await expect.poll(() => timeline.firstLoadedSeq()).toBeLessThan(before);
    await timeline.waitReady();
    // The row that was first in view is still first, at the same place.
    await expect
      .poll(async () => {
        const after = await timeline.firstVisibleRow();
        return after !== null && after.seq === row?.seq && Math.abs(after.top - (row?.top ?? 0)) < 2;
      })
      .toBe(true);
  }
  expect(await timeline.firstLoadedSeq()).toBeLessThan(opened);

  // The keyboard gets there too: Home reaches the top of what is loaded, and the next page comes.
  await page.unroute('**/api/listMessages');
  const before = await timeline.firstLoadedSeq();
  await timeline.scroller.focus();
  await page.keyboard.press('Home');
  await expect.poll(() => timeline.firstLoadedSeq()).toBeLessThan(before);
});

/** A barrier the route handler waits at while the test looks at the page. */
class Gate {
  private release: () => void = () => undefined;
  private barrier: Promise<void> = Promise.resolve();

  close(): void {
    this.barrier = new Promise((resolve) => (this.release = resolve));
  }

  open(): void {
    this.release();
  }

  passed(): Promise<void> {
    return this.barrier;
  }
}

test('jumps to a seq and shows hidden and middleware messages on demand', async ({ inspector, served, page }) => {
  const { threadId, seqs } = await openBigThread(inspector, served);
  const { timeline } = inspector.thread;

  await timeline.goToSeq(seqs[Math.floor(seqs.length / 3)]);

  const middleware = served.events.filter((e) => e.thread_id === threadId && e.category === 'message' && String(e.metadata.caller ?? '').startsWith('middleware:'));
  test.skip(middleware.length === 0, 'the generated thread has no middleware message');
  await page.getByRole('button', { name: 'Jump to start' }).click();
  await timeline.waitReady();
  // Middleware messages (the title middleware's, for one) are usually hidden too: their toggle shows them anyway.
  const toggle = page.getByRole('checkbox', { name: /^Middleware/ });
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  await timeline.goToSeq(middleware[0].seq);
});

test('switching to Runs or Trace and back keeps the reading position and the loaded messages', async ({ inspector, served, page }) => {
  await openBigThread(inspector, served);
  const { thread } = inspector;
  const { timeline } = thread;

  // Up from the latest messages, short of the edge where the next older page loads.
  await timeline.scrollBy(-2500);
  const row = await timeline.settledFirstVisibleRow();
  const loaded = [await timeline.firstLoadedSeq(), await timeline.lastLoadedSeq()];
  const fetches: unknown[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/listMessages')) fetches.push(request.postDataJSON());
  });

  for (const other of ['Runs', 'Trace'] as const) {
    await thread.tab(other).click();
    if (other === 'Runs') await thread.waitRunsReady();
    else await thread.trace.waitReady();
    await expect(timeline.scroller).toBeHidden();

    await thread.tab('Messages').click();
    await expect(timeline.scroller).toBeVisible();
    const back = await timeline.settledFirstVisibleRow();
    expect(back?.seq).toBe(row?.seq);
    expect(Math.abs((back?.top ?? 0) - (row?.top ?? 0))).toBeLessThan(2);
    expect([await timeline.firstLoadedSeq(), await timeline.lastLoadedSeq()]).toEqual(loaded);
  }
  expect(fetches, 'no messages fetched again').toEqual([]);
});
