// The Health panel (issue 15) on stores built to hold findings: the top bar's
// counts once a check has run, the panel's progress, filters, keys and jumps,
// the marks in the runs table and on the overview strip, a check again after
// a change, and a clean store's "no findings".
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { openSqliteStore } from '../src-main/store/sqlite/sqlite-store.ts';
import type { EventInput, JsonValue, RunEvent } from '../src-shared/types.ts';
import { aiMessage, call } from '../test/support/anatomy-events.ts';
import { fillHealthStore, MARKED } from '../test/support/health-store.ts';
import { expect, saveScreenshot, test } from './fixtures.ts';
import { RepairDialog } from './pages/repair-dialog.ts';

const DB = 'health.db';

/** Where fillHealthStore's findings are, read back from the database it wrote. */
interface MarkedSeqs {
  /** The llm.ai.response holding the call never answered. */
  lostCall: number;
  /** The subagent.start of the task never ended. */
  openTask: number;
  /** The killed run's last event. */
  killedEnd: number;
  /** The event whose content was truncated. */
  truncated: number;
  /** The deleted run's seqs. */
  gap: number[];
}

/** A SQLite database in `dir` holding the `clean` and `marked` threads of test/support/health-store.ts. */
async function healthDatabase(dir: string): Promise<{ db: string; seqs: MarkedSeqs }> {
  const db = path.join(dir, DB);
  const store = openSqliteStore(db, { create: true });
  try {
    const { gap } = await fillHealthStore(store);
    const ended = await store.listEvents(MARKED.thread, MARKED.ended, {});
    const killed = await store.listEvents(MARKED.thread, MARKED.killed, {});
    const seqOf = (events: RunEvent[], match: (event: RunEvent) => boolean) => {
      const found = events.find(match);
      if (!found) throw new Error('the health store lacks an event it is built with');
      return found.seq;
    };
    const seqs = {
      lostCall: seqOf(ended, (e) => e.event_type === 'llm.ai.response' && JSON.stringify(e.content).includes(MARKED.lostCall)),
      openTask: seqOf(ended, (e) => e.event_type === 'subagent.start'),
      killedEnd: killed[killed.length - 1].seq,
      truncated: seqOf(ended, (e) => e.metadata.content_truncated === true),
      gap,
    };
    return { db, seqs };
  } finally {
    await store.close();
  }
}

const LAYOUT_THREAD = 'tj';

/** A JSONL record line of LAYOUT_THREAD. */
const record = (seq: number, run_id: string, event_type: string) =>
  JSON.stringify({ thread_id: LAYOUT_THREAD, run_id, event_type, category: event_type.startsWith('llm.') ? 'message' : 'trace', content: '', metadata: {}, seq, created_at: `2026-03-01T10:00:0${seq}.000000+00:00` });

/**
 * A DeerFlow layout under `<dir>/.deer-flow` with a line that is not a record
 * and a record of run rb in run ra's file, both of ra.jsonl, and a seq of ra's
 * written again in rb's file.
 */
function writeBrokenLayout(dir: string): void {
  const runs = path.join(dir, '.deer-flow', 'threads', LAYOUT_THREAD, 'runs');
  mkdirSync(runs, { recursive: true });
  const lines = (...all: string[]) => `${all.join('\n')}\n`;
  writeFileSync(path.join(runs, 'ra.jsonl'), lines(record(1, 'ra', 'run.start'), record(2, 'ra', 'llm.human.input'), 'not a record', record(3, 'rb', 'llm.ai.response'), record(4, 'ra', 'run.end')));
  writeFileSync(path.join(runs, 'rb.jsonl'), lines(record(5, 'rb', 'run.start'), record(2, 'rb', 'llm.human.input'), record(6, 'rb', 'run.end')));
}

/** Holds the page's checkHealth answers back (their pushes still come) until the returned function is called. */
async function holdChecks(page: Page): Promise<() => void> {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/checkHealth', async (route) => {
    const response = await route.fetch();
    await held;
    await route.fulfill({ response });
  });
  return release;
}

test('the top bar counts nothing until the panel opens; the check shows its progress, then the counts and the findings, warnings before info', async ({
  tempDir,
  inspectSource,
  page,
}) => {
  const { db, seqs } = await healthDatabase(tempDir);
  const inspector = await inspectSource(db);
  const { health } = inspector;
  await expect(health.entry).toHaveAccessibleName('Health: not checked yet');
  await expect(health.entry).toHaveAttribute('data-state', 'unchecked');

  const release = await holdChecks(page);
  await health.open();
  await expect(health.progress()).toBeVisible();
  await expect(health.entry).toHaveAccessibleName('Health: checking…');
  // Both threads checked (the last push), while the answer is still held.
  await expect(health.progressText()).toHaveText('Checked 2 of 2 threads');
  await expect(health.progress()).toHaveAttribute('max', '2');
  release();

  await health.waitChecked();
  await expect(health.progress()).toHaveCount(0);
  await expect(health.entry).toHaveAccessibleName('Health: 3 warnings, 2 info');
  await expect(health.summary()).toHaveText('3 warnings, 2 info');
  await expect(health.rows()).toHaveCount(5);
  const kinds = await health.rows().evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind')));
  expect(kinds.slice(0, 3).sort()).toEqual(['run_without_end', 'subagent_without_end', 'tool_call_without_result']);
  expect(kinds.slice(3).sort()).toEqual(['seq_gap', 'truncated_content']);
  await expect(health.row('tool_call_without_result', { threadId: MARKED.thread, runId: MARKED.ended, seq: seqs.lostCall })).toContainText(MARKED.lostCall);
  await expect(health.row('subagent_without_end', { runId: MARKED.ended, seq: seqs.openTask })).toContainText(MARKED.openTask);
  await expect(health.row('run_without_end', { runId: MARKED.killed, seq: seqs.killedEnd })).toContainText('no run.end');
  await expect(health.row('seq_gap', { threadId: MARKED.thread, seq: seqs.gap[0] })).toContainText(`${seqs.gap[0]}–${seqs.gap[seqs.gap.length - 1]}`);
  await expect(health.row('truncated_content', { seq: seqs.truncated })).toBeVisible();
  // The clean thread has none.
  await expect(health.list.locator('[data-thread-id="clean"]')).toHaveCount(0);
  await saveScreenshot(page, 'health-panel');

  // Esc closes; the counts stay in the top bar.
  await page.keyboard.press('Escape');
  await expect(health.dialog).toHaveCount(0);
  await expect(health.entry).toHaveAccessibleName('Health: 3 warnings, 2 info');
});

test('the filter by severity and by kind, with their counts, and cleared', async ({ tempDir, inspectSource }) => {
  const { db } = await healthDatabase(tempDir);
  const { health } = await inspectSource(db);
  await health.open();
  await health.waitChecked();
  await expect(health.severityChip('warning')).toHaveAccessibleName('warning 3');
  await expect(health.severityChip('info')).toHaveAccessibleName('info 2');
  await expect(health.severityChip('error')).toHaveCount(0);

  await health.severityChip('info').click();
  await expect(health.severityChip('info')).toHaveAttribute('aria-pressed', 'true');
  await expect(health.rows()).toHaveCount(2);
  await expect(health.shownLine()).toContainText('2 of 5 findings shown');
  expect(await health.rows().evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind')).sort())).toEqual(['seq_gap', 'truncated_content']);

  // Both filters: the kind picked among the severity picked.
  await health.severityChip('warning').click();
  await health.kindChip('run_without_end').click();
  await expect(health.rows()).toHaveCount(1);
  await expect(health.rows().first()).toHaveAttribute('data-kind', 'run_without_end');
  await health.severityChip('warning').click();
  await expect(health.dialog.getByText('No findings match the filter')).toBeVisible();

  await health.clearFiltersButton().click();
  await expect(health.rows()).toHaveCount(5);
  await expect(health.shownLine()).toContainText(/^5 findings/);
});

test('Enter on a finding opens its run’s trace at its event; a click on the seq gap opens the messages there; the panel keeps its place', async ({
  tempDir,
  inspectSource,
}) => {
  const { db, seqs } = await healthDatabase(tempDir);
  const inspector = await inspectSource(db);
  const { health, thread, detail } = inspector;
  await health.open();
  await health.waitChecked();

  // The keys are the list's at once: ↓ to the killed run's finding.
  const rows = await health.rows().evaluateAll((all) => all.map((row) => row.getAttribute('data-kind')));
  for (let i = 0; i < rows.indexOf('run_without_end'); i++) await health.press('ArrowDown');
  await expect(health.activeRow()).toHaveAttribute('data-kind', 'run_without_end');
  await health.press('Enter');
  await expect(health.dialog).toHaveCount(0);
  await expect(thread.tab('Trace')).toHaveAttribute('aria-selected', 'true');
  await expect(thread.trace.selectedRun()).toHaveText(new RegExp(MARKED.killed));
  await detail.waitShowing(seqs.killedEnd);
  await expect(thread.trace.row(seqs.killedEnd)).toHaveAttribute('aria-selected', 'true');

  // The keys are on the shortcuts sheet.
  await inspector.shortcutsButton().click();
  await expect(inspector.shortcutsSection('Health panel')).toContainText('EnterOpen the finding');
  await inspector.shortcutsCloseButton().click();

  // Opened again, the panel is where it was left.
  await health.open();
  await expect(health.activeRow()).toHaveAttribute('data-kind', 'run_without_end');
  await health.row('seq_gap').click();
  await expect(health.dialog).toHaveCount(0);
  await expect(thread.tab('Messages')).toHaveAttribute('aria-selected', 'true');
  await expect(detail.pane()).toHaveAttribute('data-seq', String(seqs.gap[0]));
});

test('the runs table marks each run with findings, naming their kinds; the overview strip marks their seqs', async ({ tempDir, inspectSource }) => {
  const { db, seqs } = await healthDatabase(tempDir);
  const inspector = await inspectSource(db);
  const { health, thread, threads } = inspector;
  await threads.open(MARKED.thread);
  await thread.tab('Runs').click();
  await thread.waitRunsReady();
  // Nothing is marked before a check.
  await expect(thread.runsTable().getByRole('img', { name: /^Health:/ })).toHaveCount(0);

  await health.open();
  await health.waitChecked();
  await health.closeButton().click();
  await expect(health.runMarker(MARKED.ended)).toHaveAccessibleName('Health: subagent_without_end, tool_call_without_result');
  await expect(health.runMarker(MARKED.ended)).toHaveAttribute('data-severity', 'warning');
  await expect(health.runMarker(MARKED.killed)).toHaveAccessibleName('Health: run_without_end');
  await expect(health.runMarker(MARKED.legacy)).toHaveCount(0);

  await thread.tab('Messages').click();
  await thread.timeline.waitReady();
  const marked = await health.stripMarks().evaluateAll((marks) => marks.map((mark) => Number(mark.getAttribute('data-seq'))).sort((a, b) => a - b));
  expect(marked).toEqual([seqs.gap[0], seqs.lostCall, seqs.openTask, seqs.truncated, seqs.killedEnd].sort((a, b) => a - b));
});

test('a change while the panel is open is checked at once; one while it is closed leaves the counts marked older until it opens again', async ({
  tempDir,
  inspectSource,
  startWriter,
}) => {
  const { db } = await healthDatabase(tempDir);
  const { health } = await inspectSource(db);
  const writer = await startWriter('sqlite', DB);
  await health.open();
  await health.waitChecked();
  await expect(health.row('run_without_end')).toHaveCount(1);

  // Deleting the killed run takes its finding away while the panel looks.
  await writer.send({ op: 'deleteRun', thread: MARKED.thread, run: MARKED.killed });
  await expect(health.row('run_without_end')).toHaveCount(0);
  await expect(health.entry).toHaveAccessibleName('Health: 2 warnings, 2 info');

  await health.closeButton().click();
  await writer.send({ op: 'deleteRun', thread: MARKED.thread, run: MARKED.ended });
  await expect(health.entry).toHaveAccessibleName('Health: 2 warnings, 2 info (checked before the latest changes)');
  await health.open();
  // Without the ended run, the legacy run's call (answered in it) has no result; nothing comes after the gap now.
  await expect(health.entry).toHaveAccessibleName('Health: 1 warning');
  await expect(health.rows()).toHaveCount(1);
  await expect(health.row('tool_call_without_result', { runId: MARKED.legacy })).toBeVisible();
});

test('thousands of findings: a window of rows is rendered, End goes to the last', async ({ tempDir, inspectSource }) => {
  const calls = 3000;
  const db = path.join(tempDir, DB);
  const store = openSqliteStore(db, { create: true });
  const input = (event_type: string, content: JsonValue = ''): EventInput => ({ thread_id: 'many', run_id: 'r1', event_type, category: event_type.startsWith('llm.') ? 'message' : 'trace', content });
  await store.putBatch([input('run.start'), input('llm.ai.response', aiMessage(Array.from({ length: calls }, (_, i) => call(`call-${i}`, 'search')))), input('run.end')]);
  await store.close();
  const { health } = await inspectSource(db);

  await health.open();
  await health.waitChecked();
  await expect(health.entry).toHaveAccessibleName('Health: 3,000 warnings');
  expect(await health.listedCount()).toBe(calls);
  expect(await health.rows().count()).toBeLessThan(50);
  await health.press('End');
  await expect(health.activeRow()).toBeInViewport();
  await expect(health.activeRow()).toHaveAttribute('aria-posinset', String(calls));
});

test('a clean store: the panel and the top bar say there are no findings', async ({ tempDir, inspectSource }) => {
  const { db } = await healthDatabase(tempDir);
  const store = openSqliteStore(db, { create: false });
  await store.deleteByThread(MARKED.thread);
  await store.close();
  const { health } = await inspectSource(db);
  await health.open();
  await health.waitChecked();
  await expect(health.noFindings()).toBeVisible();
  await expect(health.entry).toHaveAccessibleName('Health: no findings');
  await expect(health.list).toBeHidden();
});

test('a JSONL folder: errors first in the top bar and the list, each finding at its file and line', async ({ tempDir, inspectSource }) => {
  writeBrokenLayout(tempDir);
  const { health } = await inspectSource(tempDir);
  await health.open();
  await health.waitChecked();
  await expect(health.entry).toHaveAccessibleName('Health: 2 errors, 1 warning');
  await expect(health.rows()).toHaveCount(3);
  const kinds = await health.rows().evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind')));
  expect(kinds.slice(0, 2).sort()).toEqual(['duplicate_seq', 'malformed_line']);
  expect(kinds[2]).toBe('event_in_wrong_run_file');
  await expect(health.row('malformed_line', { threadId: LAYOUT_THREAD, runId: 'ra' })).toContainText('ra.jsonl:3');
  await expect(health.row('duplicate_seq', { threadId: LAYOUT_THREAD, seq: 2 })).toContainText('rb.jsonl:2');
  await expect(health.row('event_in_wrong_run_file', { runId: 'ra' })).toContainText('ra.jsonl');
});

test('a line of an export file names no thread: its finding is listed and leads nowhere', async ({ tempDir, inspectSource }) => {
  const file = path.join(tempDir, 'export.jsonl');
  writeFileSync(file, `${record(1, 'ra', 'run.start')}\nnot a record\n${record(2, 'ra', 'run.end')}\n`);
  const inspector = await inspectSource(file);
  const { health } = inspector;
  await health.open();
  await health.waitChecked();
  await expect(health.entry).toHaveAccessibleName('Health: 1 error');
  const row = health.row('malformed_line', { threadId: '' });
  await expect(row).toHaveAttribute('aria-disabled', 'true');
  await expect(row).toContainText('export.jsonl:2');
  await health.press('Enter');
  await expect(health.dialog).toBeVisible();
  await health.press('Escape');
  await expect(health.dialog).toHaveCount(0);
  await expect(inspector.noThreadOpen()).toBeVisible();
});

test('a JSONL folder’s panel offers its repaired copy, and closing that dialog comes back to the panel as it was; a database’s and an export file’s do not', async ({
  tempDir,
  inspectSource,
  page,
}) => {
  writeBrokenLayout(tempDir);
  const { health } = await inspectSource(tempDir);
  const repair = new RepairDialog(page);
  await health.open();
  await health.waitChecked();
  await health.severityChip('warning').click();
  await expect(health.rows()).toHaveCount(1);
  await repair.openButton().click();
  await expect(repair.dialog()).toBeVisible();
  await expect(health.dialog).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(repair.dialog()).toHaveCount(0);
  await expect(health.dialog).toBeVisible();
  await expect(health.severityChip('warning')).toHaveAttribute('aria-pressed', 'true');
  await expect(health.rows()).toHaveCount(1);
  await health.closeButton().click();

  const exportFile = path.join(tempDir, 'export.jsonl');
  writeFileSync(exportFile, `${record(1, 'ra', 'run.start')}\n${record(2, 'ra', 'run.end')}\n`);
  for (const source of [(await healthDatabase(tempDir)).db, exportFile]) {
    await inspectSource(source);
    await health.open();
    await health.waitChecked();
    await expect(repair.openButton()).toHaveCount(0);
  }
});
