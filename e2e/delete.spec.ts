import { expect, saveScreenshot, test } from './fixtures.ts';
import { findShapes, required } from '../test/support/shapes.ts';
import { formatted, messageSeqs, runEvents, runIds, threadEvents } from './expectations.ts';

test('deletes a run and then its thread through the confirmation, and every count follows', async ({ inspector, served, page }) => {
  const plan = required(served.plans.find((p) => p.thread_id === findShapes(served.events).plainMultiRunThreadId), 'plan of a thread of several runs');
  const { thread, threads, deleteDialog } = inspector;
  const runs = runIds(served.events, plan.thread_id);
  const messages = messageSeqs(served.events, plan.thread_id).length;
  const run = runEvents(served.events, plan.thread_id, runs[0]);
  const runMessages = run.filter((e) => e.category === 'message').length;

  await threads.open(plan.thread_id);
  await thread.tab('Runs').click();
  await thread.waitRunsReady();
  await expect(thread.runRows()).toHaveCount(runs.length);
  await saveScreenshot(page, 'runs');

  // The run: the dialog names it and counts its events exactly.
  await thread.deleteRunButton(runs[0]).click();
  await expect(deleteDialog.dialog()).toBeVisible();
  await expect(deleteDialog.dialog()).toHaveAttribute('aria-modal', 'true');
  await expect(deleteDialog.dialog()).toContainText(runs[0]);
  expect(await deleteDialog.countText()).toContain(`${formatted(run.length)} events`);
  await saveScreenshot(page, 'delete-run-dialog');
  await deleteDialog.confirm();

  await expect(thread.runRows()).toHaveCount(runs.length - 1);
  await expect(thread.deleteRunButton(runs[0])).toHaveCount(0);
  await expect(thread.tabCount('Runs')).toHaveText(String(runs.length - 1));
  await expect(thread.tabCount('Messages')).toHaveText(formatted(messages - runMessages));
  await expect(threads.option(plan.thread_id)).toContainText(`${runs.length - 1} runs`);
  await expect(threads.option(plan.thread_id)).toContainText(`${formatted(messages - runMessages)} msgs`);
  await expect(inspector.notice()).toContainText(`${formatted(run.length)} events`);

  // The thread: what is left of it.
  const left = threadEvents(served.events, plan.thread_id).length - run.length;
  await thread.deleteThreadButton().click();
  await expect(deleteDialog.dialog()).toContainText(plan.display_name);
  expect(await deleteDialog.countText()).toContain(`${formatted(left)} events`);
  await deleteDialog.confirm();

  // The generated database names every thread in threads_meta, so the thread stays listed, empty, saying why (DESIGN.md §2).
  await expect(threads.option(plan.thread_id)).toContainText('no events · from the thread list');
  await expect(threads.openOption()).toHaveCount(0);
  await expect(inspector.noThreadOpen()).toBeVisible();
  expect(await served.call('countMessages', { threadId: plan.thread_id })).toBe(0);
});

test('cancelling the confirmation deletes nothing', async ({ inspector, served }) => {
  const plan = served.plans[3];
  await inspector.threads.open(plan.thread_id);
  await inspector.thread.deleteThreadButton().click();
  await expect(inspector.deleteDialog.dialog()).toBeVisible();
  await inspector.page.keyboard.press('Escape');
  await expect(inspector.deleteDialog.dialog()).toHaveCount(0);
  await expect(inspector.threads.options()).toHaveCount(served.plans.length);
  expect(await served.call('countMessages', { threadId: plan.thread_id })).toBe(messageSeqs(served.events, plan.thread_id).length);
});
