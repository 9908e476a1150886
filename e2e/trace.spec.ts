import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { findShapes } from '../test/support/shapes.ts';
import type { EventInput, RunEvent } from '../src-shared/types.ts';
import { expect, saveScreenshot, type ServedStore, test } from './fixtures.ts';
import { countBy, formatted, runEvents, runIds } from './expectations.ts';

test("opens a run's trace from the runs list and filters it by category, event type and task", async ({ inspector, served, page }) => {
  // The showcase run has every kind of event, a subagent task among them.
  const { threadId, image } = findShapes(served.events);
  const events = runEvents(served.events, threadId, image.run_id);
  const runId = image.run_id;
  const { thread } = inspector;

  await inspector.threads.open(threadId);
  await thread.tab('Runs').click();
  await thread.waitRunsReady();
  await expect(thread.runRows()).toHaveCount(runIds(served.events, threadId).length);
  await thread.traceButtonOfRun(runId).click();
  await thread.trace.waitReady();
  await expect(thread.trace.list()).toHaveAttribute('data-count', String(events.length));
  await expect(thread.trace.rows().first()).toContainText(events[0].event_type);
  await expect(thread.trace.status()).toHaveText(`${formatted(events.length)} events`);
  await saveScreenshot(page, 'trace');

  const byCategory = countBy(events, (e) => e.category);
  for (const [category, n] of byCategory) await expect(thread.trace.categoryChip(category)).toContainText(String(n));

  // Category: only that category's events, and the status line says of how many.
  const category = 'subagent';
  await thread.trace.categoryChip(category).click();
  await expect(thread.trace.categoryChip(category)).toHaveAttribute('aria-pressed', 'true');
  await expect(thread.trace.list()).toHaveAttribute('data-count', String(byCategory.get(category)));
  await thread.trace.waitReady();
  expect(await thread.trace.shownCategories()).toEqual([category]);
  await expect(thread.trace.status()).toHaveText(`${byCategory.get(category)} of ${events.length} events match the filters`);

  // Plus one of its event types: both filters apply.
  await thread.trace.typeChip('subagent.start').click();
  await expect(thread.trace.list()).toHaveAttribute('data-count', '1');
  await expect(thread.trace.rows().first()).toContainText('subagent.start');
  await thread.trace.clearFiltersButton().click();
  await expect(thread.trace.list()).toHaveAttribute('data-count', String(events.length));

  // Subagent task, listed by the description its subagent.start carries.
  const start = events.find((e) => e.event_type === 'subagent.start') as RunEvent;
  const task = String(start.metadata.task_id);
  const description = String((start.content as { description: string }).description).replace(/\s+/g, ' ').trim();
  const taskCount = events.filter((e) => e.metadata.task_id === task).length;
  await expect(thread.trace.taskOption(task)).toHaveText(`${description} (${taskCount})`);
  await thread.trace.taskSelect().selectOption(task);
  await expect(thread.trace.list()).toHaveAttribute('data-count', String(taskCount));
  await expect(thread.trace.row(start.seq)).toContainText(description);
  await saveScreenshot(page, 'trace-filtered');
});

/** Writes a thread of `count` runs of one event each, a second apart; their ids as listRuns orders them. */
async function writeThreadOfRuns(served: ServedStore, threadId: string, count: number): Promise<string[]> {
  const started = (i: number) => `2026-04-04T${String(Math.floor(i / 3600)).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000000+00:00`;
  const events = Array.from({ length: count }, (_, i): EventInput => ({ thread_id: threadId, run_id: `run-${i}`, event_type: 'run.start', category: 'trace', content: { chain: 'lead_agent' }, created_at: started(i) }));
  await served.write(events);
  return (await served.call('listRuns', { threadId })).map((run) => run.run_id);
}

test('the run picker of a thread of 900 runs lists every one, in order, with the open run chosen from the first sight of it', async ({ inspector, served, page }) => {
  const threadId = 'thread-of-many-runs';
  const runs = await writeThreadOfRuns(served, threadId, 900);
  const open = runs[850];

  await page.goto(`${served.url}#thread=${threadId}&tab=trace&run=${open}`);
  const { trace } = inspector.thread;
  // Read in the first frame the picker is there: its options come a slice at a time, the open run's among the first.
  const firstSeen = await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('select[aria-label="Run"]')?.value);
  expect(await firstSeen.jsonValue()).toBe(open);
  await expect(trace.runSelect().locator('option')).toHaveCount(runs.length);
  expect(await trace.runSelect().evaluate((select: HTMLSelectElement) => [...select.options].map((option) => option.value))).toEqual(runs);
  await expect(trace.runSelect()).toHaveValue(open);
});

test('the Runs tab of a thread of 900 runs has the rows near the view in the DOM, and scrolling brings each run in order', async ({ inspector, served, page }) => {
  const threadId = 'thread-of-many-runs';
  const runs = await writeThreadOfRuns(served, threadId, 900);
  const { thread } = inspector;

  await page.goto(`${served.url}#thread=${threadId}&tab=runs`);
  await thread.waitRunsReady();
  await expect(thread.runRow(runs[0])).toBeVisible();
  const rendered = await thread.runRows().count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(100);
  await expect(thread.runsTable().getByRole('table')).toHaveAttribute('aria-rowcount', String(runs.length + 1));

  await thread.scrollToRun(runs[899]);
  await expect(thread.runRow(runs[899])).toBeInViewport();
  await expect(thread.runRow(runs[899])).toHaveAttribute('aria-rowindex', String(runs.length + 1));
  const ids = await thread.runRows().evaluateAll((rows) => rows.map((row) => row.getAttribute('data-run-id')));
  expect(ids).toEqual(runs.slice(runs.length - ids.length));
});

test('at 900 px wide the Runs table fits: every column and action in view without scrolling sideways', async ({ inspector, served, page }) => {
  await page.setViewportSize({ width: 900, height: 700 });
  const { threadId } = findShapes(served.events);
  const { thread } = inspector;
  await inspector.threads.open(threadId);
  await thread.tab('Runs').click();
  await thread.waitRunsReady();
  expect(await thread.runsSidewaysOverflow()).toBe(0);
  const last = runIds(served.events, threadId)[0];
  await expect(thread.deleteRunButton(last)).toBeInViewport({ ratio: 1 });
  await expect(thread.runCell(last, 'Model')).toBeInViewport({ ratio: 1 });
  await saveScreenshot(page, 'runs-900px');
});

test("marks a truncated event and an llm.error in the table, and opens the event's detail: envelope, metadata tree, copy as JSON", async ({
  inspector,
  served,
  page,
  context,
}) => {
  const event = findShapes(served.events).truncatedTrace;
  expect(event.event_type).toBe('llm.error');
  const { thread, detail } = inspector;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.origin });

  await inspector.threads.open(event.thread_id);
  await thread.tab('Runs').click();
  await thread.waitRunsReady();
  await thread.traceButtonOfRun(event.run_id).click();
  await thread.trace.waitReady();

  // Where you scan: the row says it was cut, and an llm.error (category trace) is red like the error category.
  const bytes = `${formatted(Number(event.metadata.original_byte_length))} bytes`;
  await expect(thread.trace.truncationTag(event.seq)).toBeVisible();
  await expect(thread.trace.truncationTag(event.seq)).toHaveAttribute('title', new RegExp(bytes));
  expect(await thread.trace.stripeColour(event.seq)).toBe(await thread.trace.errorColour());
  const plain = runEvents(served.events, event.thread_id, event.run_id).find((e) => e.event_type === 'run.start') as RunEvent;
  await expect(thread.trace.truncationTag(plain.seq)).toHaveCount(0);
  expect(await thread.trace.stripeColour(plain.seq)).not.toBe(await thread.trace.errorColour());

  await thread.trace.row(event.seq).click();
  await detail.waitShowing(event.seq);
  await expect(detail.envelope()).toContainText(event.run_id);
  await expect(detail.envelope()).toContainText(event.event_type);
  await expect(detail.truncationNote()).toContainText('original size');
  await expect(detail.truncationNote()).toContainText(bytes);
  await expect(detail.tree('Metadata')).toContainText('content_truncated');
  await saveScreenshot(page, 'event-detail');

  await detail.copyButton().click();
  await expect(detail.copyStatus()).toHaveText('Copied');
  const copied = JSON.parse(await inspector.clipboardText()) as { seq: number; event_type: string };
  expect(copied).toMatchObject({ seq: event.seq, event_type: event.event_type });

  // Escape closes the pane.
  await thread.trace.list().focus();
  await page.keyboard.press('Escape');
  await expect(detail.pane()).toHaveCount(0);
});

test.describe('a run whose subagent events precede run.start in seq order', () => {
  test.use({ timezoneId: 'UTC' });

  // DeerFlow flushes the subagent's buffer first: its events get the lower seqs but happened later.
  const RUN = 'run-acme';
  const at = (time: string) => `2026-04-04T01:08:${time}+00:00`;
  const record = (seq: number, event_type: string, category: string, created: string, content: unknown, metadata: object = {}) =>
    JSON.stringify({ thread_id: 'acme-vs-borealis', run_id: RUN, event_type, category, content, metadata, seq, created_at: at(created) });
  const lines = [
    record(1, 'subagent.start', 'subagent', '19.200000', { task_id: 'call_1', description: 'Compare Acme and Borealis' }, { task_id: 'call_1' }),
    record(2, 'subagent.end', 'subagent', '38.000000', { task_id: 'call_1', status: 'completed', result: 'done' }, { task_id: 'call_1' }),
    record(3, 'run.start', 'trace', '01.000000', { chain: 'lead_agent' }),
    record(4, 'llm.human.input', 'message', '01.100000', { type: 'human', content: 'Acme vs Borealis?' }),
    record(5, 'llm.ai.response', 'message', '40.000000', {
      type: 'ai',
      content: 'Borealis.',
      usage_metadata: { input_tokens: 1_000, output_tokens: 234, total_tokens: 1_234 },
      response_metadata: { model_name: 'gpt-4.1', finish_reason: 'stop' },
    }),
    record(6, 'run.end', 'outputs', '40.200000', {}, { status: 'success' }),
  ];

  test('the runs list and the trace count from its earliest event, never negative; tokens and model come from its AI message', async ({ tempDir, inspectSource }) => {
    const file = path.join(tempDir, 'acme.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const inspector = await inspectSource(file);
    const { thread } = inspector;

    await inspector.threads.open('acme-vs-borealis');
    await thread.tab('Runs').click();
    await thread.waitRunsReady();
    await expect(thread.runCell(RUN, 'Started')).toHaveText('2026-04-04 01:08:01');
    await expect(thread.runCell(RUN, 'Duration')).toHaveText('39.2 s');
    await expect(thread.runCell(RUN, 'Tokens')).toHaveText('1,234');
    await expect(thread.runCell(RUN, 'Model')).toHaveText('gpt-4.1');

    await thread.traceButtonOfRun(RUN).click();
    await thread.trace.waitReady();
    await expect(thread.trace.selectedRun()).toContainText('2026-04-04 01:08:01');
    await expect(thread.trace.rowTime(1)).toHaveText('+18.2 s');
    await expect(thread.trace.rowTime(3)).toHaveText('+0 ms');
    await expect(thread.trace.rowGap(3)).toHaveText('Δ −37.0 s');
    await expect(thread.trace.rowGap(4)).toHaveText('Δ 100 ms');
    await expect(thread.trace.rowTime(6)).toHaveText('+39.2 s');
  });
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
    await thread.openRunTrace(far.run_id);
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
