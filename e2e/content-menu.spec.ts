// The context menu on content (issue 9, point 7): on a timeline message by
// right click, on a trace row from the keyboard; each item copies what it
// says, and the link it copies opens that event.
import { findShapes } from '../test/support/shapes.ts';
import { expect, test } from './fixtures.ts';
import { messageSeqs, runEvents } from './expectations.ts';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('a message: Copy, Copy as JSON and Copy seq link, by right click', async ({ inspector, served, page }) => {
  const plan = served.plans[0];
  const seq = messageSeqs(served.events, plan.thread_id).at(-1)!;
  const stored = served.events.find((event) => event.thread_id === plan.thread_id && event.seq === seq)!;
  const { timeline } = inspector.thread;
  const menu = inspector.contentMenu;
  await inspector.threads.open(plan.thread_id);
  await timeline.waitReady();

  await timeline.message(seq).click({ button: 'right' });
  await expect(menu.menu()).toHaveAccessibleName(`Seq ${seq}`);
  await expect(menu.item('Copy')).toBeFocused();
  await menu.item('Copy as JSON').click();
  await expect(inspector.notice()).toContainText(`Copied seq ${seq} as JSON.`);
  expect(JSON.parse(await inspector.clipboardText())).toMatchObject({ thread_id: plan.thread_id, seq, event_type: stored.event_type });

  await timeline.message(seq).click({ button: 'right' });
  await menu.item('Copy').click();
  expect(await inspector.clipboardText()).toBe(await timeline.message(seq).innerText());

  await timeline.message(seq).click({ button: 'right' });
  await menu.item('Copy seq link').click();
  await expect(inspector.notice()).toContainText(`Copied a link to seq ${seq}.`);
  const link = new URL(await inspector.clipboardText());
  expect(link.searchParams.has('token')).toBe(false);
  expect(new URLSearchParams(link.hash.slice(1)).get('event')).toBe(String(seq));
  await page.goto(link.href);
  await inspector.detail.waitShowing(seq);
});

test('a trace row from the keyboard: Shift+F10 opens the menu on the current row, arrows move, Escape closes', async ({ inspector, served }) => {
  const { threadId, image } = findShapes(served.events);
  const first = runEvents(served.events, threadId, image.run_id)[0];
  const { thread } = inspector;
  const menu = inspector.contentMenu;
  await inspector.threads.open(threadId);
  await thread.tab('Runs').click();
  await thread.waitRunsReady();
  await thread.traceButtonOfRun(image.run_id).click();
  await thread.trace.waitReady();
  await thread.trace.row(first.seq).click();
  await thread.trace.list().focus();

  await thread.trace.list().press('Shift+F10');
  await expect(menu.menu()).toHaveAccessibleName(`Seq ${first.seq}`);
  await expect(menu.item('Copy')).toBeFocused();
  await menu.menu().press('ArrowDown');
  await expect(menu.item('Copy as JSON')).toBeFocused();
  await menu.menu().press('ArrowUp');
  await menu.menu().press('ArrowUp');
  await expect(menu.item('Copy seq link')).toBeFocused();
  await menu.menu().press('Escape');
  await expect(menu.menu()).toHaveCount(0);
  await expect(thread.trace.list()).toBeFocused();
});
