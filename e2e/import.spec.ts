import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, saveScreenshot, test } from './fixtures.ts';

const THREAD = 'imported-thread';
const RUN = 'imported-run';

/** A DeerFlow JSONL layout of one run whose third line is not JSON. */
function writeLayout(root: string): string {
  const dir = path.join(root, 'threads', THREAD, 'runs');
  mkdirSync(dir, { recursive: true });
  const record = (seq: number, event_type: string, category: string, content: unknown) =>
    JSON.stringify({ thread_id: THREAD, run_id: RUN, event_type, category, content, metadata: {}, seq, created_at: `2026-03-01T10:00:0${seq}.000000+00:00` });
  const lines = [
    record(1, 'run.start', 'trace', { chain: 'lead_agent' }),
    record(2, 'llm.human.input', 'message', { type: 'human', content: 'Imported question about tides' }),
    '{"seq": 3, "thread_id": "imported-thread", this is not json',
    record(4, 'llm.ai.response', 'message', { type: 'ai', content: 'Imported answer' }),
    record(5, 'run.end', 'outputs', {}),
  ];
  const file = path.join(dir, `${RUN}.jsonl`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

test('imports a JSONL folder with a malformed line and lists the skipped line in the summary', async ({ inspector, served, page }) => {
  const root = path.join(served.dir, 'export', '.deer-flow');
  const file = writeLayout(root);
  const { importDialog, threads } = inspector;

  await inspector.importButton().click();
  await expect(importDialog.dialog()).toBeVisible();
  await importDialog.pathField().fill(root);
  await importDialog.startButton().click();

  await expect(importDialog.summary()).toBeVisible();
  await expect(importDialog.count('imported')).toHaveText('4');
  await expect(importDialog.count('duplicates')).toHaveText('0');
  await expect(importDialog.count('skipped')).toHaveText('1');
  await expect(importDialog.skippedLines()).toHaveCount(1);
  await expect(importDialog.skippedLines().first()).toContainText(`${file}:3`);
  await saveScreenshot(page, 'import-summary');

  await importDialog.closeButton().click();
  await expect(importDialog.dialog()).toHaveCount(0);
  await expect(threads.options()).toHaveCount(served.plans.length + 1);
  await threads.open(THREAD);
  await expect(inspector.thread.timeline.message(4)).toContainText('Imported answer');

  // The same folder again: everything is a duplicate now.
  await inspector.importButton().click();
  await importDialog.pathField().fill(root);
  await importDialog.startButton().click();
  await expect(importDialog.count('duplicates')).toHaveText('4');
  await expect(importDialog.count('imported')).toHaveText('0');
});

test('exports the open thread to a folder in the JSONL layout', async ({ inspector, served }) => {
  const plan = served.plans[2];
  const out = path.join(served.dir, 'exported');
  const { exportDialog } = inspector;
  const expected = served.events.filter((e) => e.thread_id === plan.thread_id);
  const runs = new Set(expected.map((e) => e.run_id));

  await inspector.threads.open(plan.thread_id);
  await inspector.thread.exportThreadButton().click();
  await expect(exportDialog.scope(/^Thread /)).toBeChecked();
  await exportDialog.folderField().fill(out);
  await exportDialog.startButton().click();
  await expect(exportDialog.summary()).toContainText(`Exported ${expected.length} events`);

  const files = readdirSync(path.join(out, 'threads', plan.thread_id, 'runs'));
  expect(files.sort()).toEqual([...runs].map((run) => `${run}.jsonl`).sort());
});

test('an import that cannot read its path says why, without a stack trace', async ({ inspector, served, expectRefusals }) => {
  expectRefusals({ method: 'importJsonl', status: 404 });
  const { importDialog } = inspector;
  await inspector.importButton().click();
  await importDialog.pathField().fill(path.join(served.dir, 'no-such-folder'));
  await importDialog.startButton().click();
  await expect(importDialog.error()).toContainText('Import failed');
  await expect(importDialog.error()).not.toContainText(/\n\s+at /);
  await expect(importDialog.startButton()).toBeEnabled();
});
