// The UI's speed figures of issues 4, 11 and 12, measured in browser mode with
// Playwright on a generated store: `node bench/ui.bench.ts [--store FILE]
// [--events N]`. Without --store it uses the store benchmark's
// 1,000,000-event database under bench/data/ when there is one, else
// generates one there (with a 10,000-event run, thread-long-run, for the
// waterfall's figures, which need that thread). It prints each figure with
// its target; a measurement, not a test: exits 0 once done.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import type { EventInput, RunSummary, ThreadSummary } from '../src-shared/types.ts';
import { LONG_RUN_THREAD_ID } from '../src-main/generator/generate.ts';
import { openSqliteStore } from '../src-main/store/sqlite/sqlite-store.ts';
import { startServe } from '../e2e/serve-process.ts';
import { buildIfStale, CHROMIUM_ARGS, findChromium, INSTALL_HINT } from '../scripts/browser-setup.ts';
import { MAX_LOADED } from '../src-renderer/messages/message-window.ts';
import { log, printTable, record } from './figures.ts';

const DATA_ROOT = path.join(import.meta.dirname, 'data');
const GENERATE_CLI = path.join(import.meta.dirname, '..', 'src-main', 'generator', 'generate-cli.ts');
/** A page of older messages must land before the next Home key press; generous for a loaded machine. */
const PAGE_WAIT_MS = 30_000;
/** The run the waterfall's figures are measured on (issue 11). */
const LONG_RUN_EVENTS = 10_000;
/** The app's own marks (src-renderer/trace/waterfall): the runSummary answer arrived, the first rows were painted. */
const SUMMARY_ARRIVED_MARK = 'run-summary:arrived';
const WATERFALL_PAINTED_MARK = 'waterfall:painted';
/** A frame at 60 Hz lasts 16.7 ms: an interval between two frames past this one dropped at least one. */
const DROPPED_FRAME_MS = 25;

/** Runs the generator with `args` into `file`, its folder made first. */
function generateStore(file: string, args: string[]): string {
  mkdirSync(path.dirname(file), { recursive: true });
  log(`generating ${path.relative(process.cwd(), file)} …`);
  if (spawnSync(process.execPath, [GENERATE_CLI, ...args, '--out', file], { stdio: ['ignore', 'inherit', 'inherit'] }).status !== 0) throw new Error('the generator failed');
  return file;
}

/** The store benchmark's database of this size if it exists, else one generated under bench/data/ui-…. */
function findOrGenerateStore(events: number, seed: number): string {
  const existing = existsSync(DATA_ROOT)
    ? readdirSync(DATA_ROOT)
        .filter((name) => name.startsWith(`store-e${events}-`))
        .map((name) => path.join(DATA_ROOT, name, 'store.db'))
        .find((file) => existsSync(file))
    : undefined;
  if (existing) return existing;
  const dir = path.join(DATA_ROOT, `ui-e${events}-l${LONG_RUN_EVENTS}-s${seed}`);
  const file = path.join(dir, 'store.db');
  if (existsSync(file)) return file;
  return generateStore(file, ['--seed', String(seed), '--events', String(events), '--threads', String(Math.max(2, Math.round(events / 500))), '--big-thread', String(Math.round(events / 5)), '--long-run', String(LONG_RUN_EVENTS)]);
}

/** Installs in-page probes: long tasks, the most timeline rows ever in the DOM, and the time the first message of a thread appears. */
async function installProbes(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const probes = { longTasks: [] as number[], maxRows: 0, clickAt: 0, firstMessageAt: 0 };
    (window as unknown as { __probes: typeof probes }).__probes = probes;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) probes.longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
    document.addEventListener('click', () => (probes.clickAt = performance.now()), true);
    new MutationObserver(() => {
      const timeline = document.querySelector('[data-testid="timeline"]');
      if (!timeline) return;
      const rows = timeline.querySelectorAll('[data-index]').length;
      if (rows > probes.maxRows) probes.maxRows = rows;
      if (!probes.firstMessageAt && probes.clickAt && timeline.querySelector('article')) probes.firstMessageAt = performance.now();
    }).observe(document, { childList: true, subtree: true });
  });
}

interface Probes {
  longTasks: number[];
  maxRows: number;
  clickAt: number;
  firstMessageAt: number;
}
const probes = (page: Page) => page.evaluate(() => (window as unknown as { __probes: Probes }).__probes);

async function benchThreadList(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready === 'true' && document.querySelector('[role="option"]') !== null, null, { timeout: 60_000 });
  const visibleAt = await page.evaluate(() => performance.now());
  record({ name: 'thread list visible after the page starts loading', value: visibleAt, unit: 'ms', target: { atMost: 1000 } });
}

async function benchOpenBigThread(page: Page, big: ThreadSummary): Promise<void> {
  // The list is virtualized: the filter brings the big thread's row into view.
  await page.getByRole('searchbox', { name: 'Filter threads' }).fill(big.thread_id);
  const option = page.locator(`[role="option"][data-thread-id="${big.thread_id}"]`);
  await option.waitFor();
  await page.evaluate(() => {
    const p = (window as unknown as { __probes: Probes }).__probes;
    p.longTasks.length = 0;
    p.clickAt = 0;
    p.firstMessageAt = 0;
  });
  await option.click();
  await page.waitForFunction(() => (window as unknown as { __probes: Probes }).__probes.firstMessageAt > 0, null, { timeout: 60_000 });
  const { clickAt, firstMessageAt } = await probes(page);
  record({
    name: `latest messages of the ${big.event_count.toLocaleString('en-US')}-event thread shown after the click`,
    value: firstMessageAt - clickAt,
    unit: 'ms',
    target: { atMost: 300 },
  });
}

/** The overview strip's marks (src-renderer/messages/OverviewStrip.tsx): its first picture is drawn; its markers are. */
const OVERVIEW_DRAWN_MARK = 'overview-strip:drawn';
const OVERVIEW_MARKED_MARK = 'overview-strip:marked';

/** When the strip next drew its first picture (or its markers) after an instant of the page's clock. */
async function stripDrawnAfter(page: Page, after: number, mark = OVERVIEW_DRAWN_MARK): Promise<number> {
  const drawn = await page.waitForFunction(
    ([name, since]) => performance.getEntriesByName(name).find((entry) => entry.startTime > since)?.startTime,
    [mark, after] as const,
    { timeout: 60_000 },
  );
  return (await drawn.jsonValue())!;
}

/** Opens a thread from the list (the filter brings its row into view: the list is virtualized); the ms from the click to its strip's picture. */
async function openForStrip(page: Page, threadId: string): Promise<number> {
  await page.getByRole('searchbox', { name: 'Filter threads' }).fill(threadId);
  await page.locator(`[role="option"][data-thread-id="${threadId}"]`).click();
  const { clickAt } = await probes(page);
  return (await stripDrawnAfter(page, clickAt)) - clickAt;
}

/**
 * The big thread's overview strip (issue 11), from the click that opened it to
 * its first picture: opened the first time, the store counts the thread (after
 * the thread view's listRuns, which the store answers first); then opened again
 * after another thread, when the counts are kept.
 */
async function benchOverviewStrip(page: Page, big: ThreadSummary, other: ThreadSummary | undefined): Promise<void> {
  const { clickAt } = await probes(page);
  const firstOpen = (await stripDrawnAfter(page, clickAt)) - clickAt;
  const markedFirst = (await stripDrawnAfter(page, clickAt, OVERVIEW_MARKED_MARK)) - clickAt;
  const name = `overview strip of the ${big.event_count.toLocaleString('en-US')}-event thread drawn after the click`;
  record({ name: `${name}, first open`, value: firstOpen, unit: 'ms', target: { atMost: 100 }, note: 'its first picture: runs, events and messages' });
  record({
    name: `${name}, first open, with its error and failed-tool markers`,
    value: markedFirst,
    unit: 'ms',
    target: { atMost: 100 },
    note: 'the marks the job worker found when the source opened (npm run bench: the pass over the whole store)',
  });
  if (!other) return;
  await openForStrip(page, other.thread_id);
  record({ name: `${name}, opened again`, value: await openForStrip(page, big.thread_id), unit: 'ms', target: { atMost: 100 }, note: `after ${other.event_count.toLocaleString('en-US')}-event thread ${other.thread_id}` });
}

/** Home, again and again: each press reaches the top of what is loaded, and the next older page lands. */
async function benchScrollToFirst(page: Page, big: ThreadSummary): Promise<void> {
  const timeline = page.getByTestId('timeline');
  await timeline.waitFor();
  await page.evaluate(() => ((window as unknown as { __probes: Probes }).__probes.longTasks.length = 0));
  await timeline.focus();
  const started = performance.now();
  let presses = 0;
  for (;;) {
    const first = await timeline.getAttribute('data-first-seq');
    if ((await timeline.getAttribute('data-has-older')) === 'false') break;
    await page.keyboard.press('Home');
    presses++;
    await page.waitForFunction(
      (before) => {
        const el = document.querySelector('[data-testid="timeline"]');
        return el !== null && el.getAttribute('data-first-seq') !== before && el.getAttribute('data-state') === 'ready';
      },
      first,
      { timeout: PAGE_WAIT_MS },
    );
    if (presses % 100 === 0) log(`    … ${presses} pages up, at seq ${await timeline.getAttribute('data-first-seq')}`);
  }
  await page.keyboard.press('Home');
  const seconds = (performance.now() - started) / 1000;
  const { longTasks, maxRows } = await probes(page);
  const note = `${presses} pages in ${seconds.toFixed(1)} s, ${big.message_count.toLocaleString('en-US')} messages`;
  record({ name: 'most timeline rows rendered at once, latest message to first', value: maxRows, unit: 'rows', target: { atMost: 100 }, note });
  record({ name: 'longest task while scrolling to the first message', value: Math.max(0, ...longTasks), unit: 'ms', target: { atMost: 50 }, note: `${longTasks.filter((d) => d > 50).length} tasks over 50 ms` });
}

async function benchHeap(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  record({ name: 'renderer JS heap after scrolling (after a GC)', value: usedSize / (1024 * 1024), unit: 'MB', target: { atMost: 150 } });
}

interface FrameProbe {
  intervals: number[];
  busy: number[];
}

/** From now on, the interval between frames and each frame's own work: its start to a task posted from its rAF, which runs after it painted. */
function startFrameProbe(page: Page): Promise<void> {
  return page.evaluate(() => {
    const probe: FrameProbe = { intervals: [], busy: [] };
    const w = window as unknown as { __frames: FrameProbe; __framesOn: boolean };
    w.__frames = probe;
    w.__framesOn = true;
    const channel = new MessageChannel();
    let frameStart = 0;
    channel.port1.onmessage = () => probe.busy.push(performance.now() - frameStart);
    let last = 0;
    const tick = (now: number) => {
      if (!w.__framesOn) return;
      if (last) probe.intervals.push(now - last);
      last = now;
      frameStart = now;
      channel.port2.postMessage(null);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

const stopFrameProbe = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __frames: FrameProbe; __framesOn: boolean };
    w.__framesOn = false;
    return w.__frames;
  });

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0;

/** A small store of the generator's long run alone, for the waterfall's figures where the store benched has none (the store benchmark's). */
function longRunStore(seed: number): string {
  const file = path.join(DATA_ROOT, `ui-waterfall-l${LONG_RUN_EVENTS}-s${seed}`, 'store.db');
  if (existsSync(file)) return file;
  return generateStore(file, ['--seed', String(seed), '--events', '1000', '--threads', '2', '--long-run', String(LONG_RUN_EVENTS)]);
}

const longRunOf = async (origin: string, headers: Record<string, string>): Promise<RunSummary | undefined> =>
  ((await (await fetch(`${origin}/api/listRuns`, { method: 'POST', headers, body: JSON.stringify({ threadId: LONG_RUN_THREAD_ID }) })).json()) as { result?: RunSummary[] }).result?.[0];

/**
 * The 10,000-event run's Timeline: first paint after the runSummary answer, then zooming and panning
 * every way the waterfall offers. On the store benched when it holds the long run, else on a store of its own.
 */
async function benchWaterfall(page: Page, url: string, headers: Record<string, string>, origin: string, seed: number): Promise<void> {
  const run = await longRunOf(origin, headers);
  if (run) return measureWaterfall(page, url, run);
  const serve = await startServe(longRunStore(seed), os.tmpdir());
  try {
    const own = await longRunOf(serve.origin, { Authorization: `Bearer ${serve.token}`, 'Content-Type': 'application/json' });
    if (!own) throw new Error(`the long-run store has no ${LONG_RUN_THREAD_ID}`);
    await page.goto(serve.url);
    await measureWaterfall(page, serve.url, own);
  } finally {
    await serve.stop();
  }
}

async function measureWaterfall(page: Page, url: string, run: RunSummary): Promise<void> {
  await page.goto(`${url}#thread=${LONG_RUN_THREAD_ID}&tab=trace&run=${encodeURIComponent(run.run_id)}&view=timeline`);
  await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, WATERFALL_PAINTED_MARK, { timeout: 60_000 });
  const { firstPaint, spans, rows } = await page.evaluate(
    ([arrived, painted]) => ({
      firstPaint: performance.getEntriesByName(painted)[0].startTime - performance.getEntriesByName(arrived)[0].startTime,
      spans: Number(document.querySelector('[data-testid="waterfall"]')?.getAttribute('data-spans')),
      rows: document.querySelectorAll('.wf-row').length,
    }),
    [SUMMARY_ARRIVED_MARK, WATERFALL_PAINTED_MARK],
  );
  const note = `${spans.toLocaleString('en-US')} spans of ${run.event_count.toLocaleString('en-US')} events, ${rows} rows in the DOM`;
  record({ name: `waterfall's first paint after the runSummary answer arrived`, value: firstPaint, unit: 'ms', target: { atMost: 300 }, note });

  const track = await page.locator('.wf-ruler-track').boundingBox();
  const list = await page.locator('.wf-scroll').boundingBox();
  if (!track || !list) throw new Error('the waterfall is not on screen');
  const x = track.x + track.width / 2;
  const y = list.y + list.height / 2;
  const shown = page.locator('.wf-toolbar');
  const whole = await shown.textContent();
  await page.mouse.move(x, y);
  await page.evaluate(() => ((window as unknown as { __probes: Probes }).__probes.longTasks.length = 0));
  await startFrameProbe(page);
  const steps = 40;
  const wheel = async (dx: number, dy: number, modifier?: 'Control' | 'Shift') => {
    if (modifier) await page.keyboard.down(modifier);
    for (let i = 0; i < steps; i++) await page.mouse.wheel(dx, dy);
    if (modifier) await page.keyboard.up(modifier);
  };
  await wheel(0, -120, 'Control'); // zoom in at the pointer
  // A measurement of inputs the waterfall ignored would be of nothing.
  if ((await shown.textContent()) === whole) throw new Error('Ctrl+wheel did not zoom the waterfall');
  await page.mouse.down();
  for (let i = 1; i <= steps; i++) await page.mouse.move(x - i * 12, y);
  await page.mouse.up();
  await wheel(0, 100, 'Shift'); // pan later
  await wheel(-80, 0); // scroll sideways: pan earlier
  await page.getByRole('button', { name: 'Zoom in' }).focus();
  for (let i = 0; i < 10; i++) await page.keyboard.press('Minus');
  for (let i = 0; i < 10; i++) await page.keyboard.press('Equal');
  await wheel(0, 120, 'Control'); // zoom out
  if ((await shown.textContent()) !== whole) throw new Error('Ctrl+wheel did not zoom the waterfall back out to the whole run');
  const frames = await stopFrameProbe(page);
  const { longTasks } = await probes(page);
  const dropped = frames.intervals.filter((d) => d > DROPPED_FRAME_MS).length;
  const how = `${steps * 5 + 20} zoom and pan inputs over ${frames.intervals.length} frames`;
  record({ name: 'longest task while zooming and panning the waterfall', value: Math.max(0, ...longTasks), unit: 'ms', target: { atMost: 50 }, note: `${longTasks.filter((d) => d > 50).length} tasks over 50 ms; ${how}` });
  record({
    name: "longest frame's work while zooming and panning",
    value: Math.max(0, ...frames.busy),
    unit: 'ms',
    target: { atMost: 16 },
    note: `frame start to a task after its paint; p95 ${percentile(frames.busy, 0.95).toFixed(1)} ms`,
  });
  record({
    name: 'frames dropped while zooming and panning',
    value: dropped,
    unit: 'frames',
    target: { atMost: 0 },
    note: `intervals over ${DROPPED_FRAME_MS} ms; longest ${Math.max(0, ...frames.intervals).toFixed(1)} ms, p95 ${percentile(frames.intervals, 0.95).toFixed(1)} ms`,
  });
}

/** Issue 12's live tail: a writer appending this many events a second, for this long, in batches this often (one commit each). */
const LIVE_EVENTS_PER_S = 200;
const LIVE_SECONDS = 60;
const LIVE_BATCH_MS = 50;
/** One event in five of the writer's is a message (an AI turn), the rest trace events, about as DeerFlow writes them. */
const LIVE_MESSAGE_EVERY = 5;

function liveBatch(threadId: string, runId: string, from: number, count: number): EventInput[] {
  return Array.from({ length: count }, (_, i): EventInput => {
    const n = from + i;
    return n % LIVE_MESSAGE_EVERY === 0
      ? { thread_id: threadId, run_id: runId, event_type: 'llm.ai.response', category: 'message', content: { type: 'ai', content: `Live answer ${n}`, id: `bench-live-${n}` }, metadata: {} }
      : { thread_id: threadId, run_id: runId, event_type: 'llm.request', category: 'trace', content: { n }, metadata: {} };
  });
}

/**
 * A writer (this process, on its own connection: another process to `serve`)
 * appends LIVE_EVENTS_PER_S events a second for LIVE_SECONDS to a thread open
 * in the page at its end: the page's long tasks, the delay from each
 * message's commit to the timeline holding it at its end (data-last-seq),
 * and the most rows in the DOM. The writer's run is deleted afterwards.
 */
async function benchLiveTail(page: Page, url: string, store: string, thread: ThreadSummary): Promise<void> {
  await page.goto(`${url}#thread=${encodeURIComponent(thread.thread_id)}`);
  await page.waitForFunction(() => document.querySelector('[data-testid="timeline"]')?.getAttribute('data-state') === 'ready', null, { timeout: 60_000 });
  await page.evaluate(() => {
    const timeline = document.querySelector('[data-testid="timeline"]')!;
    const shown: [number, number][] = [];
    (window as unknown as { __shown: typeof shown }).__shown = shown;
    // The epoch's clock, as the writer's: the delay is the page's time minus the commit's.
    new MutationObserver(() => shown.push([performance.timeOrigin + performance.now(), Number(timeline.getAttribute('data-last-seq'))])).observe(timeline, {
      attributes: true,
      attributeFilter: ['data-last-seq'],
    });
    const p = (window as unknown as { __probes: Probes }).__probes;
    p.longTasks.length = 0;
    p.maxRows = 0;
  });
  const loadedBefore = Number(await page.getByTestId('timeline').getAttribute('data-loaded'));
  const writer = openSqliteStore(store, { create: false });
  const runId = `bench-live-${Date.now()}`;
  const committed: [number, number][] = [];
  const perBatch = (LIVE_EVENTS_PER_S * LIVE_BATCH_MS) / 1000;
  try {
    const started = Date.now();
    for (let batch = 0; Date.now() - started < LIVE_SECONDS * 1000; batch++) {
      const written = await writer.putBatch(liveBatch(thread.thread_id, runId, batch * perBatch, perBatch));
      const at = Date.now();
      for (const event of written) if (event.category === 'message') committed.push([event.seq, at]);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + (batch + 1) * LIVE_BATCH_MS - Date.now())));
    }
    const lastSeq = committed[committed.length - 1][0];
    await page
      .waitForFunction((seq) => Number(document.querySelector('[data-testid="timeline"]')?.getAttribute('data-last-seq')) >= seq, lastSeq, { timeout: 10_000 })
      .catch(() => log('  (the last message did not reach the timeline within 10 s)'));
    const shown = await page.evaluate(() => (window as unknown as { __shown: [number, number][] }).__shown);
    const delays = committed.flatMap(([seq, at]) => {
      const when = shown.find(([, last]) => last >= seq)?.[0];
      return when === undefined ? [] : [when - at];
    });
    const { longTasks, maxRows } = await probes(page);
    // The window holds every message it read, each once, up to MAX_LOADED (the oldest leave then): it
    // gained exactly what was committed, or as many as it had room for.
    const gained = Number(await page.getByTestId('timeline').getAttribute('data-loaded')) - loadedBefore;
    const room = Math.min(committed.length, MAX_LOADED - loadedBefore);
    const how = `${(LIVE_EVENTS_PER_S * LIVE_SECONDS).toLocaleString('en-US')} events in ${LIVE_SECONDS} s (one commit each ${LIVE_BATCH_MS} ms), ${committed.length} of them messages, to ${thread.thread_id}`;
    record({ name: 'longest task while a writer appends 200 events/s to the open thread', value: Math.max(0, ...longTasks), unit: 'ms', target: { atMost: 50 }, note: `${longTasks.filter((d) => d > 50).length} tasks over 50 ms; ${how}` });
    record({ name: 'commit to message in the timeline, median', value: percentile(delays, 0.5), unit: 'ms', target: { atMost: 1000 }, note: `${committed.length - delays.length} of ${committed.length} never shown` });
    record({ name: 'commit to message in the timeline, max', value: Math.max(0, ...delays), unit: 'ms', target: { atMost: 1000 } });
    record({ name: 'most timeline rows in the DOM while following', value: maxRows, unit: 'rows', target: { atMost: 100 } });
    record({
      name: 'messages lost or duplicated while following',
      value: Math.abs(gained - room) + (committed.length - delays.length),
      unit: 'messages',
      target: { atMost: 0 },
      note: `the window gained ${gained.toLocaleString('en-US')} of ${committed.length.toLocaleString('en-US')} committed (room for ${room.toLocaleString('en-US')}); ${committed.length - delays.length} never shown`,
    });
  } finally {
    await writer.deleteByRun(thread.thread_id, runId);
    await writer.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { store: { type: 'string' }, events: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '1' } } });
  const executablePath = findChromium();
  if (!executablePath) throw new Error(INSTALL_HINT);
  if (!buildIfStale()) throw new Error('`electron-vite build` failed');
  const store = values.store ? path.resolve(values.store) : findOrGenerateStore(Number(values.events.replaceAll('_', '')), Number(values.seed));
  log(`store: ${path.relative(process.cwd(), store)}`);

  const serve = await startServe(store, os.tmpdir());
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const headers = { Authorization: `Bearer ${serve.token}`, 'Content-Type': 'application/json' };
    const threads = ((await (await fetch(`${serve.origin}/api/listThreads`, { method: 'POST', headers, body: '{}' })).json()) as { result: ThreadSummary[] }).result;
    const big = threads.reduce((a, b) => (b.event_count > a.event_count ? b : a));
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await installProbes(page);
    log('thread list');
    await benchThreadList(page, serve.url);
    log('open the biggest thread');
    await benchOpenBigThread(page, big);
    // Another thread with events: the strip's second open comes back from it, the live tail writes to it.
    const other = threads.find((t) => t.thread_id !== big.thread_id && t.event_count > 0);
    await benchOverviewStrip(page, big, other);
    log('scroll to its first message (Home, page after page)');
    await benchScrollToFirst(page, big);
    await benchHeap(page);
    log('the 10,000-event run in the waterfall');
    await benchWaterfall(page, serve.url, headers, serve.origin, Number(values.seed));
    const followed = other ?? big;
    log(`a writer appending ${LIVE_EVENTS_PER_S} events/s to ${followed.thread_id}, open at its end`);
    await benchLiveTail(page, serve.url, store, followed);
    const load = os.loadavg()[0].toFixed(1);
    console.log(`\nRun Inspector UI benchmark — ${threads.length.toLocaleString('en-US')} threads, Chromium ${browser.version()}, ${os.availableParallelism()} CPUs, load average ${load}\n`);
    printTable();
  } finally {
    await browser.close();
    await serve.stop();
  }
}

await main();
