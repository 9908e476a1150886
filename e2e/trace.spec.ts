import { expect, saveScreenshot, test } from './fixtures.ts';
import type { RunEvent } from '../src-shared/types.ts';
import { countBy, formatted, runEvents, runIds } from './expectations.ts';

test("opens a run's trace from the runs list and filters it by category, event type and task", async ({ inspector, served, page }) => {
  const plan = served.plans.find((p) => p.showcase) ?? served.plans[1];
  const { thread } = inspector;
  // The run with the most kinds of event makes the best trace to filter.
  const runs = runIds(served.events, plan.thread_id).map((runId) => runEvents(served.events, plan.thread_id, runId));
  const events = runs.sort((a, b) => new Set(b.map((e) => e.category)).size - new Set(a.map((e) => e.category)).size)[0];
  const runId = events[0].run_id;

  await inspector.threads.open(plan.thread_id);
  await thread.tab('Runs').click();
  await thread.waitRunsReady();
  await expect(thread.runRows()).toHaveCount(runIds(served.events, plan.thread_id).length);
  await thread.traceButtonOfRun(runId).click();
  await thread.trace.waitReady();
  await expect(thread.trace.list()).toHaveAttribute('data-count', String(events.length));
  await expect(thread.trace.rows().first()).toContainText(events[0].event_type);
  await saveScreenshot(page, 'trace');

  const byCategory = countBy(events, (e) => e.category);
  for (const [category, n] of byCategory) await expect(thread.trace.categoryChip(category)).toContainText(String(n));

  // Category: only that category's events.
  const category = [...byCategory.keys()].find((c) => c !== 'message') ?? 'message';
  await thread.trace.categoryChip(category).click();
  await expect(thread.trace.categoryChip(category)).toHaveAttribute('aria-pressed', 'true');
  await expect(thread.trace.list()).toHaveAttribute('data-count', String(byCategory.get(category)));
  await thread.trace.waitReady();
  expect(await thread.trace.shownCategories()).toEqual([category]);

  // Plus one of its event types: both filters apply.
  const byType = countBy(
    events.filter((e) => e.category === category),
    (e) => e.event_type,
  );
  const [eventType, typeCount] = [...byType].sort((a, b) => b[1] - a[1])[0];
  await thread.trace.typeChip(eventType).click();
  await expect(thread.trace.list()).toHaveAttribute('data-count', String(typeCount));
  await expect(thread.trace.rows().first()).toContainText(eventType);
  await thread.trace.clearFiltersButton().click();
  await expect(thread.trace.list()).toHaveAttribute('data-count', String(events.length));

  // Subagent task.
  const tasks = countBy(
    events.filter((e) => typeof e.metadata.task_id === 'string'),
    (e) => String(e.metadata.task_id),
  );
  const [task, taskCount] = [...tasks][0] ?? [];
  test.skip(task === undefined, 'the run has no subagent task');
  await thread.trace.taskSelect().selectOption(task as string);
  await expect(thread.trace.list()).toHaveAttribute('data-count', String(taskCount));
  await saveScreenshot(page, 'trace-filtered');
});

test("opens an event's detail: envelope, metadata tree, truncation marker, copy as JSON", async ({ inspector, served, page, context }) => {
  const truncated = served.events.find((e) => e.metadata.content_truncated === true);
  test.skip(!truncated, 'the generated store has no truncated event');
  const event = truncated as NonNullable<typeof truncated>;
  const { thread, detail } = inspector;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.origin });

  await inspector.threads.open(event.thread_id);
  await thread.tab('Runs').click();
  await thread.waitRunsReady();
  await thread.traceButtonOfRun(event.run_id).click();
  await thread.trace.waitReady();
  await thread.trace.typeChip(event.event_type).click();
  await thread.trace.waitReady();
  await thread.trace.row(event.seq).click();
  await detail.waitShowing(event.seq);

  await expect(detail.envelope()).toContainText(event.run_id);
  await expect(detail.envelope()).toContainText(event.event_type);
  await expect(detail.truncationNote()).toContainText('original size');
  await expect(detail.truncationNote()).toContainText(`${formatted(Number(event.metadata.original_byte_length))} bytes`);
  await expect(detail.tree('Metadata')).toContainText('content_truncated');
  await saveScreenshot(page, 'event-detail');

  await detail.copyButton().click();
  await expect(detail.copyStatus()).toHaveText('Copied');
  const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as { seq: number; event_type: string };
  expect(copied).toMatchObject({ seq: event.seq, event_type: event.event_type });

  // ↓ in the list moves to the next event; Escape closes the pane.
  await thread.trace.list().focus();
  await page.keyboard.press('Escape');
  await expect(detail.pane()).toHaveCount(0);
});

test.describe('going to an event far beyond the loaded pages', () => {
  // The big thread's long run (a quarter of its events) spans three trace pages.
  test.use({ storeOptions: { seed: 4242, threads: 3, totalEvents: 4_600, bigThreadEvents: 4_400 } });

  const longestRun = (events: readonly RunEvent[], threadId: string) =>
    runIds(events, threadId)
      .map((runId) => runEvents(events, threadId, runId))
      .sort((a, b) => b.length - a.length)[0];

  test('the seq box loads the pages up to the event and scrolls to it; a seq of another run or none says so', async ({ inspector, served }) => {
    const big = served.plans[0];
    const events = longestRun(served.events, big.thread_id);
    expect(events.length).toBeGreaterThan(1_000);
    const far = events[events.length - 3];
    const otherRun = runEvents(served.events, big.thread_id, runIds(served.events, big.thread_id)[0]);
    const { thread, detail } = inspector;

    await inspector.threads.open(big.thread_id);
    await thread.tab('Runs').click();
    await thread.waitRunsReady();
    await thread.traceButtonOfRun(far.run_id).click();
    await thread.trace.waitReady();
    await expect(thread.trace.list()).toHaveAttribute('data-count', '500');

    await thread.trace.goToSeq(far.seq);
    await expect(thread.trace.row(far.seq)).toBeInViewport();
    await expect(thread.trace.row(far.seq)).toHaveAttribute('aria-selected', 'true');
    await detail.waitShowing(far.seq);
    expect(Number(await thread.trace.list().getAttribute('data-count'))).toBeGreaterThan(events.indexOf(far));

    // Another run's event: the note names that run and opens it there.
    await thread.trace.goToSeq(otherRun[1].seq);
    await expect(thread.trace.jumpNote()).toContainText(otherRun[1].run_id);
    await thread.trace.jumpNoteButton().click();
    await expect(thread.trace.runSelect()).toHaveValue(otherRun[1].run_id);
    await expect(thread.trace.row(otherRun[1].seq)).toHaveAttribute('aria-selected', 'true');

    const beyond = Math.max(...served.events.filter((e) => e.thread_id === big.thread_id).map((e) => e.seq)) + 1;
    await thread.trace.goToSeq(beyond);
    await expect(thread.trace.jumpNote()).toHaveText(`There is no event #${beyond} in this thread.`);
  });

  test('"Show in trace" from a message far down a long run opens that run\'s trace at the event', async ({ inspector, served, page }) => {
    const big = served.plans[0];
    const events = longestRun(served.events, big.thread_id);
    const message = events.filter((e) => e.category === 'message').at(-2) as RunEvent;
    expect(events.indexOf(message)).toBeGreaterThan(1_000);
    const { thread, detail } = inspector;

    // A link to the message, as a colleague would send it.
    await page.goto(`${served.url}#thread=${big.thread_id}&event=${message.seq}`);
    await detail.waitShowing(message.seq);
    await detail.showInTraceButton().click();
    await expect(thread.tab('Trace')).toHaveAttribute('aria-selected', 'true');
    await expect(thread.trace.runSelect()).toHaveValue(message.run_id);
    await expect(thread.trace.row(message.seq)).toBeInViewport();
    await expect(thread.trace.row(message.seq)).toHaveAttribute('aria-selected', 'true');
  });
});
