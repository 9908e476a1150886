// The desktop app itself (not browser mode): Electron opens a generated
// store given on its command line and the page lists its threads through the
// preload bridge. Runs where an Electron binary and a display exist; reported
// as skipped, with the reason, everywhere else.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { currentLaunchEnvironment, electronUnavailableReason, isBuildStale } from '../src-main/electron/desktop-launch.ts';
import { generateEvents, planThreads, type GenerateOptions } from '../src-main/generator/generate.ts';
import { writeSqliteStore } from '../src-main/generator/write-store.ts';
import { projectRoot } from '../src-main/handlers/app-info.ts';

const launch = currentLaunchEnvironment();
// Root is no reason to skip here: the test passes --no-sandbox instead (Chromium's OS sandbox; the page's sandbox: true still holds).
const runningAsRoot = process.getuid?.() === 0;
const unavailable = electronUnavailableReason({ ...launch, uid: undefined });

const store: GenerateOptions = { seed: 4242, threads: 4, totalEvents: 80 };

/** The environment minus ELECTRON_RUN_AS_NODE (set by some tools), which would make the binary a plain node. */
function inheritedEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[0] !== 'ELECTRON_RUN_AS_NODE' && entry[1] !== undefined),
  );
}

function threadOption(page: Page, threadId: string) {
  return page.getByRole('listbox', { name: 'Thread list' }).locator(`[role="option"][data-thread-id="${threadId}"]`);
}

test.describe('desktop app', () => {
  test.skip(unavailable !== null, `${unavailable}.`);

  let dir: string;
  let app: ElectronApplication;

  test.beforeAll(() => {
    if (!isBuildStale(projectRoot())) return;
    const electronVite = path.join(path.dirname(createRequire(import.meta.url).resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
    const build = spawnSync(process.execPath, [electronVite, 'build'], { cwd: projectRoot(), stdio: 'inherit' });
    if (build.status !== 0) throw new Error('electron-vite build failed');
  });

  test.beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'electron-e2e-'));
    const plans = planThreads(store);
    await writeSqliteStore(path.join(dir, 'runs.db'), generateEvents(store), plans.map(({ thread_id, display_name }) => ({ thread_id, display_name })));
    app = await electron.launch({
      executablePath: launch.binary!,
      args: [...(runningAsRoot ? ['--no-sandbox'] : []), projectRoot(), path.join(dir, 'runs.db')],
      // Its own user data folder: no remembered window, recent list or single-instance lock from a real profile.
      env: { ...inheritedEnv(), RUN_INSPECTOR_USER_DATA: path.join(dir, 'user-data') },
    });
  });

  test.afterEach(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('opens the store named on the command line and lists its threads', async () => {
    const page = await app.firstWindow();
    const errors: Error[] = [];
    page.on('pageerror', (error) => errors.push(error));
    for (const plan of planThreads(store)) {
      await expect(threadOption(page, plan.thread_id)).toContainText(plan.display_name);
    }
    await expect(page.getByRole('listbox', { name: 'Thread list' }).getByRole('option')).toHaveCount(store.threads);
    expect(await page.evaluate(() => typeof (window as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => Object.keys((window as { runInspector?: object }).runInspector ?? {}).sort())).toContain('listThreads');
    expect(errors).toEqual([]);
  });
});
