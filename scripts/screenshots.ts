// The README's screenshots (docs/screenshots/), taken in browser mode on the
// built-in sample store: `npm run screenshots`. Each is of a screen as a user
// opens it from the sample, so they are made again whenever the UI changes.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { LONG_RUN_THREAD_ID, STOPPED_RUNS_THREAD_ID, writeSampleStore } from '../src-main/generator/generate.ts';
import { projectRoot } from '../src-main/handlers/app-info.ts';
import type { RunSummary, ThreadSummary } from '../src-shared/types.ts';
import { startServe } from '../e2e/serve-process.ts';
import { buildIfStale, CHROMIUM_ARGS, findChromium, INSTALL_HINT } from './browser-setup.ts';

const OUT = path.join(projectRoot(), 'docs', 'screenshots');
const VIEWPORT = { width: 1400, height: 860 };

async function waitFor(page: Page, selector: string, state: string): Promise<void> {
  await page.locator(`${selector}[data-state="${state}"]`).first().waitFor({ timeout: 30_000 });
}

async function main(): Promise<void> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(INSTALL_HINT);
  buildIfStale();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ri-screenshots-'));
  const store = path.join(dir, 'sample.db');
  await writeSampleStore(store);
  const serve = await startServe(store, dir);
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    await page.goto(serve.url);
    const api = async <T>(method: string, params: object): Promise<T> => {
      const response = await fetch(`${serve.origin}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${serve.token}` },
        body: JSON.stringify(params),
      });
      return ((await response.json()) as { result: T }).result;
    };
    const open = async (query: string) => {
      await page.goto(`${serve.origin}/#${query}`);
    };
    mkdirSync(OUT, { recursive: true });

    // The waterfall of the sample's long autonomous run.
    await open(`thread=${LONG_RUN_THREAD_ID}&tab=trace&view=timeline`);
    await waitFor(page, '[data-testid="waterfall"]', 'ready');
    await page.screenshot({ path: path.join(OUT, 'waterfall.png') });

    // Why a run ended: the run loop detection stopped, its header and waterfall.
    const [loopRun] = await api<RunSummary[]>('listRuns', { threadId: STOPPED_RUNS_THREAD_ID });
    await open(`thread=${STOPPED_RUNS_THREAD_ID}&tab=trace&view=timeline&run=${loopRun.run_id}`);
    await waitFor(page, '[data-testid="waterfall"]', 'ready');
    await waitFor(page, 'section.run-header', 'ready');
    await page.screenshot({ path: path.join(OUT, 'stop-reason.png'), clip: { x: 300, y: 0, width: VIEWPORT.width - 300, height: 420 } });

    // The overview strip above the messages of the sample's biggest thread.
    const threads = await api<ThreadSummary[]>('listThreads', {});
    const biggest = threads.reduce((a, b) => (b.event_count > a.event_count && b.thread_id !== LONG_RUN_THREAD_ID ? b : a));
    await open(`thread=${biggest.thread_id}`);
    await page.locator('[data-testid="overview-strip"][data-marks="counted"]').waitFor({ timeout: 30_000 });
    await waitFor(page, '[data-testid="timeline"]', 'ready');
    await page.screenshot({ path: path.join(OUT, 'overview-strip.png'), clip: { x: 300, y: 0, width: VIEWPORT.width - 300, height: 360 } });
    // The Health panel with the sample's findings, errors first.
    await open('');
    await page.getByRole('button', { name: /^Health:/ }).click();
    await page.locator('button.health-entry[data-state="checked"]').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(OUT, 'health-panel.png') });
    console.log(`screenshots written to ${path.relative(process.cwd(), OUT)}`);
  } finally {
    await browser.close();
    await serve.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
