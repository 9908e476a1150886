// The built desktop bundle (main.js, jobs-worker.js, preload.cjs) run under
// plain node with a fake Electron: it catches what only a build shows (a
// preload that requires more than 'electron', an ESM main that cannot find
// its preload, renderer or worker) on machines with no Electron binary.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, desktopPageApi } from '../../src-shared/contract.ts';
import { contentSecurityPolicy } from '../../src-shared/csp.ts';
import { mainStepsOnHistoryButtons } from '../../src-shared/history-buttons.ts';
import { ipcPieceChannel } from '../../src-shared/ipc-reply.ts';
import { generateEvents, planThreads, type GenerateOptions } from '../generator/generate.ts';
import { writeJsonlLayout, writeSqliteStore } from '../generator/write-store.ts';
import { projectRoot } from '../handlers/app-info.ts';
import { secureWebPreferences } from './security.ts';

const root = projectRoot();
const sourceOptions: GenerateOptions = { seed: 11, threads: 3, totalEvents: 40 };
const importOptions: GenerateOptions = { seed: 12, threads: 2, totalEvents: 30 };

let outDir: string;
let dataDir: string;
/** The harness's JSON report. */
let report: any;

/** main and preload only (the renderer is the UI's to build and test): a config that takes those two sections of ours. */
function buildMainAndPreload(): void {
  const config = path.join(outDir, 'electron.vite.config.mjs');
  writeFileSync(
    config,
    `import config from ${JSON.stringify(path.join(root, 'electron.vite.config.ts'))};\nexport default { main: config.main, preload: config.preload };\n`,
  );
  const electronVite = path.join(path.dirname(createRequire(import.meta.url).resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const build = spawnSync(process.execPath, [electronVite, 'build', '--config', config, '--outDir', outDir], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`electron-vite build failed:\n${build.stdout}\n${build.stderr}`);
  mkdirSync(path.join(outDir, 'renderer'));
  writeFileSync(path.join(outDir, 'renderer', 'index.html'), '<!doctype html><title>Run Inspector</title>');
}

beforeAll(async () => {
  // Inside the checkout (out/ is ignored) so the bundle resolves node_modules and package.json as the real one does.
  mkdirSync(path.join(root, 'out'), { recursive: true });
  outDir = mkdtempSync(path.join(root, 'out', 'bundle-test-'));
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'bundle-test-'));
  buildMainAndPreload();
  const source = path.join(dataDir, 'source.db');
  await writeSqliteStore(source, generateEvents(sourceOptions), planThreads(sourceOptions).map(({ thread_id, display_name }) => ({ thread_id, display_name })));
  writeJsonlLayout(path.join(dataDir, 'jsonl'), generateEvents(importOptions));
  const testing = path.join(import.meta.dirname, '../../test/support/electron');
  const output = execFileSync(
    process.execPath,
    ['--import', path.join(testing, 'electron-hooks.ts'), path.join(testing, 'bundle-harness.ts'), outDir, source, path.join(dataDir, 'jsonl'), path.join(dataDir, 'imported.db'), path.join(dataDir, 'user-data')],
    { cwd: root, encoding: 'utf8' },
  );
  report = JSON.parse(output.trim().split('\n').at(-1)!);
}, 120_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the built desktop bundle', () => {
  it('opens a hardened window on the app page, its preload beside main', () => {
    expect(report.privilegedSchemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(report.windowUrl).toBe('app://run-inspector/index.html');
    expect(report.webPreferences).toEqual(secureWebPreferences(path.join(outDir, 'preload', 'preload.cjs')));
    expect(report.sessionHardened).toEqual(['check', 'headers', 'request']);
    expect(report.page).toEqual({ status: 200, csp: contentSecurityPolicy });
    expect(report.navigationPrevented).toBe(true);
    expect(report.openedExternally).toEqual(['https://example.com/']);
  });

  it('opens the SOURCE given on the command line', () => {
    expect(report.sourceInfo).toEqual({ kind: 'sqlite', path: path.join(dataDir, 'source.db'), readOnly: false });
    expect(report.threads.sort()).toEqual(planThreads(sourceOptions).map((plan) => plan.thread_id).sort());
  });

  it('answers the desktop page\'s channels (desktopPageApi: no writes of events, no typed paths), from the app page only', () => {
    // And the one a long answer's further pieces come on (ipc-reply.ts).
    expect(report.channels).toEqual([...desktopPageApi.map((method) => contract[method].channel), ipcPieceChannel].sort());
    expect(report.typedPath).toEqual({ ok: false, error: expect.stringContaining(`No handler registered for '${contract.openSource.channel}'`) });
    expect(report.otherOrigin.ok).toBe(false);
    expect(report.otherOrigin.error).toMatch(/refused/);
    expect(report.subframe.ok).toBe(false);
  });

  it('has a preload that needs nothing but electron and exposes named functions only', () => {
    expect(report.preloadRequired).toEqual(['electron']);
    expect(report.exposedAs).toBe('runInspector');
    expect(report.bridgeKeys).toEqual([...desktopPageApi, 'onPush'].sort());
    for (const method of desktopPageApi) expect(report.bridgeFunctionNames[method]).toBe(method);
  });

  it('opens a dropped file from its File alone; a dropped folder is imported by its drop id; a File not on disk names nothing', () => {
    expect(report.droppedDatabase).toEqual({ kind: 'opened', info: { kind: 'sqlite', path: path.join(dataDir, 'source.db'), readOnly: false } });
    expect(report.droppedFolder).toEqual({ kind: 'choose', dropId: expect.any(String), path: path.join(dataDir, 'jsonl'), pathKind: 'jsonl' });
    expect(report.droppedImport).toEqual({ jobId: expect.any(String) });
    expect(report.droppedImportResult).toMatchObject({
      jobId: report.droppedImport.jobId,
      ok: true,
      summary: { imported: importOptions.totalEvents, into: path.join(dataDir, 'source.db') },
    });
    expect(report.messageBoxes).toContainEqual({ message: 'Import jsonl into the open database?', detail: path.join(dataDir, 'source.db') });
    expect(report.madeUpFile).toEqual({ ok: false, error: 'openDropped: the dropped item is not a file or folder on this computer' });
  });

  it('opens a recent entry only when it is on the list', () => {
    expect(report.notRecent).toEqual({ ok: false, error: `${path.join(dataDir, 'jsonl')} is not on the recent list` });
  });

  it('carries calls, errors and pushes through the bridge', () => {
    expect(report.deleted).toBeGreaterThan(0);
    expect(report.pushed).toEqual([{ threadIds: [report.threads[0]] }]);
    // Main replies with the error instead of throwing it (no "Error invoking remote method …" wrapper);
    // past contextBridge, which copies an error's message only, the page shows the message naming the field.
    expect(report.badParams).toEqual({ ok: false, error: expect.stringMatching(/^threadId: /) });
    expect(report.unknownPush).toEqual({ ok: false, error: 'onPush: unknown push channel evil:channel' });
  });

  it('runs an import in the bundled worker, with progress, to a summary', () => {
    expect(report.job).toEqual({ jobId: expect.any(String) });
    expect(report.jobResult).toMatchObject({ jobId: report.job.jobId, kind: 'import', ok: true, summary: { imported: importOptions.totalEvents, skipped: 0 } });
    expect(report.progressBar.at(-1)).toBe(-1);
  });

  it('says what is open in the title, and adds what the page opens to the OS recent documents (cleared with Clear Recent)', () => {
    expect(report.titleAtLaunch).toBe('source.db — Run Inspector');
    expect(report.openedImport).toMatchObject({ kind: 'sqlite', path: path.join(dataDir, 'imported.db') });
    expect(report.titleAfterOpen).toBe('imported.db — Run Inspector');
    expect(report.recentDocuments).toEqual([path.join(dataDir, 'imported.db'), path.join(dataDir, 'source.db')]);
    expect(report.recentBeforeClear).toEqual([path.join(dataDir, 'source.db'), path.join(dataDir, 'imported.db')]);
    expect(report.recentDocumentsAfterClear).toEqual([]);
  });

  it('gives the page native pickers: a cancelled one opens nothing', () => {
    expect(report.pickCancelled).toBeNull();
  });

  it('has a Help menu: the page\'s shortcuts sheet through a push, the README, About with the versions', () => {
    expect(report.shortcutsPush).toEqual({});
    expect(report.openedPaths).toEqual([path.join(root, 'README.md')]);
    expect(report.messageBoxes).toContainEqual({ message: 'Run Inspector', detail: expect.stringMatching(/^Version \d+\.\d+\.\d+\nElectron .*\nChromium .*\nNode /) });
  });

  it('offers Reload when the page crashes, instead of a blank window', () => {
    expect(report.messageBoxes).toContainEqual({ message: 'The page stopped.', detail: expect.stringContaining('crashed (exit code 139)') });
    expect(report.reloads).toBe(1);
  });

  it("steps the window's history on the mouse's back / forward app commands (Windows, Linux), never past either end", () => {
    // This machine's platform decides: the harness runs the bundle as it is built for it.
    expect(report.historySteps).toEqual(mainStepsOnHistoryButtons(process.platform) ? ['back', 'forward', 'forward'] : []);
  });

  it('remembers the window and closes the source before quitting', () => {
    expect(report.windowState).toEqual({ bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: false });
    expect(report.quitDeferred).toBe(true);
    expect(report.menuCount).toBeGreaterThan(0);
  });
});
