import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, saveScreenshot, test } from './fixtures.ts';

const THREAD = 'broken-thread';
const RUN = 'broken-run';

/**
 * A DeerFlow layout under `<dir>/.deer-flow` with one run whose line 2 is not
 * JSON and whose line 4 has only a seq (kept, with defaults); returns the run file.
 */
function writeBrokenLayout(dir: string): string {
  const runs = path.join(dir, '.deer-flow', 'threads', THREAD, 'runs');
  mkdirSync(runs, { recursive: true });
  const record = (seq: number, event_type: string, category: string, content: unknown) =>
    JSON.stringify({ thread_id: THREAD, run_id: RUN, event_type, category, content, metadata: {}, seq, created_at: `2026-03-01T10:00:0${seq}.000000+00:00` });
  const lines = [
    record(1, 'llm.human.input', 'message', { type: 'human', content: 'Why are some lines missing?' }),
    '{"seq": 2, "thread_id": "broken-thread", this is not json',
    record(3, 'llm.ai.response', 'message', { type: 'ai', content: 'Some lines could not be read.' }),
    '{"seq": 4}',
  ];
  const file = path.join(runs, `${RUN}.jsonl`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

test('a JSONL folder with a malformed line and a record missing fields: the top bar counts them, the dialog lists each at file:line', async ({
  page,
  tempDir,
  inspectSource,
}) => {
  const file = writeBrokenLayout(tempDir);
  const inspector = await inspectSource(tempDir);
  const { sourceIssues } = inspector;

  await expect(sourceIssues.indicator()).toHaveText('1 skipped line · 1 warning');
  await sourceIssues.indicator().click();
  await expect(sourceIssues.dialog()).toBeVisible();
  await expect(sourceIssues.rows()).toHaveCount(2);
  // The error first, whatever the line order.
  await expect(sourceIssues.rows().nth(0)).toContainText(`${file}:2`);
  await expect(sourceIssues.rows().nth(0)).toContainText('malformed JSON');
  await expect(sourceIssues.rows().nth(1)).toContainText(`${file}:4`);
  await expect(sourceIssues.rows().nth(1)).toContainText('event_type missing');
  await saveScreenshot(page, 'source-issues');
  await sourceIssues.closeButton().click();
  await expect(sourceIssues.dialog()).toHaveCount(0);

  // The lines that were read are all there.
  await inspector.threads.open(THREAD);
  await expect(inspector.thread.timeline.message(3)).toContainText('Some lines could not be read.');
});

test('opening another source refreshes the count: none for a clean database, then the JSONL folder’s', async ({ inspector, tempDir }) => {
  const { sourceIssues } = inspector;
  await expect(inspector.threads.options().first()).toBeVisible();
  await expect(sourceIssues.indicator()).toHaveCount(0);

  writeBrokenLayout(tempDir);
  await inspector.openButton().click();
  await inspector.openDialog.open(path.join(tempDir, '.deer-flow'));
  await expect(sourceIssues.indicator()).toHaveText('1 skipped line · 1 warning');
});

test('thousands of skipped lines: a window of rows is rendered and the list scrolls to the last one', async ({ tempDir, inspectSource }) => {
  const lines = 5000;
  const runs = path.join(tempDir, 'threads', THREAD, 'runs');
  mkdirSync(runs, { recursive: true });
  const file = path.join(runs, `${RUN}.jsonl`);
  writeFileSync(file, 'not a record\n'.repeat(lines));
  const { sourceIssues } = await inspectSource(tempDir);

  await expect(sourceIssues.indicator()).toHaveText('5,000 skipped lines');
  await sourceIssues.indicator().click();
  await expect(sourceIssues.rows().first()).toContainText(`${file}:1`);
  expect(await sourceIssues.rows().count()).toBeLessThan(50);
  await sourceIssues.scrollToRow(lines);
  await expect(sourceIssues.rows().last()).toContainText(`${file}:${lines}`);
});
