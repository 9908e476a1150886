import { searchableText } from '../src-main/search/searchable-text.ts';
import { foldCase } from '../src-shared/search-query.ts';
import type { RunEvent } from '../src-shared/types.ts';
import { expectedHits, messageSeqs, threadEvents, visibleMessages } from './expectations.ts';
import { expect, saveScreenshot, type ServedStore, test } from './fixtures.ts';

const bigThread = (served: ServedStore) => (served.plans.find((plan) => plan.big) ?? served.plans[0]).thread_id;

/** The timeline opens at the latest page of 100 messages: a message before those is beyond it. */
const TIMELINE_PAGE = 100;

/**
 * A tool call id from the big thread's oldest messages: it is in the AI message that made the call and in the tool
 * result that answers it, both shown by the timeline, and nowhere else, so it has exactly those two hits.
 */
function oldToolCallId(served: ServedStore): { id: string; hits: RunEvent[] } {
  const threadId = bigThread(served);
  const seqs = messageSeqs(served.events, threadId);
  const firstLoaded = seqs[seqs.length - TIMELINE_PAGE];
  const shown = new Set(visibleMessages(served.events, threadId).map((event) => event.seq));
  for (const event of served.events) {
    if (event.thread_id !== threadId || event.seq >= firstLoaded || !shown.has(event.seq)) continue;
    const calls = (event.content as { tool_calls?: { id: string }[] } | null)?.tool_calls ?? [];
    for (const { id } of calls) {
      const hits = expectedHits(served.events, id);
      if (hits.length === 2 && hits.every((hit) => hit.thread_id === threadId && shown.has(hit.seq) && hit.seq < firstLoaded)) return { id, hits };
    }
  }
  throw new Error('the e2e store has no old tool call answered in view');
}

test('typing a query lists its hits newest first, each match highlighted, more as the list scrolls', async ({ inspector, served, page }) => {
  const { search } = inspector;
  const query = 'search';
  const expected = expectedHits(served.events, query);
  expect(expected.length).toBeGreaterThan(100);

  await page.keyboard.press('Control+k');
  await expect(search.field).toBeFocused();
  await page.keyboard.type(query);
  await search.waitAnswered(query);

  const first = search.hit(expected[0].thread_id, expected[0].seq);
  await expect(search.hits().first()).toHaveAttribute('data-seq', String(expected[0].seq));
  await expect(first).toHaveAttribute('data-thread-id', expected[0].thread_id);
  await expect(first).toContainText(expected[0].event_type);
  await expect(first).toContainText(expected[0].run_id);
  // Every match in the snippet is a <mark>, and a mark holds nothing but a match.
  const marks = await search.marks(first).allTextContents();
  expect(marks.length).toBeGreaterThan(0);
  for (const mark of marks) expect(foldCase(mark)).toBe(query);
  await expect(search.statusLine()).toContainText('50 hits so far in the whole source');
  await saveScreenshot(page, 'search-results');

  // Scrolling loads the next page, and the next, to the last hit.
  await search.scrollToEnd();
  await expect.poll(() => search.loadedCount()).toBe(100);
  await search.scrollToEnd();
  await expect.poll(() => search.loadedCount()).toBe(expected.length);
  await expect(search.results).toHaveAttribute('data-done', 'true');
  await expect(search.statusLine()).toContainText(`${expected.length} hits in the whole source`);
  const last = expected[expected.length - 1];
  await search.scrollToEnd();
  await expect(search.hit(last.thread_id, last.seq)).toBeInViewport();

  // Esc closes the results and gives the focus back.
  await search.field.press('Escape');
  await expect(search.results).toBeHidden();
  await expect(inspector.threads.list()).toBeFocused();
});

test('while the index is being built, its progress shows and the hits say they are only what it has reached', async ({ inspector, page }) => {
  const { search } = inspector;
  // The real index is let finish first: its own progress and its "ready" push would replace the one made up here.
  await search.field.click();
  await search.search('tool');
  await expect(search.indexProgress()).toHaveCount(0);
  // The e2e store is indexed in a blink: the answers say it is a third of the way.
  await page.route('**/api/search', async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { result: { index: unknown } };
    body.result.index = { state: 'building', indexed: 300, total: 900 };
    await route.fulfill({ response, json: body });
  });
  await search.search('search');
  await expect(search.indexProgress()).toHaveText('Indexing 33%');
  await expect(search.indexProgress()).toHaveAttribute('aria-valuenow', '300');
  await expect(search.statusLine()).toContainText('the index is still being built');
});

test('a hit beyond the loaded messages opens at it, highlighted; F3, Shift+F3, ▼ and ▲ step through the hits', async ({ inspector, served, page }) => {
  const { search } = inspector;
  const { id, hits } = oldToolCallId(served);
  const threadId = bigThread(served);

  await inspector.threads.open(threadId);
  await inspector.thread.timeline.waitReady();
  expect(await inspector.thread.timeline.firstLoadedSeq()).toBeGreaterThan(hits[0].seq);

  await search.field.click();
  await search.search(id);
  await expect(search.hits()).toHaveCount(2);
  await expect(search.statusLine()).toHaveText('2 hits in the whole source');

  // ↓ and Enter open the second hit; the timeline fetches the pages around it.
  await search.field.press('ArrowDown');
  await expect(search.activeHit()).toHaveAttribute('data-seq', String(hits[1].seq));
  await search.field.press('Enter');
  await expect(search.results).toBeHidden();
  await expect(search.openedMessage(hits[1].seq)).toBeInViewport();
  await inspector.detail.waitShowing(hits[1].seq);
  await expect(search.position()).toHaveText('2 / 2');
  await saveScreenshot(page, 'search-opened-message');

  // Shift+F3 goes back to the newer one, F3 forward again, without the list.
  await page.keyboard.press('Shift+F3');
  await expect(search.openedMessage(hits[0].seq)).toBeInViewport();
  await inspector.detail.waitShowing(hits[0].seq);
  await expect(search.position()).toHaveText('1 / 2');
  await search.nextButton().click();
  await expect(search.openedMessage(hits[1].seq)).toBeInViewport();
  await expect(search.position()).toHaveText('2 / 2');
  await search.previousButton().click();
  await expect(search.openedMessage(hits[0].seq)).toBeInViewport();
  await expect(search.position()).toHaveText('1 / 2');
});

/**
 * A hide_from_ui message (the store's are the title middleware's; none of a subagent, which the Subagent toggle, on by
 * default, would show) and a phrase of its own that no other event holds: its one hit.
 */
function hiddenMessageHit(served: ServedStore): { event: RunEvent; query: string } {
  for (const { thread_id } of served.plans) {
    const shown = new Set(visibleMessages(served.events, thread_id));
    for (const event of threadEvents(served.events, thread_id)) {
      if (event.category !== 'message' || shown.has(event) || String(event.metadata.caller ?? '').startsWith('subagent:')) continue;
      for (const value of searchableText(event).split('\n')) {
        const query = `"${value}"`;
        if (value.length < 8 || value.length > 200 || value.includes('"')) continue;
        const hits = expectedHits(served.events, query);
        if (hits.length === 1 && hits[0] === event) return { event, query };
      }
    }
  }
  throw new Error('the e2e store has no hidden message with a phrase of its own');
}

test('a hit on a hidden message opens the timeline with hidden messages shown, at the message', async ({ inspector, served }) => {
  const { search } = inspector;
  const { timeline } = inspector.thread;
  const { event, query } = hiddenMessageHit(served);

  await search.field.click();
  await search.search(query);
  await expect(search.hits()).toHaveCount(1);
  await expect(search.snippet(search.hit(event.thread_id, event.seq))).toContainText(query.slice(1, -1));
  await search.field.press('Enter');
  await expect(search.openedMessage(event.seq)).toBeInViewport();
  await expect(timeline.messageToggle('Hidden')).toBeChecked();
  await inspector.detail.waitShowing(event.seq);
});

test('an event that is no message opens in its run’s trace, selected; errors only merges both kinds of error', async ({ inspector, served, page }) => {
  const { search } = inspector;
  const query = 'error';
  const isError = (event: RunEvent) => event.category === 'error' || event.event_type === 'llm.error';
  const everything = expectedHits(served.events, query);
  const errors = expectedHits(served.events, query, isError);
  expect(errors.some((event) => event.category === 'error')).toBe(true);
  expect(errors.some((event) => event.event_type === 'llm.error' && event.category !== 'error')).toBe(true);
  expect(everything.length).toBeGreaterThan(errors.length);

  await search.field.click();
  await search.search(query);
  await search.errorsOnlyChip().click();
  await expect(search.errorsOnlyChip()).toHaveAttribute('aria-pressed', 'true');
  await search.waitScoped('errors only');
  await expect
    .poll(async () => {
      await search.scrollToEnd();
      return search.loadedCount();
    })
    .toBe(errors.length);
  await expect(search.results).toHaveAttribute('data-done', 'true');
  await search.results.evaluate((el) => {
    el.scrollTop = 0;
  });
  await expect(search.hits().first()).toHaveAttribute('data-seq', String(errors[0].seq));
  await expect(search.hits().first()).toHaveAttribute('data-thread-id', errors[0].thread_id);

  // An llm.error (category trace) opens its run's trace at it.
  const llmError = errors.find((event) => event.category !== 'message') as RunEvent;
  const index = errors.indexOf(llmError);
  for (let step = 0; step < index; step++) await search.field.press('ArrowDown');
  await expect(search.activeHit()).toHaveAttribute('data-seq', String(llmError.seq));
  await search.activeHit().click();
  const { trace } = inspector.thread;
  await trace.waitReady();
  await expect(trace.runSelect()).toHaveValue(llmError.run_id);
  await expect(trace.row(llmError.seq)).toHaveAttribute('aria-selected', 'true');
  await expect(trace.row(llmError.seq)).toBeInViewport();
  await inspector.detail.waitShowing(llmError.seq);
  await expect(search.filteredFlag()).toHaveText('errors only');
  await saveScreenshot(page, 'search-opened-trace');
});

test('scope chips narrow the search to the open thread and to the open run', async ({ inspector, served }) => {
  const { search } = inspector;
  const threadId = bigThread(served);
  const plan = served.plans.find((p) => p.thread_id === threadId);
  const query = 'the';
  const inThread = expectedHits(served.events, query, (event) => event.thread_id === threadId);

  await expect(search.scopeChip('In this thread')).toBeHidden();
  await inspector.threads.open(threadId);
  await inspector.thread.timeline.waitReady();
  await search.field.click();
  await search.search(query);
  await search.scopeChip('In this thread').click();
  await search.waitScoped(`in thread ${plan?.display_name ?? threadId}`);
  await expect.poll(() => search.loadedCount()).toBe(Math.min(50, inThread.length));
  await expect(search.hits().first()).toHaveAttribute('data-seq', String(inThread[0].seq));
  for (const thread of await search.hits().evaluateAll((rows) => rows.map((row) => row.getAttribute('data-thread-id')))) expect(thread).toBe(threadId);

  // In a run's trace, the run chip narrows it to that run.
  const runId = inThread[inThread.length - 1].run_id;
  const inRun = inThread.filter((event) => event.run_id === runId);
  await search.field.press('Escape');
  await inspector.thread.tab('Trace').click();
  await inspector.thread.trace.runSelect().selectOption(runId);
  await inspector.thread.trace.waitReady();
  await search.scopeChip('In this run').click();
  await search.field.click();
  await search.waitScoped(`in run ${runId}`);
  await expect.poll(() => search.loadedCount()).toBe(Math.min(50, inRun.length));
  await expect(search.hits().first()).toHaveAttribute('data-seq', String(inRun[0].seq));
});

test('no hits says so with the scope and the filters; a refused query is shown inline', async ({ inspector, expectRefusals }) => {
  expectRefusals({ method: 'search', status: 400 });
  const { search } = inspector;
  await search.field.click();
  await search.search('zzqx-nowhere');
  await expect(search.hits()).toHaveCount(0);
  await expect(search.statusLine()).toHaveText('No event matches “zzqx-nowhere” in the whole source.');

  await search.categoryChip('trace').click();
  await search.waitScoped('category trace');
  await expect(search.statusLine()).toHaveText('No event matches “zzqx-nowhere” in the whole source · category trace.');

  await search.field.fill('x'.repeat(501));
  await expect(search.error()).toContainText('500');
  await expect(search.field).toBeEditable();
});

test('Ctrl+Shift+F and Meta+K focus the field, “/” still filters threads, and the shortcuts sheet lists the search keys', async ({ inspector, page }) => {
  const { search } = inspector;
  await page.keyboard.press('Control+Shift+F');
  await expect(search.field).toBeFocused();
  await search.field.press('Escape');
  await page.keyboard.press('/');
  await expect(inspector.threads.filter()).toBeFocused();
  await page.keyboard.press('Meta+k');
  await expect(search.field).toBeFocused();

  await search.field.press('Escape');
  await inspector.shortcutsButton().click();
  const section = inspector.shortcutsSection('Search');
  await expect(section).toContainText('Ctrl+K');
  await expect(section).toContainText('Ctrl+Shift+F');
  await expect(section).toContainText('F3');
});
