// The desktop app's main process: one instance, one window, one session
// whose handlers answer the page over IPC (sender-checked), a File menu, and
// sources opened from argv, the OS, the menu and drag and drop.
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session as electronSession, shell } from 'electron';
import { windowTitle } from '../../src-shared/window-title.ts';
import { enableDebug } from '../debug-log.ts';
import { packageVersion, projectRoot } from '../handlers/app-info.ts';
import { createHandlers } from '../handlers/handlers.ts';
import type { RecentChange } from '../handlers/recent-sources.ts';
import { SavedPasswords } from '../handlers/saved-passwords.ts';
import { Session, type SessionOptions } from '../handlers/session.ts';
import { registerIpcHandlers } from '../transports/ipc.ts';
import { appResponse, appSchemePrivileges } from './app-protocol.ts';
import { debugFromArgv, sourceFromArgv, writeFromArgv } from './argv.ts';
import { fileCommands, shownSource } from './file-commands.ts';
import { helpCommands } from './help-commands.ts';
import { keychainEncryptor } from './keychain.ts';
import { launchSource, saveLastSource } from './last-source.ts';
import { menuTemplate } from './menu.ts';
import { mirrorRecentChange } from './recent-documents.ts';
import { offerReload } from './page-crash.ts';
import {
  appPages,
  appScheme,
  contentSecurityPolicyFor,
  guardWebContents,
  hardenSession,
  isTrustedSender,
  openExternalUrl,
} from './security.ts';
import { createMainWindow } from './window.ts';

// Tests (and a second profile) run with their own user data folder; it also scopes the single-instance lock.
if (process.env.RUN_INSPECTOR_USER_DATA) app.setPath('userData', process.env.RUN_INSPECTOR_USER_DATA);
protocol.registerSchemesAsPrivileged([appSchemePrivileges]);
// `--debug`: slow queries on stderr, from this process and the workers it starts.
if (debugFromArgv(process.argv)) enableDebug();

// Sources the OS hands over before the session exists are opened once it does.
let pendingSource: string | null = null;
let requestOpen = (source: string) => void (pendingSource = source);

app.on('web-contents-created', (_event, contents) => guardWebContents(contents, (url) => void openExternalUrl(shell, url)));

if (!app.requestSingleInstanceLock()) {
  // The first instance receives our argv through 'second-instance'.
  app.quit();
} else {
  app.on('open-file', (event, file) => {
    event.preventDefault();
    requestOpen(file);
  });
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
    const source = sourceFromArgv(argv, { packaged: app.isPackaged, cwd: workingDirectory });
    if (source !== null) requestOpen(source);
  });
  app.whenReady().then(start, (error: unknown) => {
    console.error('Run Inspector could not start:', error);
    app.exit(1);
  });
}

/** The launch source, or the sample store when there is none or it cannot be opened (the failure is reported once the window is up). */
async function openSession(source: string | null, options: SessionOptions): Promise<{ session: Session; failure: string | null }> {
  if (source !== null) {
    try {
      return { session: await Session.create(source, options), failure: null };
    } catch (error) {
      const failure = `Cannot open ${shownSource(source)}: ${error instanceof Error ? error.message : String(error)}`;
      const session = await Session.create(null, options);
      await session.openSample().catch((sampleError: unknown) => console.error('sample store:', sampleError));
      return { session, failure };
    }
  }
  const session = await Session.create(null, options);
  await session.openSample();
  return { session, failure: null };
}

async function start(): Promise<void> {
  const here = import.meta.dirname;
  const userData = app.getPath('userData');
  const pages = appPages(app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL);
  const policy = contentSecurityPolicyFor(pages);
  protocol.handle(appScheme, (request) => appResponse(request.url, path.join(here, '../renderer'), policy));
  hardenSession(electronSession.defaultSession, pages);

  const argvSource = sourceFromArgv(process.argv, { packaged: app.isPackaged, cwd: process.cwd() });
  const launch = pendingSource ?? launchSource(argvSource, userData);
  pendingSource = null;
  // The OS's recent documents and the menu follow the list (set once the menu can be built).
  let recentChanged = (_change: RecentChange) => {};
  const { session, failure } = await openSession(launch, {
    transport: 'electron',
    userDataDir: userData,
    // The worker is its own entry of the main bundle (electron.vite.config.ts), beside main.js.
    workerUrl: new URL('./jobs-worker.js', import.meta.url),
    onRecentChanged: (change) => recentChanged(change),
    // `--write` (npm start passes it on): servers open to write; otherwise read-only, and the page asks to switch.
    write: writeFromArgv(process.argv),
    // PostgreSQL passwords the user asked to remember, encrypted by the OS keychain.
    savedPasswords: new SavedPasswords(path.join(userData, 'saved-passwords.json'), keychainEncryptor(safeStorage)),
  });

  let win: BrowserWindow | null = null;
  const commands = fileCommands({ session, dialog, window: () => win });
  const help = helpCommands({
    dialog,
    shell,
    window: () => win,
    showShortcuts: () => session.push.emit('app:showShortcuts', {}),
    version: packageVersion(),
    versions: process.versions,
    readme: path.join(projectRoot(), 'README.md'),
  });

  const refreshMenu = async () => {
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ ...commands, ...help }, await session.recent.list(), process.platform)));
  };
  recentChanged = (change) => {
    mirrorRecentChange(app, change);
    void refreshMenu();
  };
  /** The title and (macOS) the title bar's file icon say what is open. */
  const showSource = () => {
    if (win === null || win.isDestroyed()) return;
    win.setTitle(windowTitle(session.info));
    // A server's URL is no file for the title bar's icon.
    if (process.platform === 'darwin') win.setRepresentedFilename(session.info.kind === 'postgres' ? '' : (session.info.path ?? ''));
  };
  const sourceOpened = () => {
    if (session.info.path !== null) saveLastSource(userData, session.info.path);
    showSource();
    void refreshMenu();
  };
  sourceOpened();

  registerIpcHandlers(ipcMain, createHandlers(session, { pickers: commands.pickers }), { isAllowedSender: (event) => isTrustedSender(event, pages) });
  session.push.subscribe((event) => {
    if (event.channel === 'store:changed' && event.message.threadIds === null) sourceOpened();
    if (win === null || win.isDestroyed()) return;
    win.webContents.send(event.channel, event.message);
    if (event.channel === 'job:progress') {
      const { done, total } = event.message;
      // Above 1 is Electron's indeterminate bar.
      win.setProgressBar(total ? done / total : 2);
    } else if (event.channel === 'job:done') {
      win.setProgressBar(-1);
    }
  });

  const openWindow = () => {
    const opened = createMainWindow({ pages, preload: path.join(here, '../preload/preload.cjs'), stateFile: path.join(userData, 'window-state.json') });
    win = opened;
    showSource();
    opened.webContents.on('render-process-gone', (_event, details) => void offerReload(opened, dialog, details).catch((error: unknown) => console.error('reload offer:', error)));
    opened.on('closed', () => (win = null));
    return opened;
  };
  const first = openWindow();
  if (failure !== null) {
    first.once('ready-to-show', () => void dialog.showMessageBox(first, { type: 'error', message: 'The source could not be opened; showing the sample store.', detail: failure }));
  }
  requestOpen = (source) => void commands.open(source);
  // One handed over (open-file, second instance) while the launch source was opening.
  if (pendingSource !== null) requestOpen(pendingSource);

  app.on('activate', () => {
    if (win === null) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    // Running jobs are cancelled and the source closed (its journal checkpointed) before the process ends.
    event.preventDefault();
    session
      .close({ cancelJobs: true })
      .catch((error: unknown) => console.error('closing the source:', error))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
}
