import { previewOf } from '../src-renderer/common/text-preview.ts';
import type { JsonObject, RunEvent } from '../src-shared/types.ts';
import { expect, saveScreenshot, test } from './fixtures.ts';
import { findShapes, required } from '../test/support/shapes.ts';

const obj = (e: RunEvent) => (typeof e.content === 'object' && e.content !== null && !Array.isArray(e.content) ? (e.content as JsonObject) : {});

test('renders the message shapes: images, OpenAI tool calls paired with results, reasoning, long and JSON text, truncated content', async ({ inspector, served, page }) => {
  const { threadId, image, openAiCall, openAiResult, reasoning, jsonResult, long, truncatedMessage } = findShapes(served.events);
  const { timeline } = inspector.thread;

  await inspector.threads.open(threadId);
  await timeline.waitReady();

  await timeline.goToSeq(image.seq);
  await expect(timeline.imagePlaceholder(image.seq)).toContainText(/image\/\w+ · \d/);

  await timeline.goToSeq(openAiCall.seq);
  await expect(timeline.toolCalls(openAiCall.seq)).toHaveCount((obj(openAiCall).tool_calls as unknown[]).length);
  await timeline.resultLink(openAiCall.seq).first().click();
  await expect(timeline.message(openAiResult.seq)).toBeInViewport();
  await expect(timeline.message(openAiResult.seq)).toContainText('Result of');

  await timeline.goToSeq(reasoning.seq);
  const details = timeline.reasoning(reasoning.seq);
  await expect(details).not.toHaveAttribute('open');
  await details.getByText(/^Reasoning/).click();
  await expect(details).toHaveAttribute('open');

  await timeline.goToSeq(jsonResult.seq);
  await timeline.jsonTreeToggle(jsonResult.seq).click();
  await expect(timeline.jsonTree(jsonResult.seq)).toBeVisible();

  // Content the recorder cut says so on the message, with the size it had.
  await timeline.goToSeq(truncatedMessage.seq);
  await expect(timeline.truncationFlag(truncatedMessage.seq)).toHaveText(/^truncated · \d+(\.\d)? KB recorded$/);

  // The longest message starts collapsed; "Show all" opens it in place, and the list re-measures it.
  await timeline.goToSeq(long.seq);
  const collapsed = (await timeline.message(long.seq).boundingBox())?.height ?? 0;
  await timeline.showAllButton(long.seq).click();
  await expect(timeline.showLessButton(long.seq)).toBeVisible();
  await expect.poll(async () => (await timeline.message(long.seq).boundingBox())?.height ?? 0).toBeGreaterThan(collapsed * 3);
  await saveScreenshot(page, 'message-shapes');
});

test("renders the older journal's messages as messages: human_message as Human, an OpenAI-style reply stored as JSON text as its text", async ({ inspector, served }) => {
  const { legacyHuman, legacyOpenAiText } = findShapes(served.events);
  const { timeline } = inspector.thread;
  await inspector.threads.open(legacyHuman.thread_id);
  await timeline.waitReady();

  await timeline.goToSeq(legacyHuman.seq);
  await expect(timeline.roleBadge(legacyHuman.seq)).toHaveText('Human');
  await expect(timeline.message(legacyHuman.seq)).toContainText(String(legacyHuman.content).slice(0, 20));

  await timeline.goToSeq(legacyOpenAiText.seq);
  await expect(timeline.roleBadge(legacyOpenAiText.seq)).toHaveText('AI');
  // Its text, not the JSON around it.
  await expect(timeline.message(legacyOpenAiText.seq)).not.toContainText('"role"');
  await expect(timeline.message(legacyOpenAiText.seq)).not.toContainText('tool_calls');
  await expect(timeline.jsonTreeToggle(legacyOpenAiText.seq)).toHaveCount(0);
});

test('renders a markdown table in an answer as a table (GFM)', async ({ inspector, served }) => {
  // An answer short enough to show whole (no "Show all" in the way) whose markdown ends with the generator's comparison table.
  const answer = required(
    served.events.find((e) => {
      const body = obj(e).content;
      return e.category === 'message' && typeof body === 'string' && body.includes('| Option | Latency (ms)') && previewOf(body) === null;
    }),
    'short answer with a table',
  );
  const { seq } = answer;
  const { timeline } = inspector.thread;
  await inspector.threads.open(answer.thread_id);
  await timeline.waitReady();
  await timeline.goToSeq(seq);

  const table = timeline.markdownTable(seq);
  await expect(table.getByRole('columnheader')).toHaveText(['Option', 'Latency (ms)', 'Cost / month', 'Notes']);
  // The header row and the three options, each cell its own.
  await expect(table.getByRole('row')).toHaveCount(4);
  await expect(table.getByRole('row').nth(1).getByRole('cell')).toHaveCount(4);
  await expect(timeline.message(seq)).not.toContainText('|---|');
});
