import { expect, saveScreenshot, test } from './fixtures.ts';
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
