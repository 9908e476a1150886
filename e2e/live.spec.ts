// Following a store another process writes while the page is open (issue 12,
// Live tail): the writer here is the test itself, on its own connection to
// the served database, as DeerFlow's server would be; `serve` notices each
// commit and pushes it. Nothing here reloads: each change must arrive alone.
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { EventInput } from '../src-shared/types.ts';
import { unansweredCallThread } from '../src-main/generator/generate.ts';
import { openSqliteStore } from '../src-main/store/sqlite/sqlite-store.ts';
import { expect, test } from './fixtures.ts';
import { countBy, messageSeqs, runEvents, runIds } from './expectations.ts';
import { findShapes } from '../test/support/shapes.ts';
import { LivePane } from './pages/live.ts';

/** `count` human messages of a run, as a chat's turns are written. */
function humanTurns(threadId: string, runId: string, count: number, from = 1): EventInput[] {
  return Array.from({ length: count }, (_, i) => ({
    thread_id: threadId,
    run_id: runId,
    event_type: 'llm.human.input',
    category: 'message',
    content: { type: 'human', content: `Live turn ${from + i}`, additional_kwargs: {}, response_metadata: {}, name: null, id: `live-${runId}-${from + i}` },
    metadata: {},
  }));
}

async function deleteRunAsWriter(dir: string, threadId: string, runId: string): Promise<void> {
  const store = openSqliteStore(path.join(dir, 'store.db'), { create: false });
  try {
    await store.deleteByRun(threadId, runId);
  } finally {
    await store.close();
  }
}

const live = (page: Page) => new LivePane(page);

test('at the end of the timeline, new messages appear and the view stays at the end', async ({ inspector, served, page }) => {
  const threadId = served.plans[0].thread_id;
  const { timeline } = inspector.thread;
  await inspector.threads.open(threadId);
  await timeline.waitReady();
  await expect.poll(() => timeline.isScrolledToEnd()).toBe(true);

  const written = await served.write(humanTurns(threadId, 'live-run-end', 3));
  await expect(timeline.message(written[2].seq)).toBeInViewport();
  await expect.poll(() => timeline.isScrolledToEnd()).toBe(true);
  await expect(live(page).newMessagesPill()).toHaveCount(0);
  await expect(inspector.thread.tabCount('Messages')).toHaveText(String(messageSeqs(served.events, threadId).length + 3));
});

test('scrolled up, new messages are counted on a pill that jumps to them; the view stays where it was', async ({ inspector, served, page }) => {
  const threadId = served.plans[0].thread_id;
  const { timeline } = inspector.thread;
  await inspector.threads.open(threadId);
  await timeline.waitReady();
  await timeline.scrollToTop();
  const before = await timeline.settledFirstVisibleRow();

  const written = await served.write(humanTurns(threadId, 'live-run-up', 3));
  await expect(live(page).newMessagesPill()).toHaveAccessibleName('3 new messages');
  expect(await timeline.settledFirstVisibleRow()).toEqual(before);

  await live(page).newMessagesPill().click();
  await expect(timeline.message(written[2].seq)).toBeInViewport();
  await expect(live(page).newMessagesPill()).toHaveCount(0);
});

test('a thread another process starts appears in the list with its counts', async ({ inspector, served }) => {
  const total = served.plans.length;
  await served.write([...humanTurns('live-new-thread', 'live-new-run', 2)]);
  await expect(inspector.threads.total()).toHaveText(String(total + 1));
  await expect(inspector.threads.option('live-new-thread')).toContainText('2 msgs');
  await expect(inspector.threads.option('live-new-thread')).toContainText('1 run');
});

test('a run another process deletes leaves the timeline, the Runs tab and the thread list, with the counts right', async ({ inspector, served }) => {
  const threadId = served.plans[0].thread_id;
  const runs = runIds(served.events, threadId);
  const messages = served.events.filter((e) => e.thread_id === threadId && e.category === 'message');
  const lastMessage = messages[messages.length - 1];
  const doomedMessages = messages.filter((e) => e.run_id === lastMessage.run_id).length;
  const { timeline } = inspector.thread;
  await inspector.threads.open(threadId);
  await timeline.waitReady();
  await expect(timeline.message(lastMessage.seq)).toBeVisible();

  await deleteRunAsWriter(served.dir, threadId, lastMessage.run_id);
  await expect(timeline.message(lastMessage.seq)).toHaveCount(0);
  await expect(inspector.thread.tabCount('Runs')).toHaveText(String(runs.length - 1));
  await expect(inspector.thread.tabCount('Messages')).toHaveText(String(messages.length - doomedMessages));
  await expect(inspector.threads.option(threadId)).toContainText(`${runs.length - 1} run`);
});

test('the Live switch pauses following, counts what waits, and applies it when on again; it is remembered for the session', async ({ inspector, served, page }) => {
  const threadId = served.plans[0].thread_id;
  const toggle = live(page).toggle();
  const { timeline } = inspector.thread;
  await inspector.threads.open(threadId);
  await timeline.waitReady();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(toggle).toHaveAccessibleName('Live');

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(toggle).toHaveAccessibleName('Live · paused');
  const [paused] = await served.write(humanTurns(threadId, 'live-run-paused', 1));
  await expect(toggle).toHaveAccessibleName('Live · paused (1 change)');
  await served.write(humanTurns('live-paused-thread', 'live-run-paused-2', 1));
  await expect(toggle).toHaveAccessibleName('Live · paused (2 changes)');
  // The views kept what they showed.
  await expect(timeline.message(paused.seq)).toHaveCount(0);
  await expect(inspector.threads.option('live-paused-thread')).toHaveCount(0);

  await toggle.click();
  await expect(toggle).toHaveAccessibleName('Live');
  await expect(timeline.message(paused.seq)).toBeInViewport();
  await expect(inspector.threads.option('live-paused-thread')).toBeVisible();

  await toggle.click();
  await page.reload();
  await inspector.waitReady();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
});

test('a run still running is badged live in the thread list, at its boundary, in the runs table and in its trace header', async ({ inspector, served, page }) => {
  // No runs row and no end, its events of just now: running by the clock rule.
  const [first] = await served.write(unansweredCallThread('live-running', Date.now()));
  await expect(live(page).threadBadge(first.thread_id)).toHaveText('live (still running)');
  await inspector.threads.open(first.thread_id);
  await inspector.thread.timeline.waitReady();
  await expect(live(page).boundaryBadge(first.run_id)).toBeVisible();
  await inspector.thread.tab('Runs').click();
  await inspector.thread.waitRunsReady();
  await expect(live(page).runsTableBadge(first.run_id)).toBeVisible();
  await inspector.thread.traceButtonOfRun(first.run_id).click();
  await expect(live(page).traceHeaderBadge()).toBeVisible();
});

/** `count` trace events of a run, as a running agent appends them. */
function traceEvents(threadId: string, runId: string, count: number): EventInput[] {
  return Array.from({ length: count }, (_, i) => ({ thread_id: threadId, run_id: runId, event_type: 'llm.request', category: 'trace', content: { live: i }, metadata: {} }));
}

test("a run's trace follows its new events at the end of its list, and counts them on a pill elsewhere", async ({ inspector, served, page }) => {
  const { trace } = inspector.thread;
  // A short run: its whole list is in view, so the view is at its end.
  const [first] = await served.write(unansweredCallThread('live-trace', Date.now()));
  await inspector.threads.open(first.thread_id);
  await inspector.thread.timeline.waitReady();
  await inspector.thread.timeline.traceButton(first.run_id).click();
  await trace.waitReady();
  const shown = Number(await trace.list().getAttribute('data-count'));
  const appended = await served.write(traceEvents(first.thread_id, first.run_id, 3));
  await expect(trace.list()).toHaveAttribute('data-count', String(shown + 3));
  await expect(trace.row(appended[2].seq)).toBeInViewport();
  await expect(live(page).newEventsPill()).toHaveCount(0);

  // The big thread's longest run, viewed from its first event: the new ones wait on the pill.
  const { bigThreadId } = findShapes(served.events);
  const [longest] = [...countBy(served.events.filter((e) => e.thread_id === bigThreadId), (e) => e.run_id)].reduce((a, b) => (b[1] > a[1] ? b : a));
  await inspector.threads.open(bigThreadId);
  await inspector.thread.openRunTrace(longest);
  await trace.waitReady();
  const more = await served.write(traceEvents(bigThreadId, longest, 2));
  await expect(live(page).newEventsPill()).toHaveAccessibleName('2 new events');
  await live(page).newEventsPill().click();
  await expect(trace.row(more[1].seq)).toBeInViewport();
  await expect(live(page).newEventsPill()).toHaveCount(0);
});

test("narrowing the trace's filter reads its list once: a lower count of matching events is not taken for a delete", async ({ inspector, served, page }) => {
  const { threadId, image } = findShapes(served.events);
  const { trace } = inspector.thread;
  const subagentEvents = runEvents(served.events, threadId, image.run_id).filter((e) => e.category === 'subagent');
  await inspector.threads.open(threadId);
  await inspector.thread.openRunTrace(image.run_id);
  await trace.waitReady();
  const listReads: unknown[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/listEvents') && (request.postDataJSON() as { afterSeq?: number }).afterSeq === 0) listReads.push(request.postDataJSON());
  });

  await trace.categoryChip('subagent').click();
  await expect(trace.list()).toHaveAttribute('data-count', String(subagentEvents.length));
  await trace.waitReady();
  expect(listReads).toHaveLength(1);
});
