import { expect, saveScreenshot, test } from './fixtures.ts';
import path from 'node:path';
import { findShapes, required } from '../test/support/shapes.ts';
import { generateEvents, planThreads, unansweredCallThread } from '../src-main/generator/generate.ts';
import { writeSqliteStore } from '../src-main/generator/write-store.ts';
import { formatted, messageSeqs, runIds } from './expectations.ts';

test('opens a generated store and lists every thread with its name and counts', async ({ inspector, served, page }) => {
  await expect(inspector.threads.options()).toHaveCount(served.plans.length);
  await expect(inspector.threads.total()).toHaveText(String(served.plans.length));
  for (const plan of served.plans) {
    const option = inspector.threads.option(plan.thread_id);
    await expect(option).toContainText(plan.display_name);
    await expect(option).toContainText(`${formatted(messageSeqs(served.events, plan.thread_id).length)} msgs`);
    await expect(option).toContainText(`${runIds(served.events, plan.thread_id).length} runs`);
  }
  await expect(inspector.noThreadOpen()).toBeVisible();
  await saveScreenshot(page, 'threads');
});

test("the page asks for the thread list before it loads the app's code, and lists the threads from that answer", async ({ inspector, served, page }) => {
  const requested: string[] = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  await inspector.open(served.url);
  const threadLists = requested.filter((pathname) => pathname === '/api/listThreads');
  const appCode = requested.findIndex((pathname) => /\/assets\/render-app-[^/]+\.js$/.test(pathname));
  expect(appCode, "the app's code is a file of its own").toBeGreaterThan(0);
  expect(requested.indexOf('/api/listThreads')).toBeLessThan(appCode);
  expect(threadLists).toHaveLength(1);
  await expect(inspector.threads.options()).toHaveCount(served.plans.length);
});

test('moves through the thread list with the keyboard and opens a thread with Enter', async ({ inspector, served, page }) => {
  const { threads, thread } = inspector;
  const ids = await threads.optionIds();
  const nameOf = (id: string) => served.plans.find((p) => p.thread_id === id)?.display_name ?? '';

  await page.keyboard.press('/');
  await expect(threads.filter()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(threads.list()).toBeFocused();
  await expect(threads.activeOption()).toHaveAttribute('data-thread-id', ids[0]);

  await page.keyboard.press('j');
  await page.keyboard.press('ArrowDown');
  await expect(threads.activeOption()).toHaveAttribute('data-thread-id', ids[2]);
  await page.keyboard.press('k');
  await expect(threads.activeOption()).toHaveAttribute('data-thread-id', ids[1]);
  await expect(threads.openOption()).toHaveCount(0);

  await page.keyboard.press('Enter');
  await expect(threads.openOption()).toHaveAttribute('data-thread-id', ids[1]);
  await expect(thread.heading()).toHaveText(nameOf(ids[1]));

  await threads.list().focus();
  await page.keyboard.press('End');
  await expect(threads.activeOption()).toHaveAttribute('data-thread-id', ids[ids.length - 1]);
  await page.keyboard.press('Home');
  await expect(threads.activeOption()).toHaveAttribute('data-thread-id', ids[0]);

  // The filter narrows the list; Enter in it opens the first match.
  const { threadId } = findShapes(served.events);
  const target = required(served.plans.find((p) => p.thread_id === threadId), 'plan of the showcase thread');
  await page.keyboard.press('/');
  await page.keyboard.type(target.display_name);
  await expect(threads.options()).toHaveCount(served.plans.filter((p) => p.display_name.includes(target.display_name)).length);
  await page.keyboard.press('Enter');
  await expect(thread.heading()).toHaveText(target.display_name);
  await expect(thread.heading()).toBeVisible();
});

test('the open thread survives a reload of the page and of the store', async ({ inspector, served, page }) => {
  const plan = served.plans[2];
  await inspector.threads.open(plan.thread_id);
  await expect(inspector.thread.heading()).toHaveText(plan.display_name);
  await page.reload();
  await inspector.waitReady();
  await expect(inspector.thread.heading()).toHaveText(plan.display_name);
  await expect(inspector.threads.openOption()).toHaveAttribute('data-thread-id', plan.thread_id);

  // A change pushed by the server (another client deleting elsewhere) refreshes the list, keeping the selection.
  const other = served.plans[3];
  await served.call('deleteByThread', { threadId: other.thread_id });
  await expect(inspector.threads.option(other.thread_id)).toContainText('no events · from the thread list');
  await expect(inspector.threads.openOption()).toHaveAttribute('data-thread-id', plan.thread_id);
  await expect(inspector.thread.heading()).toHaveText(plan.display_name);
});

test('the thread list has the keys from the start, without a click', async ({ inspector, served }) => {
  const { threads, thread } = inspector;
  await threads.waitReady();
  await expect(threads.list()).toBeFocused();
  const ids = await threads.optionIds();
  await inspector.page.keyboard.press('j');
  await expect(threads.activeOption()).toHaveAttribute('data-thread-id', ids[1]);
  await inspector.page.keyboard.press('Enter');
  await expect(thread.heading()).toHaveText(served.plans.find((p) => p.thread_id === ids[1])?.display_name ?? '');
});

test('flags the thread whose latest run failed', async ({ inspector, served }) => {
  const { threadId } = findShapes(served.events);
  await expect(inspector.threads.mark(threadId)).toHaveText('failed');
  const others = served.plans.filter((p) => p.thread_id !== threadId && !p.legacy);
  for (const plan of others) await expect(inspector.threads.mark(plan.thread_id)).toHaveCount(0);
});

test('flags a thread whose latest run is still running: no end, and events in the last minutes', async ({ inspector, served }) => {
  const [live] = await served.write(unansweredCallThread('live-run', Date.now()));
  const [killed] = await served.write(unansweredCallThread('killed-run', Date.now() - 3_600_000));
  await inspector.reloadButton().click();
  await expect(inspector.threads.mark(live.thread_id)).toHaveText('live (still running)');
  await expect(inspector.threads.mark(live.thread_id)).toHaveAttribute('title', /no end yet/);
  // An hour without an end: killed, not running.
  await expect(inspector.threads.option(killed.thread_id)).toBeVisible();
  await expect(inspector.threads.mark(killed.thread_id)).toHaveCount(0);
});

test('says why a thread without events is listed, and what opening it shows', async ({ inspectSource, tempDir }) => {
  const options = { seed: 5, threads: 2, totalEvents: 60 };
  const db = path.join(tempDir, 'with-unused-chat.db');
  const plans = planThreads(options);
  await writeSqliteStore(db, generateEvents(options), [...plans.map(({ thread_id, display_name }) => ({ thread_id, display_name })), { thread_id: 'never-used', display_name: 'New chat' }]);
  const inspector = await inspectSource(db);
  await expect(inspector.threads.noEventsNote('never-used')).toHaveText('no events · from the thread list');
  await expect(inspector.threads.noEventsNote('never-used')).toHaveAttribute('title', /threads_meta/);
  await inspector.threads.open('never-used');
  await expect(inspector.thread.timeline.noEventsState()).toBeVisible();
  await expect(inspector.thread.timeline.noEventsReason()).toBeVisible();
});

test('"?" and the top bar\'s ? button show every keyboard shortcut', async ({ inspector, page }) => {
  const sheet = inspector.shortcutsDialog();
  await page.keyboard.press('?');
  await expect(sheet).toBeVisible();
  for (const section of ['Anywhere', 'Thread list', 'Open thread']) await expect(inspector.shortcutsSection(section)).toBeVisible();
  await expect(inspector.shortcutsSection('Anywhere')).toContainText('/Filter threads');
  await saveScreenshot(page, 'shortcuts');
  await page.keyboard.press('Escape');
  await expect(sheet).toHaveCount(0);

  // Typed into the filter box, "?" is just text.
  await inspector.threads.filter().fill('what?');
  await expect(sheet).toHaveCount(0);

  await inspector.shortcutsButton().click();
  await expect(sheet).toBeVisible();
  await inspector.shortcutsCloseButton().click();
  await expect(sheet).toHaveCount(0);
});

test.describe('a long thread list', () => {
  test.use({ storeOptions: { seed: 77, threads: 30, totalEvents: 900 } });

  test('lists the latest activity first and brings the open thread into view after a reload', async ({ inspector, served, page }) => {
    const lastActivity = (threadId: string) => Math.max(...served.events.filter((e) => e.thread_id === threadId).map((e) => Date.parse(e.created_at)));
    const ids = await inspector.threads.optionIds();
    const times = ids.map(lastActivity);
    expect(times).toEqual([...times].sort((a, b) => b - a));

    // The oldest thread sits far below the fold; opened through the URL, the list scrolls to it.
    const oldest = [...served.plans].sort((a, b) => lastActivity(a.thread_id) - lastActivity(b.thread_id))[0];
    await page.goto(`${served.url}#thread=${oldest.thread_id}`);
    await inspector.waitReady();
    await expect(inspector.threads.openOption()).toHaveAttribute('data-thread-id', oldest.thread_id);
    await expect(inspector.threads.openOption()).toBeInViewport({ ratio: 1 });
  });
});
