// The repaired copy of a JSONL folder (issue 15) in browser mode: from the
// Health panel, a folder inside the source refused in the dialog, then the
// copy written with each record once in its own run's file, its summary,
// the source's files unchanged to the byte, and the copy opened, where the
// health check finds none of what it repaired.
import fs from 'node:fs';
import path from 'node:path';
import { fileHashes as hashes, writeLayout } from '../test/support/layout-files.ts';
import { expect, saveScreenshot, test } from './fixtures.ts';
import { HealthPanel } from './pages/health.ts';
import { RepairDialog } from './pages/repair-dialog.ts';

const record = (thread: string, run: string, seq: number, over: Record<string, unknown> = {}) =>
  JSON.stringify({
    thread_id: thread,
    run_id: run,
    event_type: 'llm.ai.response',
    category: 'message',
    content: `${run} #${seq}`,
    metadata: {},
    seq,
    created_at: `2026-04-04T00:49:${String(10 + seq).padStart(2, '0')}.000000+00:00`,
    ...over,
  });
const human = { event_type: 'llm.human.input' };
const end = { event_type: 'run.end', category: 'outputs', metadata: { status: 'success' } };

/** Thread t1: run r1's file holds a record of run r2 and a line cut off; r2's file the same record again. Thread t2 is clean; every run ended. */
const BROKEN_LAYOUT: Record<string, string> = {
  't1/r1': `${record('t1', 'r1', 1, human)}\n${record('t1', 'r2', 2)}\n{"seq": 7, "content": "cut\n${record('t1', 'r1', 3, end)}\n`,
  't1/r2': `${record('t1', 'r2', 2)}\n${record('t1', 'r2', 4, end)}\n`,
  't2/r9': `${record('t2', 'r9', 1, human)}\n${record('t2', 'r9', 2, end)}\n`,
};

test('Export repaired copy: refuses a folder inside the source, writes each record once in its own run file, leaves the source as it was, and opens the copy', async ({ inspectSource, tempDir, page, expectRefusals }) => {
  expectRefusals({ method: 'exportRepaired', status: 400 });
  const source = path.join(tempDir, 'layout');
  writeLayout(source, BROKEN_LAYOUT);
  const before = hashes(source);
  const inspector = await inspectSource(source);
  const health = new HealthPanel(page);
  const repair = new RepairDialog(page);

  await health.open();
  await health.waitChecked();
  for (const kind of ['malformed_line', 'duplicate_seq', 'event_in_wrong_run_file'] as const) await expect(health.kindChip(kind)).toBeVisible();
  await repair.openButton().click();
  await expect(repair.dialog()).toBeVisible();

  await repair.start(path.join(source, 'threads', 'copy'));
  await expect(repair.error()).toContainText('is inside the source');
  await expect(repair.summary()).toHaveCount(0);

  const out = path.join(tempDir, 'repaired');
  await repair.start(out);
  await expect(repair.summary()).toContainText(out);
  await expect(repair.count('records')).toHaveText('6');
  await expect(repair.count('moved')).toHaveText('1');
  await expect(repair.count('duplicatesDropped')).toHaveText('1');
  await expect(repair.count('malformedSkipped')).toHaveText('1');
  await expect(repair.count('seqConflicts')).toHaveText('0');
  await expect(repair.count('files')).toHaveText('3');
  await saveScreenshot(page, 'repair-dialog');
  expect(hashes(source)).toEqual(before);
  expect(fs.readFileSync(path.join(out, 'threads', 't1', 'runs', 'r2.jsonl'), 'utf8')).toBe(`${record('t1', 'r2', 2)}\n${record('t1', 'r2', 4, end)}\n`);

  await repair.openCopy();
  await expect(inspector.source.path()).toHaveText(out);
  await expect(inspector.threads.options()).toHaveCount(2);
  await health.open();
  await health.waitChecked();
  await expect(health.noFindings()).toBeVisible();
});
