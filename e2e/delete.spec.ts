import { expect, saveScreenshot, test } from './fixtures.ts';
import { findShapes, required } from '../test/support/shapes.ts';
import { plural } from '../src-shared/plural.ts';
import { formatted, messageSeqs, runEvents, runIds, threadEvents } from './expectations.ts';

test('deletes a run (with its runs row, as the box offers) and then its thread (its events only, the box unchecked) through the confirmation, and every count follows', async ({ inspector, served, page }) => {
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
  // The generated database keeps DeerFlow's runs table (a row per run) and no feedback table.
  await expect(deleteDialog.recordsBox()).toBeChecked();
  await expect(deleteDialog.recordsCount()).toHaveText('1 runs row');
  await saveScreenshot(page, 'delete-run-dialog');
  await deleteDialog.confirm();

  await expect(thread.runRows()).toHaveCount(runs.length - 1);
  await expect(thread.deleteRunButton(runs[0])).toHaveCount(0);
  await expect(thread.tabCount('Runs')).toHaveText(String(runs.length - 1));
  await expect(thread.tabCount('Messages')).toHaveText(formatted(messages - runMessages));
  await expect(threads.option(plan.thread_id)).toContainText(`${runs.length - 1} runs`);
  await expect(threads.option(plan.thread_id)).toContainText(`${formatted(messages - runMessages)} msgs`);
  await expect(inspector.notice()).toContainText(`Deleted run ${runs[0]}: ${formatted(run.length)} events and 1 runs row.`);
  expect(await served.call('deletableRecords', { threadId: plan.thread_id, runId: runs[0] })).toEqual({ runs: 0, threadsMeta: 0, feedback: null, active: 0 });

  // The thread: what is left of it, its events only.
  const left = threadEvents(served.events, plan.thread_id).length - run.length;
  await thread.deleteThreadButton().click();
  await expect(deleteDialog.dialog()).toContainText(plan.display_name);
  expect(await deleteDialog.countText()).toContain(`${formatted(left)} events`);
  await expect(deleteDialog.recordsCount()).toHaveText(`${plural(runs.length - 1, 'runs row')} and its threads_meta row`);
  await deleteDialog.recordsBox().uncheck();
  await deleteDialog.confirm();

  // The generated database names every thread in threads_meta, so the thread stays listed, empty, saying why (DESIGN.md §2).
  await expect(threads.option(plan.thread_id)).toContainText('no events · from the thread list');
  await expect(threads.openOption()).toHaveCount(0);
  await expect(inspector.noThreadOpen()).toBeVisible();
  await expect(inspector.notice()).toContainText(`Deleted thread ${plan.thread_id}: ${formatted(left)} events.`);
  expect(await served.call('countMessages', { threadId: plan.thread_id })).toBe(0);
  expect(await served.call('deletableRecords', { threadId: plan.thread_id })).toEqual({ runs: runs.length - 1, threadsMeta: 1, feedback: null, active: 0 });
});

test("a thread's delete, as the box offers when the dialog opens, takes its runs rows and its entry in the thread list with its events, as DeerFlow's own delete does", async ({ inspector, served }) => {
  const plan = served.plans[2];
  const { thread, threads, deleteDialog } = inspector;
  const runs = runIds(served.events, plan.thread_id);
  const events = threadEvents(served.events, plan.thread_id).length;

  await threads.open(plan.thread_id);
  await thread.deleteThreadButton().click();
  expect(await deleteDialog.countText()).toContain(`${formatted(events)} events`);
  await expect(deleteDialog.recordsBox()).toBeChecked();
  await expect(deleteDialog.recordsCount()).toHaveText(`${plural(runs.length, 'runs row')} and its threads_meta row`);
  await deleteDialog.confirm();

  await expect(threads.option(plan.thread_id)).toHaveCount(0);
  await expect(threads.options()).toHaveCount(served.plans.length - 1);
  await expect(inspector.noThreadOpen()).toBeVisible();
  await expect(inspector.notice()).toContainText(`Deleted thread ${plan.thread_id}: ${formatted(events)} events, ${plural(runs.length, 'runs row')} and its threads_meta row.`);
  expect(await served.call('deletableRecords', { threadId: plan.thread_id })).toEqual({ runs: 0, threadsMeta: 0, feedback: null, active: 0 });
  expect((await served.call('listThreads', {})).map((listed) => listed.thread_id)).not.toContain(plan.thread_id);
});

test('the confirmation warns where DeerFlow lists a run it would take as running, and the delete still goes through; a finished run gets no warning', async ({ inspector, served, startWriter }) => {
  const plan = required(served.plans.find((p) => p.thread_id === findShapes(served.events).plainMultiRunThreadId), 'plan of a thread of several runs');
  const { thread, threads, deleteDialog } = inspector;
  const [running, ...finished] = runIds(served.events, plan.thread_id);
  // DeerFlow's writer beside the app: one run still going, the others ended.
  const writer = await startWriter('sqlite', 'store.db');
  await writer.send({ op: 'putRun', thread: plan.thread_id, run: running, status: 'running' });
  for (const run of finished) await writer.send({ op: 'putRun', thread: plan.thread_id, run, status: 'success' });

  await threads.open(plan.thread_id);
  await thread.deleteThreadButton().click();
  await expect(deleteDialog.activeRunsWarning()).toHaveText(/^1 run of this thread is listed as running by DeerFlow: if it is, it will go on writing events after the delete, which come back as a run missing its start\. A run that crashed stays listed as running/);
  await inspector.page.keyboard.press('Escape');
  await expect(deleteDialog.dialog()).toHaveCount(0);

  await thread.tab('Runs').click();
  await thread.waitRunsReady();
  await thread.deleteRunButton(finished[0]).click();
  // Counted first: no warning once the records are.
  await expect(deleteDialog.recordsCount()).toHaveText('1 runs row');
  await expect(deleteDialog.activeRunsWarning()).toHaveCount(0);
  await inspector.page.keyboard.press('Escape');
  await expect(deleteDialog.dialog()).toHaveCount(0);

  await thread.deleteRunButton(running).click();
  await expect(deleteDialog.activeRunsWarning()).toHaveText(/^DeerFlow lists this run as running: if it is, it will go on writing events after the delete, which come back as a run missing its start\. A run that crashed/);
  await expect(deleteDialog.activeRunsWarning()).toHaveAttribute('role', 'alert');
  await deleteDialog.confirm();
  await expect(thread.deleteRunButton(running)).toHaveCount(0);
  await expect(thread.runRows()).toHaveCount(finished.length);
  expect(await served.call('deletableRecords', { threadId: plan.thread_id })).toEqual({ runs: finished.length, threadsMeta: 1, feedback: null, active: 0 });
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
