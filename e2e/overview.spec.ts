import { expect, saveScreenshot, type ServedStore, test } from './fixtures.ts';
import { findShapes } from '../test/support/shapes.ts';
import { threadEvents, visibleMessages } from './expectations.ts';
import type { InspectorPage } from './pages/inspector-page.ts';
import { OverviewStrip } from './pages/overview-strip.ts';

/** Opens the generated store's big thread and waits for its strip; the seqs of the messages the timeline shows, ascending. */
async function openBigThread(inspector: InspectorPage, served: ServedStore): Promise<{ threadId: string; shown: number[]; strip: OverviewStrip }> {
  const threadId = findShapes(served.events).bigThreadId;
  await inspector.threads.open(threadId);
  await inspector.thread.timeline.waitReady();
  const strip = new OverviewStrip(inspector.page);
  await strip.waitDrawn();
  return { threadId, shown: visibleMessages(served.events, threadId).map((e) => e.seq), strip };
}

/** The first shown message at or after a seq: where a seek to that seq puts the top of the timeline. */
const landing = (shown: number[], seq: number) => shown.find((s) => s >= seq) ?? shown[shown.length - 1];

/** The seq a point of the strip stands for: the strip's axis is the thread's seq range, linear from its first seq to its last. */
const seqAt = ({ first, last }: { first: number; last: number }, fraction: number) => first + Math.floor(fraction * (last - first + 1));

test('the strip covers the whole thread and shows where the timeline is', async ({ inspector, served, page }) => {
  const { threadId, shown, strip } = await openBigThread(inspector, served);
  const seqs = threadEvents(served.events, threadId).map((e) => e.seq);
  expect(await strip.seqRange()).toEqual({ first: Math.min(...seqs), last: Math.max(...seqs) });
  // Opened at the latest messages, the window ends at the last one.
  await expect.poll(async () => (await strip.visibleWindow())?.last).toBe(shown[shown.length - 1]);
  await saveScreenshot(page, 'overview-strip');
});

test('clicking near the start of the strip jumps the timeline there; dragging moves it on', async ({ inspector, served }) => {
  const { shown, strip } = await openBigThread(inspector, served);
  const { timeline } = inspector.thread;
  const range = await strip.seqRange();
  const openedAt = await timeline.firstLoadedSeq();

  await strip.clickAt(0.05);
  // Within a pixel of where it was clicked: the first message shown from there is at the top.
  const [low, high] = [landing(shown, seqAt(range, 0.04)), landing(shown, seqAt(range, 0.06))];
  // Until the jump lands the window is still at the end, past `high`: wait for both bounds at once.
  const within = (lowest: number, highest: number) => async () => {
    const first = (await strip.visibleWindow())?.first;
    return first !== undefined && first >= lowest && first <= highest;
  };
  await expect.poll(within(low, high)).toBe(true);
  const top = (await strip.visibleWindow())!.first;
  await expect(timeline.message(top)).toBeInViewport();
  expect(await timeline.firstLoadedSeq()).toBeLessThan(openedAt);

  await strip.dragBetween(0.05, 0.5);
  const [middleLow, middleHigh] = [landing(shown, seqAt(range, 0.48)), landing(shown, seqAt(range, 0.52))];
  await expect.poll(within(middleLow, middleHigh)).toBe(true);
});

test('the visible window moves as the timeline scrolls', async ({ inspector, served }) => {
  const { strip } = await openBigThread(inspector, served);
  const { timeline } = inspector.thread;
  await expect.poll(async () => (await strip.visibleWindow()) !== null).toBe(true);
  const before = (await strip.visibleWindow())!;
  await timeline.scrollBy(-1200);
  await expect.poll(async () => (await strip.visibleWindow())?.last).toBeLessThan(before.last);
  const after = (await strip.visibleWindow())!;
  expect(after.first).toBeLessThan(before.first);
  await expect(timeline.message(after.first)).toBeInViewport();
});

test('the keys move through the strip like a slider: Home, Page Up, End', async ({ inspector, served }) => {
  const { shown, strip } = await openBigThread(inspector, served);
  const range = await strip.seqRange();

  await strip.press('Home');
  await expect(strip.strip).toHaveAttribute('aria-valuenow', String(range.first));
  await expect(strip.strip).toHaveAttribute('aria-valuetext', `seq ${range.first} of ${range.first}–${range.last}`);
  await expect.poll(async () => (await strip.visibleWindow())?.first).toBe(shown[0]);

  // A page is a tenth of the thread.
  const paged = range.first + Math.ceil((range.last - range.first + 1) / 10);
  await strip.press('PageUp');
  await expect(strip.strip).toHaveAttribute('aria-valuenow', String(paged));
  await expect.poll(async () => (await strip.visibleWindow())?.first).toBe(landing(shown, paged));

  await strip.press('End');
  await expect(strip.strip).toHaveAttribute('aria-valuenow', String(range.last));
  await expect.poll(async () => (await strip.visibleWindow())?.last).toBe(shown[shown.length - 1]);
});

test('the strip is counted again when the store changes', async ({ inspector, served }) => {
  const { threadId, strip } = await openBigThread(inspector, served);
  const { last } = await strip.seqRange();
  const runId = threadEvents(served.events, threadId).at(-1)!.run_id;
  await served.write([{ thread_id: threadId, run_id: runId, event_type: 'run.error', category: 'error', content: 'written beside the app' }]);
  await inspector.reloadButton().click();
  await expect(strip.strip).toHaveAttribute('data-last-seq', String(last + 1));
});
