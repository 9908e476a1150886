// Following a store another process writes while the page is open (issue 12,
// Live tail). The writer is DeerFlow's stand-in (test/support/live-writer.ts,
// its SQL and row encoding, or its JSONL appends) in a process of its own;
// `serve` notices each commit and pushes it. Nothing here reloads: each
// change must arrive alone, within the 2 s of its commit.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { EventInput } from '../src-shared/types.ts';
import { unansweredCallThread } from '../src-main/generator/generate.ts';
import { createVintageDatabase, journalModeOf } from '../test/support/deerflow-databases.ts';
import { expect, type LiveWriter, test } from './fixtures.ts';
import { countBy, messageSeqs, runEvents, runIds } from './expectations.ts';
import { findShapes } from '../test/support/shapes.ts';
import { LivePane } from './pages/live.ts';

const LIVE_MS = 2_000;

/** An assertion's time limit: what is left of the 2 s since the commit (by default, since now). */
function seenWithin(committedAt = Date.now()) {
  return { timeout: Math.max(1, committedAt + LIVE_MS - Date.now()) };
}

const live = (page: Page) => new LivePane(page);

/** The writer on the served database: DeerFlow's SQL beside the app. */
const servedWriter = (startWriter: (kind: 'sqlite', target: string) => Promise<LiveWriter>, dir: string) => startWriter('sqlite', path.join(dir, 'store.db'));

const SOURCES = [
  { mode: 'wal', label: 'database in WAL mode' },
  { mode: 'delete', label: 'database in rollback-journal mode' },
  { mode: 'jsonl', label: 'JSONL layout' },
] as const;

for (const { mode, label } of SOURCES) {
  test(`a DeerFlow writer's ${label}: what it adds to the open thread, a new thread and a deleted run are each seen within 2 s, the counts right`, async ({
    tempDir,
    startWriter,
    inspectSource,
    page,
  }) => {
    let source: string;
    if (mode === 'jsonl') {
      source = path.join(tempDir, '.deer-flow');
      mkdirSync(path.join(source, 'threads'), { recursive: true });
    } else {
      source = path.join(tempDir, 'deerflow.db');
      createVintageDatabase(source, 'current', { events: [] }, mode);
    }
    const writer = await startWriter(mode === 'jsonl' ? 'jsonl' : 'sqlite', source);
    await writer.send({ op: 'append', thread: 'open', run: 'r1', count: 3 });
    await writer.send({ op: 'append', thread: 'open', run: 'r2', count: 2 });
    await writer.send({ op: 'append', thread: 'other', run: 'r1', count: 1 });
    const inspector = await inspectSource(source);
    const { timeline } = inspector.thread;
    await inspector.threads.open('open');
    await timeline.waitReady();
    await expect(timeline.messages()).toHaveCount(5);
    await live(page).markDocument();

    const added = await writer.send({ op: 'append', thread: 'open', run: 'r2', count: 2 });
    await expect(timeline.message(added.seqs!.at(-1)!)).toBeInViewport(seenWithin(added.at));
    await expect(inspector.thread.tabCount('Messages')).toHaveText('7', seenWithin(added.at));
    await expect(inspector.threads.option('open')).toContainText('7 msgs', seenWithin(added.at));
    expect(await timeline.isScrolledToEnd()).toBe(true);

    const started = await writer.send({ op: 'append', thread: 'new', run: 'r1', count: 2 });
    await expect(inspector.threads.total()).toHaveText('3', seenWithin(started.at));
    await expect(inspector.threads.option('new')).toContainText('2 msgs', seenWithin(started.at));

    const deleted = await writer.send({ op: 'deleteRun', thread: 'open', run: 'r1' });
    await expect(timeline.messages()).toHaveCount(4, seenWithin(deleted.at));
    await expect(inspector.thread.tabCount('Messages')).toHaveText('4', seenWithin(deleted.at));
    await expect(inspector.thread.tabCount('Runs')).toHaveText('1', seenWithin(deleted.at));
    await expect(inspector.threads.option('open')).toContainText('1 run', seenWithin(deleted.at));

    expect(await live(page).documentKept(), 'no reload').toBe(true);
    if (mode !== 'jsonl') expect(journalModeOf(source)).toBe(mode);
  });
}

test('at the end of the timeline, new messages appear and the view stays at the end', async ({ inspector, served, startWriter, page }) => {
  const threadId = served.plans[0].thread_id;
  const { timeline } = inspector.thread;
  const writer = await servedWriter(startWriter, served.dir);
  await inspector.threads.open(threadId);
  await timeline.waitReady();
  await expect.poll(() => timeline.isScrolledToEnd()).toBe(true);

  const written = await writer.send({ op: 'append', thread: threadId, run: 'live-run-end', count: 3 });
  await expect(timeline.message(written.seqs![2])).toBeInViewport(seenWithin(written.at));
  await expect.poll(() => timeline.isScrolledToEnd()).toBe(true);
  await expect(live(page).newMessagesPill()).toHaveCount(0);
  await expect(inspector.thread.tabCount('Messages')).toHaveText(String(messageSeqs(served.events, threadId).length + 3), seenWithin(written.at));
});

test('scrolled up, new messages are counted on a pill that jumps to them; the view stays where it was', async ({ inspector, served, startWriter, page }) => {
  const threadId = served.plans[0].thread_id;
  const { timeline } = inspector.thread;
  const writer = await servedWriter(startWriter, served.dir);
  await inspector.threads.open(threadId);
  await timeline.waitReady();
  await timeline.scrollToTop();
  const before = await timeline.settledFirstVisibleRow();

  const written = await writer.send({ op: 'append', thread: threadId, run: 'live-run-up', count: 3 });
  await expect(live(page).newMessagesPill()).toHaveAccessibleName('3 new messages', seenWithin(written.at));
  expect(await timeline.settledFirstVisibleRow()).toEqual(before);

  await live(page).newMessagesPill().click();
  await expect(timeline.message(written.seqs![2])).toBeInViewport();
  await expect(live(page).newMessagesPill()).toHaveCount(0);
});

test('opened at its start, a long thread counts on its pill only what was written after it opened', async ({ inspector, served, startWriter, page }) => {
  const { bigThreadId } = findShapes(served.events);
  const { timeline } = inspector.thread;
  const writer = await servedWriter(startWriter, served.dir);
  await inspector.threads.open(bigThreadId);
  await timeline.waitReady();
  await timeline.jumpToStartButton().click();
  await expect(timeline.scroller).toHaveAttribute('data-has-newer', 'true');
  await timeline.waitReady();

  const written = await writer.send({ op: 'append', thread: bigThreadId, run: 'live-run-start', count: 2 });
  await expect(live(page).newMessagesPill()).toHaveAccessibleName('2 new messages', seenWithin(written.at));
  await live(page).newMessagesPill().click();
  await expect(timeline.message(written.seqs![1])).toBeInViewport();
});

test('a thread another process writes again is read again: rows deleted inside a kept run leave, rows written again under low seqs appear', async ({
  tempDir,
  startWriter,
  inspectSource,
  page,
}) => {
  const source = path.join(tempDir, 'deerflow.db');
  createVintageDatabase(source, 'current', { events: [] }, 'wal');
  const writer = await startWriter('sqlite', source);
  await writer.send({ op: 'append', thread: 'open', run: 'r1', count: 5 });
  const inspector = await inspectSource(source);
  const { timeline } = inspector.thread;
  await inspector.threads.open('open');
  await timeline.waitReady();
  await expect(timeline.messages()).toHaveCount(5);
  const before = await timeline.message(1).textContent();
  await live(page).markDocument();

  // The same run, fewer events, under the same first seqs.
  const shorter = await writer.send({ op: 'rewriteThread', thread: 'open', run: 'r1', count: 2 });
  await expect(timeline.messages()).toHaveCount(2, seenWithin(shorter.at));
  await expect(timeline.message(1)).not.toHaveText(before ?? '', seenWithin(shorter.at));
  await expect(inspector.thread.tabCount('Messages')).toHaveText('2', seenWithin(shorter.at));

  // Another run in its place, under seqs the window had already passed.
  const again = await writer.send({ op: 'rewriteThread', thread: 'open', run: 'r2', count: 3 });
  await expect(timeline.messages()).toHaveCount(3, seenWithin(again.at));
  await expect(timeline.message(again.seqs![2])).toBeInViewport(seenWithin(again.at));
  await expect(inspector.thread.tabCount('Runs')).toHaveText('1', seenWithin(again.at));
  expect(await live(page).documentKept(), 'no reload').toBe(true);
});

test('a thread another process starts appears in the list with its counts', async ({ inspector, served, startWriter }) => {
  const total = served.plans.length;
  const writer = await servedWriter(startWriter, served.dir);
  const written = await writer.send({ op: 'append', thread: 'live-new-thread', run: 'live-new-run', count: 2 });
  await expect(inspector.threads.total()).toHaveText(String(total + 1), seenWithin(written.at));
  await expect(inspector.threads.option('live-new-thread')).toContainText('2 msgs', seenWithin(written.at));
  await expect(inspector.threads.option('live-new-thread')).toContainText('1 run', seenWithin(written.at));
});

test('a run another process deletes leaves the timeline, the Runs tab and the thread list, with the counts right', async ({ inspector, served, startWriter }) => {
  const threadId = served.plans[0].thread_id;
  const runs = runIds(served.events, threadId);
  const messages = served.events.filter((e) => e.thread_id === threadId && e.category === 'message');
  const lastMessage = messages[messages.length - 1];
  const doomedMessages = messages.filter((e) => e.run_id === lastMessage.run_id).length;
  const { timeline } = inspector.thread;
  const writer = await servedWriter(startWriter, served.dir);
  await inspector.threads.open(threadId);
  await timeline.waitReady();
  await expect(timeline.message(lastMessage.seq)).toBeVisible();

  const deleted = await writer.send({ op: 'deleteRun', thread: threadId, run: lastMessage.run_id });
  await expect(timeline.message(lastMessage.seq)).toHaveCount(0, seenWithin(deleted.at));
  await expect(inspector.thread.tabCount('Runs')).toHaveText(String(runs.length - 1), seenWithin(deleted.at));
  await expect(inspector.thread.tabCount('Messages')).toHaveText(String(messages.length - doomedMessages), seenWithin(deleted.at));
  await expect(inspector.threads.option(threadId)).toContainText(`${runs.length - 1} run`, seenWithin(deleted.at));
});

test('the Live switch pauses following, counts what waits, and applies it when on again; it is remembered for the session', async ({ inspector, served, startWriter, page }) => {
  const threadId = served.plans[0].thread_id;
  const toggle = live(page).toggle();
  const { timeline } = inspector.thread;
  const writer = await servedWriter(startWriter, served.dir);
  await inspector.threads.open(threadId);
  await timeline.waitReady();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(toggle).toHaveAccessibleName('Live');

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(toggle).toHaveAccessibleName('Live · paused');
  const paused = await writer.send({ op: 'append', thread: threadId, run: 'live-run-paused', count: 1 });
  await expect(toggle).toHaveAccessibleName('Live · paused (1 change)', seenWithin(paused.at));
  const other = await writer.send({ op: 'append', thread: 'live-paused-thread', run: 'live-run-paused-2', count: 1 });
  await expect(toggle).toHaveAccessibleName('Live · paused (2 changes)', seenWithin(other.at));
  // The views kept what they showed.
  await expect(timeline.message(paused.seqs![0])).toHaveCount(0);
  await expect(inspector.threads.option('live-paused-thread')).toHaveCount(0);

  await toggle.click();
  await expect(toggle).toHaveAccessibleName('Live');
  await expect(timeline.message(paused.seqs![0])).toBeInViewport(seenWithin());
  await expect(inspector.threads.option('live-paused-thread')).toBeVisible(seenWithin());

  await toggle.click();
  await page.reload();
  await inspector.waitReady();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
});

test('a run still running is badged live in the thread list, at its boundary, in the runs table and in its trace header', async ({ inspector, served, page }) => {
  // No runs row and no end, its events of just now: running by the clock rule.
  const [first] = await served.write(unansweredCallThread('live-running', Date.now()));
  await expect(live(page).threadBadge(first.thread_id)).toHaveText('live (still running)', seenWithin());
  await inspector.threads.open(first.thread_id);
  await inspector.thread.timeline.waitReady();
  await expect(live(page).boundaryBadge(first.run_id)).toBeVisible();
  await inspector.thread.tab('Runs').click();
  await inspector.thread.waitRunsReady();
  await expect(live(page).runsTableBadge(first.run_id)).toBeVisible();
  await inspector.thread.traceButtonOfRun(first.run_id).click();
  await expect(live(page).traceHeaderBadge()).toBeVisible();
});

/** `count` trace events of a run, as a running agent appends them. */
function traceEvents(threadId: string, runId: string, count: number): EventInput[] {
  return Array.from({ length: count }, (_, i) => ({ thread_id: threadId, run_id: runId, event_type: 'llm.request', category: 'trace', content: { live: i }, metadata: {} }));
}

test("a run's trace follows its new events at the end of its list, and counts them on a pill elsewhere", async ({ inspector, served, page }) => {
  const { trace } = inspector.thread;
  // A short run: its whole list is in view, so the view is at its end.
  const [first] = await served.write(unansweredCallThread('live-trace', Date.now()));
  await inspector.threads.open(first.thread_id);
  await inspector.thread.timeline.waitReady();
  await inspector.thread.timeline.traceButton(first.run_id).click();
  await trace.waitReady();
  const shown = Number(await trace.list().getAttribute('data-count'));
  const appended = await served.write(traceEvents(first.thread_id, first.run_id, 3));
  await expect(trace.list()).toHaveAttribute('data-count', String(shown + 3), seenWithin());
  await expect(trace.row(appended[2].seq)).toBeInViewport(seenWithin());
  await expect(live(page).newEventsPill()).toHaveCount(0);

  // The big thread's longest run, viewed from its first event: the new ones wait on the pill.
  const { bigThreadId } = findShapes(served.events);
  const [longest] = [...countBy(served.events.filter((e) => e.thread_id === bigThreadId), (e) => e.run_id)].reduce((a, b) => (b[1] > a[1] ? b : a));
  await inspector.threads.open(bigThreadId);
  await inspector.thread.openRunTrace(longest);
  await trace.waitReady();
  const more = await served.write(traceEvents(bigThreadId, longest, 2));
  await expect(live(page).newEventsPill()).toHaveAccessibleName('2 new events', seenWithin());
  await live(page).newEventsPill().click();
  await expect(trace.row(more[1].seq)).toBeInViewport();
  await expect(live(page).newEventsPill()).toHaveCount(0);
});

test("narrowing the trace's filter reads its list once: a lower count of matching events is not taken for a delete", async ({ inspector, served, page }) => {
  const { threadId, image } = findShapes(served.events);
  const { trace } = inspector.thread;
  const subagentEvents = runEvents(served.events, threadId, image.run_id).filter((e) => e.category === 'subagent');
  await inspector.threads.open(threadId);
  await inspector.thread.openRunTrace(image.run_id);
  await trace.waitReady();
  const listReads: unknown[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/listEvents') && (request.postDataJSON() as { afterSeq?: number }).afterSeq === 0) listReads.push(request.postDataJSON());
  });

  await trace.categoryChip('subagent').click();
  await expect(trace.list()).toHaveAttribute('data-count', String(subagentEvents.length));
  await trace.waitReady();
  expect(listReads).toHaveLength(1);
});
