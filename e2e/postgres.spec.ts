// Browser mode on a PostgreSQL SOURCE (issue 13): `serve postgresql://…` on
// a database of the run's own server (postgres-setup.ts) that DeerFlow's
// writer filled with the generated e2e threads. The page reads it as it
// reads a file: the thread list, messages, a run's trace and search, and the
// top bar says the server is open read-only.
import type { JsonObject, RunEvent } from '../src-shared/types.ts';
import { findShapes } from '../test/support/shapes.ts';
import { expectedHits, formatted, messageSeqs, runEvents, runIds } from './expectations.ts';
import { expect, saveScreenshot } from './fixtures.ts';
import { test } from './server-database.ts';

const toolCalls = (event: RunEvent) => ((event.content as JsonObject).tool_calls as JsonObject[]).length;

test('lists the threads of a PostgreSQL database with their names and counts, the top bar naming it read-only', async ({ serverDatabase, inspectSource, page }) => {
  const inspector = await inspectSource(serverDatabase.url);
  const { source, threads } = inspector;
  await expect(source.kind()).toHaveText('PostgreSQL');
  await expect(source.path()).toHaveText(serverDatabase.displayUrl);
  await expect(source.readOnlyFlag()).toBeVisible();

  await expect(threads.options()).toHaveCount(serverDatabase.plans.length);
  await expect(threads.total()).toHaveText(String(serverDatabase.plans.length));
  for (const plan of serverDatabase.plans) {
    const option = threads.option(plan.thread_id);
    await expect(option).toContainText(plan.display_name);
    await expect(option).toContainText(`${formatted(messageSeqs(serverDatabase.events, plan.thread_id).length)} msgs`);
    await expect(option).toContainText(`${runIds(serverDatabase.events, plan.thread_id).length} runs`);
  }
  await saveScreenshot(page, 'postgres-threads');
});

test("shows a thread's messages and a run's trace from the server", async ({ serverDatabase, inspectSource }) => {
  const { events } = serverDatabase;
  const { threadId, image, openAiCall, openAiResult } = findShapes(events);
  const inspector = await inspectSource(serverDatabase.url);
  const { thread } = inspector;

  await inspector.threads.open(threadId);
  await expect(thread.heading()).toHaveText(serverDatabase.plans.find((plan) => plan.thread_id === threadId)!.display_name);
  await thread.timeline.waitReady();
  // Structured content comes back from the server's json text as objects (DeerFlow's markers read).
  await thread.timeline.goToSeq(image.seq);
  await expect(thread.timeline.imagePlaceholder(image.seq)).toContainText(/image\/\w+ · \d/);
  await thread.timeline.goToSeq(openAiCall.seq);
  await expect(thread.timeline.toolCalls(openAiCall.seq)).toHaveCount(toolCalls(openAiCall));
  await thread.timeline.resultLink(openAiCall.seq).first().click();
  await expect(thread.timeline.message(openAiResult.seq)).toBeInViewport();

  const run = runEvents(events, threadId, image.run_id);
  await thread.openRunTrace(image.run_id);
  await thread.trace.waitReady();
  await expect(thread.trace.list()).toHaveAttribute('data-count', String(run.length));
  await expect(thread.trace.status()).toHaveText(`${formatted(run.length)} events`);
  await expect(thread.trace.rows().first()).toContainText(run[0].event_type);
});

test("searches the server's events, newest first", async ({ serverDatabase, inspectSource, page }) => {
  const { openAiCall } = findShapes(serverDatabase.events);
  const callId = String(((openAiCall.content as JsonObject).tool_calls as JsonObject[])[0].id);
  const expected = expectedHits(serverDatabase.events, callId);
  expect(expected.length).toBeGreaterThan(1);
  const { search } = await inspectSource(serverDatabase.url);

  await page.keyboard.press('Control+k');
  await expect(search.field).toBeFocused();
  await search.search(callId);
  await expect(search.hits()).toHaveCount(expected.length);
  for (const [i, hit] of expected.entries()) await expect(search.hits().nth(i)).toHaveAttribute('data-seq', String(hit.seq));
});
