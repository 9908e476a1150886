import type { JsonObject, RunEvent } from '../src-shared/types.ts';
import { instantMs } from '../src-shared/time.ts';
import { formatDuration } from '../src-renderer/common/format.ts';
import { findShapes } from '../test/support/shapes.ts';
import { contentObject, formatted, runEvents, runIds } from './expectations.ts';
import { expect, saveScreenshot, test } from './fixtures.ts';
import { RunHeader, Waterfall } from './pages/waterfall.ts';

/**
 * A run's calls counted here, as the issue words them, with no help from the
 * app's code: its llm.ai.response events (legacy ai_message), the object
 * entries of their tool_calls, its llm.tool.result events whose status is error.
 */
function callsOf(events: readonly RunEvent[]) {
  const ai = events.filter((e) => e.event_type === 'llm.ai.response' || e.event_type === 'ai_message');
  const entries = ai.flatMap((e) => {
    const calls = contentObject(e.content)?.tool_calls;
    return Array.isArray(calls) ? calls.filter((c) => typeof c === 'object' && c !== null && !Array.isArray(c)) : [];
  });
  const failed = events.filter((e) => e.event_type === 'llm.tool.result' && contentObject(e.content)?.status === 'error');
  return { llm: ai.length, tools: entries.length, toolErrors: failed.length };
}

test("opens a run's timeline, finds a tool span by its name and duration, lands on its event, and moves between spans with the keyboard", async ({
  inspector,
  served,
  page,
}) => {
  // The showcase run's OpenAI-style call: its span runs from the AI message to the tool message answering it.
  const { threadId, openAiCall, openAiResult } = findShapes(served.events);
  const call = (openAiCall.content as JsonObject).tool_calls as { function: { name: string } }[];
  const name = `${call[0].function.name} ${formatDuration(instantMs(openAiResult.created_at) - instantMs(openAiCall.created_at))}`;
  const anatomy = await served.call('runSummary', { threadId, runId: openAiCall.run_id });
  const index = anatomy.spans.findIndex((s) => s.kind === 'tool' && s.seq === openAiCall.seq && s.end_seq === openAiResult.seq);
  // The next span in start order on the lead agent's lane is the row below it.
  const next = anatomy.spans.find((s, i) => i > index && s.lane === 'lead_agent');
  const waterfall = new Waterfall(page);
  const { thread, detail } = inspector;

  await inspector.threads.open(threadId);
  await thread.openRunTrace(openAiCall.run_id);
  await waterfall.open();
  await expect(page).toHaveURL(/view=timeline/);
  await expect(waterfall.root()).toHaveAttribute('data-spans', String(anatomy.spans.length));

  await waterfall.bar(name).click();
  await detail.waitShowing(openAiCall.seq);
  await expect(waterfall.currentBar()).toHaveAccessibleName(name);
  // The table under the waterfall selects the call's event and marks its result, the span's other end.
  await expect(thread.trace.row(openAiCall.seq)).toHaveAttribute('aria-selected', 'true');
  await expect(thread.trace.row(openAiResult.seq)).toHaveAttribute('data-in-span', 'true');
  await expect(waterfall.status()).toContainText(`events #${openAiCall.seq} … #${openAiResult.seq}`);
  await saveScreenshot(page, 'waterfall');

  // ↓ the next row, ↑ back, ← the parent (the run), Enter opens it.
  await expect(waterfall.focusedBar()).toHaveAccessibleName(name);
  await page.keyboard.press('ArrowDown');
  await expect(waterfall.focusedBar()).toHaveAttribute('data-seq', String(next?.seq));
  await page.keyboard.press('ArrowUp');
  await expect(waterfall.focusedBar()).toHaveAccessibleName(name);
  await page.keyboard.press('ArrowLeft');
  await expect(waterfall.focusedBar()).toHaveAttribute('data-seq', String(anatomy.spans[0].seq));
  await page.keyboard.press('Enter');
  await detail.waitShowing(anatomy.spans[0].seq);

  // The table shows the span's event, selected.
  await waterfall.showInTableButton().click();
  await thread.trace.waitReady();
  await expect(thread.trace.row(anatomy.spans[0].seq)).toHaveAttribute('aria-selected', 'true');

  // The keys are on the shortcuts sheet.
  await inspector.shortcutsButton().click();
  await expect(inspector.shortcutsSection('Trace timeline')).toContainText('←→Move to the enclosing span, or to the first span inside this one');
});

test('zooms with the button, the + key and Ctrl+wheel, each changing the ruler, and pans with Shift+wheel, a sideways scroll and a drag', async ({ inspector, served, page }) => {
  const { threadId, openAiCall } = findShapes(served.events);
  const waterfall = new Waterfall(page);
  await inspector.threads.open(threadId);
  await inspector.thread.openRunTrace(openAiCall.run_id);
  await waterfall.open();

  const whole = await waterfall.rulerTicks();
  expect(whole[0]).toBe('0');
  await waterfall.zoomInButton().click();
  await expect.poll(() => waterfall.rulerTicks()).not.toEqual(whole);
  const zoomed = await waterfall.rulerTicks();

  await waterfall.zoomInButton().focus();
  await page.keyboard.press('+');
  await expect.poll(() => waterfall.rulerTicks()).not.toEqual(zoomed);
  const closer = await waterfall.rulerTicks();

  const box = await waterfall.ruler().boundingBox();
  if (!box) throw new Error('the ruler is not on screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -400);
  await page.keyboard.up('Control');
  await expect.poll(() => waterfall.rulerTicks()).not.toEqual(closer);
  const deepest = await waterfall.rulerTicks();

  // Panning later leaves the run's start behind: Shift+wheel, then a sideways scroll each move the ruler on.
  await page.keyboard.down('Shift');
  await page.mouse.wheel(0, 600);
  await page.keyboard.up('Shift');
  await expect.poll(async () => (await waterfall.rulerTicks())[0]).not.toBe(deepest[0]);
  const panned = await waterfall.rulerTicks();
  const rows = await waterfall.rows().boundingBox();
  if (!rows) throw new Error('the spans are not on screen');
  await page.mouse.move(rows.x + rows.width * 0.7, rows.y + rows.height / 2);
  await page.mouse.wheel(400, 0);
  await expect.poll(() => waterfall.rulerTicks()).not.toEqual(panned);
  const scrolled = await waterfall.rulerTicks();
  // Dragging to the right pans back earlier, where there is room after the pans later.
  await page.mouse.move(rows.x + rows.width * 0.3, rows.y + rows.height / 2);
  await page.mouse.down();
  await page.mouse.move(rows.x + rows.width * 0.7, rows.y + rows.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect.poll(() => waterfall.rulerTicks()).not.toEqual(scrolled);
  // A drag is no click: nothing was opened.
  await expect(inspector.detail.pane()).toHaveCount(0);
});

test("the timeline and the run header follow a change to the run's events", async ({ inspector, served, page }) => {
  const { threadId, openAiCall } = findShapes(served.events);
  const before = await served.call('runSummary', { threadId, runId: openAiCall.run_id });
  const waterfall = new Waterfall(page);
  const header = new RunHeader(page);
  await inspector.threads.open(threadId);
  await inspector.thread.openRunTrace(openAiCall.run_id);
  await waterfall.open();
  await expect(waterfall.root()).toHaveAttribute('data-spans', String(before.spans.length));

  // An AI message with a tool call and no result yet: an LLM span and an open tool span more.
  const content = { type: 'ai', content: 'one more step', tool_calls: [{ id: 'call_written', name: 'written_tool', args: {} }] };
  await served.write([{ thread_id: threadId, run_id: openAiCall.run_id, event_type: 'llm.ai.response', category: 'message', content, metadata: { caller: 'lead_agent' } }]);
  await inspector.reloadButton().click();
  await expect(waterfall.root()).toHaveAttribute('data-spans', String(before.spans.length + 2));
  await expect(header.figure('LLM calls')).toHaveText(formatted(before.llm_calls + 1));
  await expect(header.figure('Tool calls')).toHaveText(formatted(before.tool_calls + 1));
});

test("the run header says why a failed run ended and links to its run.error, and counts the run's calls and failed tool calls", async ({ inspector, served, page }) => {
  const { threadId, runError } = findShapes(served.events);
  const calls = callsOf(runEvents(served.events, threadId, runError.run_id));
  const header = new RunHeader(page);
  const { thread, detail } = inspector;

  await inspector.threads.open(threadId);
  await thread.openRunTrace(runError.run_id);
  await header.waitReady();
  // DeerFlow records a run's error as the text of its run.error.
  expect(typeof runError.content).toBe('string');
  await expect(header.stopLink()).toHaveText(`Failed: ${String(runError.content)}`);
  await expect(header.figure('LLM calls')).toHaveText(formatted(calls.llm));
  expect(calls.toolErrors).toBe(0);
  await expect(header.figure('Tool calls')).toHaveText(formatted(calls.tools));
  await header.stopLink().click();
  await detail.waitShowing(runError.seq);
  await expect(thread.trace.row(runError.seq)).toHaveAttribute('aria-selected', 'true');
  await saveScreenshot(page, 'run-header');

  // A run of the thread whose tool calls failed: the header says how many beside the calls.
  const failing = runIds(served.events, threadId)
    .map((runId) => ({ runId, ...callsOf(runEvents(served.events, threadId, runId)) }))
    .find((run) => run.toolErrors > 0);
  if (!failing) throw new Error(`no run of ${threadId} has a failed tool call`);
  await thread.openRunTrace(failing.runId);
  await header.waitReady();
  await expect(header.figure('Tool calls')).toHaveText(`${formatted(failing.tools)} · ${failing.toolErrors} error${failing.toolErrors === 1 ? '' : 's'}`);
});

test('a run whose events stopped long ago without an end says it recorded none, not that it is running', async ({ inspector, served, page }) => {
  // A run with no runs row and no run.end / run.error, its last event months old: killed before it could record its end.
  const { threadId } = findShapes(served.events);
  const killed = { thread_id: threadId, run_id: 'run-killed', metadata: { caller: 'lead_agent' } };
  await served.write([
    { ...killed, event_type: 'run.start', category: 'trace', content: { chain: 'lead_agent' }, created_at: '2026-01-02T03:04:05.000000+00:00' },
    { ...killed, event_type: 'llm.human.input', category: 'message', content: { type: 'human', content: 'hello' }, created_at: '2026-01-02T03:04:06.000000+00:00' },
  ]);
  const header = new RunHeader(page);
  const { thread } = inspector;
  await inspector.reloadButton().click();
  await inspector.threads.open(threadId);
  await thread.openRunTrace(killed.run_id);
  await header.waitReady();
  await expect(header.stop()).toHaveText(/^No end recorded: /);
  await expect(header.stopLink()).toHaveCount(0);
  await expect(header.statusChip()).toHaveText('no end');
});

test("the Runs tab shows each run's LLM calls, tool calls and failed tool calls", async ({ inspector, served, page }) => {
  const { threadId } = findShapes(served.events);
  const { thread } = inspector;
  await inspector.threads.open(threadId);
  await thread.tab('Runs').click();
  await thread.waitRunsReady();
  const failed: string[] = [];
  for (const runId of runIds(served.events, threadId)) {
    const { llm, tools, toolErrors: errors } = callsOf(runEvents(served.events, threadId, runId));
    if (errors > 0) failed.push(runId);
    await expect(thread.runCallFigure(runId, 'LLM calls')).toHaveText(formatted(llm));
    await expect(thread.runCallFigure(runId, 'Tool calls')).toHaveText(formatted(tools));
    if (errors > 0) await expect(thread.runCallFigure(runId, 'Errors')).toHaveText(formatted(errors));
    else await expect(thread.runCallFigure(runId, 'Errors')).toHaveCount(0);
  }
  // The showcase thread has a run whose tool call failed: the column is not all zeros.
  expect(failed.length).toBeGreaterThan(0);

  // The default window (1,400 px) shows the runs as a table; no width scrolls it sideways.
  await page.setViewportSize({ width: 1400, height: 860 });
  await expect(thread.runsColumnHeaders().first()).toBeVisible();
  for (const width of [1400, 1700, 1920]) {
    await page.setViewportSize({ width, height: 860 });
    expect(await thread.runsSidewaysOverflow(), `${width} px wide`).toBe(0);
  }
});
