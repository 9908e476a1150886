import { expect, test } from './fixtures.ts';
import { findShapes } from '../test/support/shapes.ts';
import { runEvents, runIds } from './expectations.ts';

test('Back and Forward step through threads, tabs, runs and events, and never leave the app', async ({ inspector, served, page }) => {
  const [first, second] = served.plans;
  const { thread, detail } = inspector;
  const runId = runIds(served.events, second.thread_id)[0];
  const event = runEvents(served.events, second.thread_id, runId)[1];

  await inspector.threads.open(first.thread_id);
  await expect(thread.heading()).toHaveText(first.display_name);
  await inspector.threads.open(second.thread_id);
  await expect(thread.heading()).toHaveText(second.display_name);
  await thread.tab('Runs').click();
  await thread.waitRunsReady();
  await thread.traceButtonOfRun(runId).click();
  await thread.trace.waitReady();
  await thread.trace.row(event.seq).click();
  await detail.waitShowing(event.seq);

  await page.goBack();
  await expect(detail.pane()).toHaveCount(0);
  await expect(thread.tab('Trace')).toHaveAttribute('aria-selected', 'true');
  await page.goBack();
  await expect(thread.tab('Runs')).toHaveAttribute('aria-selected', 'true');
  await page.goBack();
  await expect(thread.tab('Messages')).toHaveAttribute('aria-selected', 'true');
  await expect(thread.heading()).toHaveText(second.display_name);
  await page.goBack();
  await expect(thread.heading()).toHaveText(first.display_name);
  await page.goBack();
  await expect(inspector.noThreadOpen()).toBeVisible();
  expect(new URL(page.url()).origin).toBe(served.origin);

  await page.goForward();
  await expect(thread.heading()).toHaveText(first.display_name);
  await page.goForward();
  await page.goForward();
  await page.goForward();
  await page.goForward();
  await detail.waitShowing(event.seq);
  await expect(thread.trace.row(event.seq)).toHaveAttribute('aria-selected', 'true');
});

test("Alt+←/→ and the mouse's side buttons step back and forward, except while typing", async ({ inspector, served, page }) => {
  const [first, second] = served.plans;
  const { thread, threads } = inspector;

  await threads.open(first.thread_id);
  await expect(thread.heading()).toHaveText(first.display_name);
  await threads.open(second.thread_id);
  await expect(thread.heading()).toHaveText(second.display_name);

  await page.keyboard.press('Alt+ArrowLeft');
  await expect(thread.heading()).toHaveText(first.display_name);
  await page.keyboard.press('Alt+ArrowRight');
  await expect(thread.heading()).toHaveText(second.display_name);

  await inspector.pressMouseSideButton('back');
  await expect(thread.heading()).toHaveText(first.display_name);
  await inspector.pressMouseSideButton('forward');
  await expect(thread.heading()).toHaveText(second.display_name);

  // In the thread filter, Alt+arrows belong to the text field; outside it, one press is one step
  // (had the first press stepped too, the second would leave both threads behind).
  await threads.filter().press('Alt+ArrowLeft');
  await expect(threads.filter()).toBeFocused();
  await threads.list().focus();
  await page.keyboard.press('Alt+ArrowLeft');
  await expect(thread.heading()).toHaveText(first.display_name);
  await expect(threads.openOption()).toHaveAttribute('data-thread-id', first.thread_id);
});

test('a reload keeps the trace filters and the message toggles; changing them adds no history entry', async ({ inspector, served, page }) => {
  const { threadId } = findShapes(served.events);
  const { thread } = inspector;
  const runId = runIds(served.events, threadId)[0];
  const events = runEvents(served.events, threadId, runId);
  const subagent = events.filter((e) => e.category === 'subagent');
  const task = String(subagent[0].metadata.task_id);
  const taskEvents = events.filter((e) => e.metadata.task_id === task);

  await inspector.threads.open(threadId);
  await thread.timeline.waitReady();
  await thread.timeline.messageToggle('Hidden').check();
  await thread.timeline.messageToggle('Subagent').uncheck();
  await thread.tab('Runs').click();
  await thread.waitRunsReady();
  await thread.traceButtonOfRun(runId).click();
  await thread.trace.waitReady();
  await thread.trace.categoryChip('subagent').click();
  await expect(thread.trace.list()).toHaveAttribute('data-count', String(subagent.length));
  await thread.trace.taskSelect().selectOption(task);
  await expect(thread.trace.list()).toHaveAttribute('data-count', String(taskEvents.length));

  await page.reload();
  await thread.trace.waitReady();
  await expect(thread.trace.categoryChip('subagent')).toHaveAttribute('aria-pressed', 'true');
  await expect(thread.trace.taskSelect()).toHaveValue(task);
  await expect(thread.trace.list()).toHaveAttribute('data-count', String(taskEvents.length));

  await thread.tab('Messages').click();
  await expect(thread.timeline.messageToggle('Hidden')).toBeChecked();
  await expect(thread.timeline.messageToggle('Subagent')).not.toBeChecked();

  // Back from the filtered trace goes where the user was before it (the Runs tab), not through each filter.
  await page.goBack();
  await expect(thread.tab('Trace')).toHaveAttribute('aria-selected', 'true');
  await page.goBack();
  await expect(thread.tab('Runs')).toHaveAttribute('aria-selected', 'true');
  await page.goBack();
  await expect(thread.tab('Messages')).toHaveAttribute('aria-selected', 'true');
  await expect(thread.timeline.messageToggle('Hidden')).toBeChecked();
});
