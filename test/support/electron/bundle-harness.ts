// Runs the built main.js and preload.cjs the way Electron would, with
// fake-electron.ts in place of Electron, and prints what they did as JSON
// (bundle.test.ts asserts it). Usage:
//   node --import ./electron-hooks.ts bundle-harness.ts OUT_DIR SOURCE JSONL_DIR IMPORT_INTO USER_DATA
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { contract } from '../../../src-shared/contract.ts';
import { fake, app } from './fake-electron.ts';

const [outDir, source, jsonlDir, importInto, userData] = process.argv.slice(2);
process.env.RUN_INSPECTOR_USER_DATA = userData;
// As Electron starts an unpackaged app: the executable, Chromium's switches, the app, then SOURCE.
process.argv = [process.execPath, '--inspect=0', path.join(outDir, 'main', 'main.js'), source];

type Invoke = (channel: string, params: unknown) => Promise<unknown>;

/** ipcRenderer.invoke as Electron does it: structured clone both ways, a thrown error reduced to "Error invoking remote method…". */
function invokerFrom(frameUrl: string, parent: object | null = null): Invoke {
  const event = { senderFrame: { url: frameUrl, parent } };
  return async (channel, params) => {
    const listener = fake.ipc.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    try {
      return structuredClone(await listener(event, structuredClone(params)));
    } catch (error) {
      throw new Error(`Error invoking remote method '${channel}': ${String(error)}`);
    }
  };
}

async function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

await import(pathToFileURL(path.join(outDir, 'main', 'main.js')).href);
const win = await fake.firstWindow;
const fromApp = invokerFrom(win.url);

type BridgeFunction = (...args: unknown[]) => unknown;

/** contextBridge's copy of an error: a new Error with the message only (its class and any code stay behind). */
function acrossBridge(api: Record<string, BridgeFunction>): Record<string, BridgeFunction> {
  const copy = (error: unknown) => new Error(error instanceof Error ? error.message : String(error));
  const wrap = (fn: BridgeFunction): BridgeFunction => {
    const proxied = (...args: unknown[]) => {
      let value: unknown;
      try {
        value = fn(...args);
      } catch (error) {
        throw copy(error);
      }
      return value instanceof Promise ? value.catch((error: unknown) => Promise.reject(copy(error))) : value;
    };
    return Object.defineProperty(proxied, 'name', { value: fn.name });
  };
  return Object.fromEntries(Object.entries(api).map(([key, fn]) => [key, wrap(fn)]));
}

// The preload, as a sandboxed renderer runs it: a CommonJS function whose require knows only 'electron'.
let exposed: { name: string; api: Record<string, BridgeFunction> } | null = null;
const pushListeners = new Map<string, (event: unknown, message: unknown) => void>();
const required: string[] = [];
const rendererElectron = {
  contextBridge: { exposeInMainWorld: (name: string, api: Record<string, BridgeFunction>) => (exposed = { name, api: acrossBridge(api) }) },
  ipcRenderer: {
    invoke: fromApp,
    on: (channel: string, listener: (event: unknown, message: unknown) => void) => pushListeners.set(channel, listener),
    removeListener: (channel: string) => pushListeners.delete(channel),
  },
  // Electron's answer for a File: its path on disk, '' for one the page made up.
  webUtils: { getPathForFile: (file: { path?: string }) => file.path ?? '' },
};
const preload = readFileSync(path.join(outDir, 'preload', 'preload.cjs'), 'utf8');
vm.runInThisContext(`(function (require, module, exports) {${preload}\n})`)(
  (id: string) => {
    required.push(id);
    if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`);
    return rendererElectron;
  },
  { exports: {} },
  {},
);
const bridge = exposed!.api;
// Main's pushes reach the page through the preload's listeners.
win.webContents.on('sent', (channel: string, message: unknown) => pushListeners.get(channel)?.({ sender: 'main' }, message));

const pushed: unknown[] = [];
const stopPush = bridge.onPush('store:changed', (message: unknown) => pushed.push(message)) as () => void;
const threads = (await bridge.listThreads({})) as { thread_id: string }[];
const deleted = await bridge.deleteByThread({ threadId: threads[0].thread_id });
stopPush();

const jobDone = new Promise<unknown>((resolve) => bridge.onPush('job:done', resolve));
// Import… in the desktop page: main picks the folder, then the user says "Into a New Database…" and names it.
fake.answers.open.push(jsonlDir);
fake.answers.messageBox.push(1);
fake.answers.save.push(importInto);
const job = await bridge.pickImport({ kind: 'folder' });
const jobResult = await jobDone;

const sourceInfo = await bridge.sourceInfo({});
const titleAtLaunch = win.title;
const pickCancelled = await bridge.pickAndOpen({ kind: 'database' });
const openedImport = await bridge.openImported({ jobId: (job as { jobId: string }).jobId });
const titleAfterOpen = win.title;

// Drops: the page hands over the File; the preload asks Electron for its path.
const droppedDatabase = await bridge.openDropped({ name: 'source.db', path: source });
const droppedFolder = (await bridge.openDropped({ name: 'jsonl', path: jsonlDir })) as { kind: string; dropId: string };
const droppedImportDone = new Promise<unknown>((resolve) => bridge.onPush('job:done', resolve));
// The fake message box answers its first button: into the open database (source.db, dropped above).
const droppedImport = await bridge.pickImport({ dropId: droppedFolder.dropId });
const droppedImportResult = await droppedImportDone;
const madeUpFile = await settle(bridge.openDropped({ name: 'made-up.db' }) as Promise<unknown>);
const notRecent = await settle(bridge.openRecent({ path: jsonlDir }) as Promise<unknown>);
const typedPath = await settle(invokerFrom(win.url)(contract.openSource.channel, { path: source }));

const recentDocuments = [...app.recentDocuments];
const recentBeforeClear = ((await bridge.recentSources({})) as { path: string }[]).map((entry) => entry.path);
await bridge.clearRecent({});
const recentDocumentsAfterClear = [...app.recentDocuments];

type MenuItem = { label?: string; click?: () => void; submenu?: MenuItem[] };
const helpMenu = (fake.menus.at(-1) as MenuItem[]).find((item) => item.label === '&Help')!.submenu!;
const shortcutsShown = new Promise<unknown>((resolve) => bridge.onPush('app:showShortcuts', resolve));
helpMenu.find((item) => item.label === 'Keyboard Shortcuts')!.click!();
const shortcutsPush = await shortcutsShown;
helpMenu.find((item) => item.label === 'README')!.click!();
helpMenu.find((item) => item.label === 'About Run Inspector')!.click!();

win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
await new Promise<void>((resolve) => {
  const check = () => (win.webContents.reloads > 0 ? resolve() : setImmediate(check));
  check();
});

// The mouse's back / forward buttons as Electron reports them on Windows and Linux: from the middle of three pages.
for (const command of ['browser-backward', 'browser-backward', 'browser-forward', 'browser-forward', 'browser-forward', 'media-play-pause']) {
  win.emit('app-command', {}, command);
}
const historySteps = [...win.webContents.navigationHistory.steps];

const appResponse = (await fake.protocols.get('app')!(new Request('app://run-inspector/index.html'))) as Response;
const navigation = { url: 'https://example.com/', prevented: false, preventDefault: () => (navigation.prevented = true) };
win.webContents.emit('will-navigate', navigation);

const result = {
  privilegedSchemes: fake.privilegedSchemes,
  windowUrl: win.url,
  webPreferences: win.options.webPreferences,
  channels: [...fake.ipc.keys()].sort(),
  sourceInfo,
  exposedAs: exposed!.name,
  bridgeKeys: Object.keys(bridge).sort(),
  bridgeFunctionNames: Object.fromEntries(Object.entries(bridge).map(([key, value]) => [key, value.name])),
  preloadRequired: [...new Set(required)],
  threads: threads.map((thread) => thread.thread_id),
  deleted,
  pushed,
  badParams: await settle(bridge.listMessages({ threadId: '' }) as Promise<unknown>),
  unknownPush: await settle(Promise.resolve().then(() => bridge.onPush('evil:channel', () => {}))),
  droppedDatabase,
  droppedFolder,
  droppedImport,
  droppedImportResult,
  madeUpFile,
  notRecent,
  typedPath,
  otherOrigin: await settle(invokerFrom('https://evil.example/')('threads:list', {})),
  subframe: await settle(invokerFrom(win.url, {})('threads:list', {})),
  job,
  jobResult,
  progressBar: win.progress,
  page: { status: appResponse.status, csp: appResponse.headers.get('content-security-policy') },
  navigationPrevented: navigation.prevented,
  openedExternally: fake.opened,
  sessionHardened: Object.keys(fake.sessionHooks).sort(),
  menuCount: fake.menus.length,
  titleAtLaunch,
  titleAfterOpen,
  pickCancelled,
  openedImport,
  recentDocuments,
  recentBeforeClear,
  recentDocumentsAfterClear,
  shortcutsPush,
  openedPaths: fake.openedPaths,
  messageBoxes: fake.messageBoxes,
  reloads: win.webContents.reloads,
  historySteps,
};

win.emit('close');
const quit = { prevented: false, preventDefault: () => (quit.prevented = true) };
app.emit('will-quit', quit);
await new Promise<void>((resolve) => {
  const check = () => (app.quitCalls > 0 ? resolve() : setImmediate(check));
  check();
});
process.stdout.write(`${JSON.stringify({ ...result, quitDeferred: quit.prevented, windowState: JSON.parse(readFileSync(path.join(userData, 'window-state.json'), 'utf8')) })}\n`);
