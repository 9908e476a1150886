import type { EventInput } from '../src-shared/types.ts';
import { expect, test } from './fixtures.ts';

const THREAD = 'xss-thread';
const SCRIPT = '<script>window.__pwned = "script"</script>';
const IMG = '<img src=x onerror="window.__pwned = \'img\'">';
const TYPE = '<img src=x onerror=alert(1)>';

function hostileEvents(): EventInput[] {
  const base = { thread_id: THREAD, run_id: 'run-1' };
  return [
    { ...base, event_type: 'run.start', category: 'trace', content: { chain: IMG } },
    { ...base, event_type: 'llm.human.input', category: 'message', content: { type: 'human', content: `Question ${SCRIPT}` } },
    { ...base, event_type: 'llm.ai.response', category: 'message', content: `Answer ${IMG} and **bold** [link](javascript:alert(1)) [docs](https://example.com/docs)` },
    { ...base, event_type: TYPE, category: 'trace', content: `${SCRIPT}${IMG}`, metadata: { note: IMG } },
  ];
}

test('event content holding <script> and <img onerror> renders as text and runs nothing', async ({ inspector, served, page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const stored = await served.write(hostileEvents());
  await inspector.reloadButton().click();
  // No display name: the row is titled with the first human message, as text.
  await expect(inspector.threads.option(THREAD)).toContainText(`Question ${SCRIPT}`);
  await inspector.threads.open(THREAD);
  const { timeline, trace } = inspector.thread;
  await timeline.waitReady();

  await expect(timeline.message(stored[1].seq)).toContainText(SCRIPT);
  await expect(timeline.message(stored[2].seq)).toContainText(IMG);
  await expect(timeline.scroller.locator('script, img, [onerror]')).toHaveCount(0);
  await expect(timeline.scroller.locator('a[href^="javascript:"]')).toHaveCount(0);
  // The javascript: link is inert text that a click cannot follow; the http(s) one opens outside the page.
  const url = page.url();
  await timeline.inertLink(stored[2].seq, 'link').click();
  expect(page.url()).toBe(url);
  await expect(timeline.links(stored[2].seq)).toHaveCount(1);
  await expect(timeline.links(stored[2].seq)).toHaveAttribute('href', 'https://example.com/docs');
  await expect(timeline.links(stored[2].seq)).toHaveAttribute('target', '_blank');
  await expect(timeline.links(stored[2].seq)).toHaveAttribute('rel', 'noopener noreferrer');

  // The trace row and the detail pane show the same strings as text.
  await inspector.thread.tab('Trace').click();
  await trace.waitReady();
  await expect(trace.row(stored[3].seq)).toContainText(TYPE);
  await trace.row(stored[3].seq).click();
  await inspector.detail.waitShowing(stored[3].seq);
  await expect(inspector.detail.content()).toContainText(`${SCRIPT}${IMG}`);
  await expect(inspector.detail.metadata()).toContainText('onerror');
  await expect(page.locator('main script, aside script, main img, aside img, [onerror]')).toHaveCount(0);

  expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
});
