import { previewOf } from '../src-renderer/common/text-preview.ts';
import type { JsonObject, RunEvent } from '../src-shared/types.ts';
import { expect, saveScreenshot, test } from './fixtures.ts';
import { threadEvents } from './expectations.ts';

const text = (e: RunEvent) => JSON.stringify(e.content);
const obj = (e: RunEvent) => (typeof e.content === 'object' && e.content !== null && !Array.isArray(e.content) ? (e.content as JsonObject) : {});

test('renders the message shapes: images, OpenAI tool calls paired with results, reasoning, long and JSON text', async ({ inspector, served, page }) => {
  const plan = served.plans.find((p) => p.showcase);
  test.skip(!plan, 'the generated store has no showcase thread');
  const messages = threadEvents(served.events, plan?.thread_id ?? '').filter((e) => e.category === 'message');
  const image = messages.find((e) => text(e).includes('"image_url"'));
  const openAiCall = messages.find((e) => obj(e).role === 'assistant' && Array.isArray(obj(e).tool_calls));
  const reasoning = messages.find((e) => text(e).includes('reasoning_content'));
  const long = messages.reduce((a, b) => (text(b).length > text(a).length ? b : a));
  const jsonResult = messages.find((e) => e.event_type === 'llm.tool.result' && typeof obj(e).content === 'string' && String(obj(e).content).startsWith('[{'));
  const { timeline } = inspector.thread;

  await inspector.threads.open(plan?.thread_id ?? '');
  await timeline.waitReady();

  if (image) {
    await timeline.goToSeq(image.seq);
    await expect(timeline.imagePlaceholder(image.seq)).toContainText(/image\/\w+ · \d/);
  }
  if (openAiCall) {
    await timeline.goToSeq(openAiCall.seq);
    await expect(timeline.toolCalls(openAiCall.seq)).toHaveCount((obj(openAiCall).tool_calls as unknown[]).length);
    const link = timeline.resultLink(openAiCall.seq).first();
    const resultSeq = Number(/#(\d+)/.exec((await link.textContent()) ?? '')?.[1]);
    await link.click();
    await expect(timeline.message(resultSeq)).toBeInViewport();
    await expect(timeline.message(resultSeq)).toContainText('Result of');
  }
  if (reasoning) {
    await timeline.goToSeq(reasoning.seq);
    const details = timeline.reasoning(reasoning.seq);
    await expect(details).not.toHaveAttribute('open');
    await details.getByText(/^Reasoning/).click();
    await expect(details).toHaveAttribute('open');
  }
  if (jsonResult) {
    await timeline.goToSeq(jsonResult.seq);
    await timeline.jsonTreeToggle(jsonResult.seq).click();
    await expect(timeline.jsonTree(jsonResult.seq)).toBeVisible();
  }

  // The longest message starts collapsed; "Show all" opens it in place, and the list re-measures it.
  await timeline.goToSeq(long.seq);
  const collapsed = (await timeline.message(long.seq).boundingBox())?.height ?? 0;
  await timeline.showAllButton(long.seq).click();
  await expect(timeline.showLessButton(long.seq)).toBeVisible();
  await expect.poll(async () => (await timeline.message(long.seq).boundingBox())?.height ?? 0).toBeGreaterThan(collapsed * 3);
  await saveScreenshot(page, 'message-shapes');
});

test('renders a markdown table in an answer as a table (GFM)', async ({ inspector, served }) => {
  // An answer short enough to show whole (no "Show all" in the way) whose markdown ends with the generator's comparison table.
  const answer = served.events.find((e) => {
    const body = obj(e).content;
    return e.category === 'message' && typeof body === 'string' && body.includes('| Option | Latency (ms)') && previewOf(body) === null;
  });
  expect(answer, 'the generated store has a short answer with a table').toBeDefined();
  const seq = answer?.seq ?? 0;
  const { timeline } = inspector.thread;
  await inspector.threads.open(answer?.thread_id ?? '');
  await timeline.waitReady();
  await timeline.goToSeq(seq);

  const table = timeline.markdownTable(seq);
  await expect(table.getByRole('columnheader')).toHaveText(['Option', 'Latency (ms)', 'Cost / month', 'Notes']);
  // The header row and the three options, each cell its own.
  await expect(table.getByRole('row')).toHaveCount(4);
  await expect(table.getByRole('row').nth(1).getByRole('cell')).toHaveCount(4);
  await expect(timeline.message(seq)).not.toContainText('|---|');
});
