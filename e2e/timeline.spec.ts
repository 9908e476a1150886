import type { Page } from '@playwright/test';
import { expect, saveScreenshot, type ServedStore, test } from './fixtures.ts';
import { unansweredCallThread } from '../src-main/generator/generate.ts';
import { findShapes } from '../test/support/shapes.ts';
import { formatted, messageSeqs, runEvents, runIds, visibleMessages } from './expectations.ts';
import type { InspectorPage } from './pages/inspector-page.ts';

/** Opens the generated store's big thread (the one with many pages) at its latest messages; its id and message seqs. */
async function openBigThread(inspector: InspectorPage, served: ServedStore): Promise<{ threadId: string; seqs: number[] }> {
  const threadId = findShapes(served.events).bigThreadId;
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
  await thread.timeline.jumpToStartButton().click();
  await expect(thread.timeline.scroller).toHaveAttribute('data-first-seq', String(seqs[0]));
  await expect(thread.timeline.scroller).toHaveAttribute('data-has-older', 'false');
  const firstRun = runIds(served.events, threadId)[0];
  await expect(thread.timeline.runBoundaries().first()).toContainText(firstRun);
  await expect(thread.timeline.traceButton(firstRun)).toBeVisible();
  await saveScreenshot(page, 'messages');

  // The boundary's Trace button opens that run's trace.
  await thread.timeline.traceButton(firstRun).click();
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

test('jumps to a seq and shows hidden and middleware messages on demand', async ({ inspector, served }) => {
  const { threadId, seqs } = await openBigThread(inspector, served);
  const { timeline } = inspector.thread;

  await timeline.goToSeq(seqs[Math.floor(seqs.length / 3)]);

  const middleware = served.events.filter((e) => e.thread_id === threadId && e.category === 'message' && String(e.metadata.caller ?? '').startsWith('middleware:'));
  expect(middleware.length, 'the big thread has middleware messages').toBeGreaterThan(0);
  await timeline.jumpToStartButton().click();
  await timeline.waitReady();
  // Middleware messages (the title middleware's, for one) are usually hidden too: their toggle shows them anyway.
  const toggle = timeline.messageToggle('Middleware');
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

test('every run has its boundary: status, why it stopped (linked to its error event), Trace, Export and Delete', async ({ inspector, served, page }) => {
  const { threadId, messagelessRunId, runError } = findShapes(served.events);
  const { thread, detail, deleteDialog, exportDialog } = inspector;
  const { timeline } = thread;
  await inspector.threads.open(threadId);
  await timeline.waitReady();
  const failedRunMessages = runEvents(served.events, threadId, runError.run_id).filter((e) => e.category === 'message');
  // The failed run's first message: the boundaries just above it are those of the failed run and of the interrupted one before it.
  await timeline.goToSeq(failedRunMessages[0].seq);

  // The run that recorded trace events only still has its boundary, in its place, saying so.
  const silent = timeline.runBoundary(messagelessRunId);
  await expect(silent).toContainText('no messages');
  await expect(silent).toContainText('interrupted');
  await expect(timeline.runStop(messagelessRunId)).toHaveText('interrupted_by_new_run');
  await expect(timeline.traceButton(messagelessRunId)).toBeVisible();
  // Boundaries come in the order the runs ran.
  const ran = runIds(served.events, threadId);
  const places = (await timeline.runBoundaryIds()).map((runId) => ran.indexOf(runId));
  expect(places).toEqual([...places].sort((a, b) => a - b));
  expect(places.indexOf(ran.indexOf(messagelessRunId)) + 1).toBe(places.indexOf(ran.indexOf(runError.run_id)));

  // The failed run's error in full, and a click opens its event.
  await expect(timeline.runBoundary(runError.run_id)).toContainText('error');
  const stop = timeline.runStop(runError.run_id);
  await expect(stop).toHaveText(String(runError.content));
  await saveScreenshot(page, 'run-boundaries');
  await timeline.runStopLink(runError.run_id).click();
  await detail.waitShowing(runError.seq);

  // Export and Delete, with the exact count, from the boundary.
  await timeline.runAction(runError.run_id, 'Export run').click();
  await expect(exportDialog.dialog()).toBeVisible();
  await expect(exportDialog.scope(/^Run /)).toBeChecked();
  await page.keyboard.press('Escape');
  await expect(exportDialog.dialog()).toHaveCount(0);
  await timeline.runAction(runError.run_id, 'Delete run').click();
  await expect(deleteDialog.dialog()).toContainText(runError.run_id);
  expect(await deleteDialog.countText()).toContain(`${formatted(runEvents(served.events, threadId, runError.run_id).length)} events`);
  await deleteDialog.confirm();
  await expect(timeline.runBoundary(runError.run_id)).toHaveCount(0);
});

test('Go to seq: a trace event shows its nearest message and opens in the Trace, a missing seq says so, past the last message goes to the last', async ({ inspector, served }) => {
  const { threadId, seqs } = await openBigThread(inspector, served);
  const { timeline } = inspector.thread;
  const events = served.events.filter((e) => e.thread_id === threadId);
  // A trace event right before a message the timeline shows, far from the latest messages.
  const trace = findShapes(served.events).traceBeforeMessage;
  const nearest = trace.seq + 1;

  await timeline.submitSeq(trace.seq);
  await expect(timeline.seqNote()).toContainText(`seq ${trace.seq} is a trace event`);
  await expect(timeline.message(nearest)).toBeInViewport();
  await timeline.seqNoteTraceButton().click();
  await inspector.detail.waitShowing(trace.seq);
  await expect(inspector.thread.tab('Trace')).toHaveAttribute('aria-selected', 'true');

  await inspector.thread.tab('Messages').click();
  const beyond = events[events.length - 1].seq + 1;
  await timeline.submitSeq(beyond);
  await expect(timeline.seqNote()).toHaveText(new RegExp(`^seq ${beyond} does not exist in this thread`));

  // The thread's last events are trace events (the run's end): their nearest message is the last one.
  await timeline.jumpToStartButton().click();
  await timeline.waitReady();
  await timeline.submitSeq(beyond - 1);
  await expect(timeline.message(seqs[seqs.length - 1])).toBeInViewport();
});

test('a deep link to a message event opens its detail and scrolls the timeline to it', async ({ inspector, served, page }) => {
  const threadId = findShapes(served.events).bigThreadId;
  const target = visibleMessages(served.events, threadId)[5].seq;
  await page.goto(`${served.url}#thread=${threadId}&event=${target}`);
  await inspector.waitReady();
  await inspector.detail.waitShowing(target);
  await expect(inspector.thread.timeline.message(target)).toBeInViewport();
});

/** A tool call of the big thread past its first page whose result is the next message; the thread's messages with it. */
function toolCallPastFirstPage(served: ServedStore, threadId: string) {
  const messages = served.events.filter((e) => e.thread_id === threadId && e.category === 'message');
  const callIndex = messages.findIndex((e, i) => i >= 100 && e.metadata.caller === 'lead_agent' && JSON.stringify(e.content).includes('"tool_calls":[{') && messages[i + 1]?.event_type === 'llm.tool.result');
  expect(callIndex, 'the big thread has a tool call past its first page').toBeGreaterThan(0);
  return { messages, callIndex, call: messages[callIndex], result: messages[callIndex + 1] };
}

/** Holds the timeline's page of messages after `seq` back until `until` settles (never, by default). */
async function holdPageAfter(page: Page, seq: number, until: Promise<void> = new Promise(() => {})): Promise<void> {
  await page.route('**/api/listMessages', async (route) => {
    const { afterSeq, limit } = route.request().postDataJSON() as { afterSeq?: number; limit: number };
    if (afterSeq === seq && limit === 100) await until;
    await route.continue();
  });
}

test("a tool call whose result is beyond the loaded messages finds it and jumps there", async ({ inspector, served, page }) => {
  const { threadId } = await openBigThread(inspector, served);
  const { timeline } = inspector.thread;
  const { messages, callIndex, call, result } = toolCallPastFirstPage(served, threadId);

  // The next page after the call is held back, so the result stays out of the loaded window.
  await holdPageAfter(page, call.seq);
  // Going to the message 49 before the call loads the 50 from there: the call is the last one loaded.
  await timeline.submitSeq(messages[callIndex - 49].seq);
  await expect.poll(() => timeline.lastLoadedSeq()).toBe(call.seq);
  await timeline.goToSeq(call.seq);
  await timeline.findResultButton(call.seq).first().click();
  await expect(timeline.message(result.seq)).toBeInViewport();
  await expect(timeline.message(result.seq)).toContainText('Result of');
});

test("a tool call's row, kept on screen while the page holding its result lands, links to the result then", async ({ inspector, served, page }) => {
  const { threadId } = await openBigThread(inspector, served);
  const { timeline } = inspector.thread;
  const { messages, callIndex, call, result } = toolCallPastFirstPage(served, threadId);

  // The page after the call waits until the call's row shows that its result is not loaded.
  let release = () => {};
  await holdPageAfter(page, call.seq, new Promise<void>((resolve) => (release = resolve)));
  await timeline.submitSeq(messages[callIndex - 49].seq);
  await expect.poll(() => timeline.lastLoadedSeq()).toBe(call.seq);
  // A few rows above the call, not at the window's very end: there the view would follow the page down as it lands.
  const shown = visibleMessages(served.events, threadId).filter((e) => e.seq < call.seq);
  await timeline.goToSeq(shown[shown.length - 4].seq);
  await expect(timeline.findResultButton(call.seq).first()).toBeVisible();

  release();
  await expect.poll(() => timeline.lastLoadedSeq()).toBeGreaterThan(result.seq);
  await expect(timeline.resultLink(call.seq).filter({ hasText: `#${result.seq}` })).toBeVisible();
});

test('a tool call without a result says "no result yet" while its run runs and "no result" once it ended without an end', async ({ inspector, served }) => {
  // Both runs record no end; one's events are from the last minutes, the other's an hour old (its process was killed).
  const [live] = await served.write(unansweredCallThread('live-run', Date.now()));
  const [killed] = await served.write(unansweredCallThread('killed-run', Date.now() - 3_600_000));
  await inspector.reloadButton().click();
  const { timeline } = inspector.thread;

  await inspector.threads.open(live.thread_id);
  await timeline.waitReady();
  await expect(timeline.runStatus(live.run_id)).toHaveText('running');
  await expect(timeline.missingResult(live.seq + 2)).toHaveText('no result yet');

  await inspector.threads.open(killed.thread_id);
  await timeline.waitReady();
  await expect(timeline.runStatus(killed.run_id)).toHaveText('no end');
  await expect(timeline.missingResult(killed.seq + 2)).toHaveText('no result');
});
