// A JSONL folder's first read in browser mode (issue 14, "JSONL index
// persisted"): the thread list says how far the read is and grows as threads
// are read; a thread listed opens (its messages, runs and a run's trace)
// while the rest is not read yet, and so does one the URL names that is not
// read yet (read first); once all is read the progress goes and
// every thread is listed, the open thread still selected. A later open lists
// every thread from the kept index before it has checked a file. The read is
// held by the app's test hold (index-hold.ts), which pauses it and nothing
// else.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { E2E_STORE, generateEvents } from '../src-main/generator/generate.ts';
import { writeJsonlLayout } from '../src-main/generator/write-store.ts';
import { INDEX_HOLD_ENV } from '../src-main/store/jsonl/index-hold.ts';
import { runFile } from '../src-main/store/jsonl/layout.ts';
import { runIds } from './expectations.ts';
import { expect, saveScreenshot, test } from './fixtures.ts';
import { InspectorPage } from './pages/inspector-page.ts';

test('lists a JSONL folder as it is read, opens a thread meanwhile, and lists it from its kept index the next time', async ({ tempDir, serveSource, page }) => {
  const events = [...generateEvents(E2E_STORE)];
  const root = path.join(tempDir, '.deer-flow');
  writeJsonlLayout(root, events);
  const threads = [...new Set(events.map((e) => e.thread_id))];
  const files = threads.reduce((sum, thread) => sum + runIds(events, thread).length, 0);
  const hold = path.join(tempDir, 'hold');
  const env = { [INDEX_HOLD_ENV]: hold, RUN_INSPECTOR_USER_DATA: path.join(tempDir, 'user-data') };

  // Held once the first thread's files are read.
  writeFileSync(hold, '1');
  const first = await serveSource(root, [], env);
  const inspector = new InspectorPage(page);
  await inspector.open(first.url);
  const pane = inspector.threads;
  await expect(pane.options()).toHaveCount(1);
  const [threadId] = await pane.optionIds();
  const read = runIds(events, threadId).length;
  await expect(pane.indexingProgress()).toBeVisible();
  await expect(pane.indexingProgress()).toHaveAttribute('aria-valuenow', String(read));
  await expect(pane.indexingProgress()).toHaveAttribute('aria-valuemax', String(files));
  expect(await pane.indexingText()).toBe(`Indexing ${read} of ${files} files…`);
  await expect(pane.indexingProgress()).toContainText(`Indexing ${read} of ${files} files…`);
  await saveScreenshot(page, 'indexing');

  // The thread read so far opens whole while the others wait.
  const messages = events.filter((e) => e.thread_id === threadId && e.category === 'message');
  const { thread } = inspector;
  await pane.open(threadId);
  await thread.timeline.waitReady();
  await expect(thread.tabCount('Messages')).toHaveText(String(messages.length));
  await expect(thread.timeline.message(messages.at(-1)!.seq)).toBeVisible();
  const runs = runIds(events, threadId);
  await thread.openRunTrace(runs[0]);
  await thread.trace.waitReady();
  const runEvents = events.filter((e) => e.thread_id === threadId && e.run_id === runs[0]);
  await expect(thread.trace.list()).toHaveAttribute('data-count', String(runEvents.length));
  await expect(pane.indexingProgress()).toBeVisible();

  // A thread the URL names that the read has not reached (a reload) is read before the others, and opens.
  const other = threads.find((id) => id !== threadId)!;
  const otherMessages = events.filter((e) => e.thread_id === other && e.category === 'message');
  await page.goto(`${first.url}#thread=${other}`);
  await page.reload();
  await inspector.waitReady();
  await expect(pane.openOption()).toHaveAttribute('data-thread-id', other);
  await thread.timeline.waitReady();
  await expect(thread.tabCount('Messages')).toHaveText(String(otherMessages.length));
  await expect(pane.options()).toHaveCount(2);
  await expect(pane.indexingProgress()).toBeVisible();

  // Let go: every thread arrives, the progress goes, the open thread stays open.
  rmSync(hold);
  await expect(pane.options()).toHaveCount(threads.length);
  await expect(pane.indexingProgress()).toHaveCount(0);
  await expect(pane.openOption()).toHaveAttribute('data-thread-id', other);
  await expect(pane.total()).toHaveText(String(threads.length));
  await page.goto('about:blank');
  await first.stop();

  // A later open: held before any file is checked, every thread is listed from the kept index all the same.
  writeFileSync(hold, '0');
  const second = await serveSource(root, [], env);
  await inspector.open(second.url);
  await expect(pane.options()).toHaveCount(threads.length);
  await expect(pane.indexingProgress()).toHaveAttribute('aria-valuenow', '0');
  // A file changed since is seen once the check reaches it.
  const changed = runFile(root, threadId, runs[0]);
  writeFileSync(changed, '');
  rmSync(hold);
  await expect(pane.indexingProgress()).toHaveCount(0);
  await expect(pane.option(threadId)).toContainText(`${messages.length - runEvents.filter((e) => e.category === 'message').length} msgs`);
});
