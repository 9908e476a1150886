// The one window: hardened preferences from security.ts, the size and
// position it had last time, shown once its first paint is ready, its
// history stepped by the mouse's back / forward buttons where Electron
// reports them as app commands (src-shared/history-buttons.ts).
import { BrowserWindow, screen } from 'electron';
import { mainStepsOnHistoryButtons } from '../../src-shared/history-buttons.ts';
import { secureWebPreferences, type AppPages } from './security.ts';
import { defaultSize, loadWindowState, minimumSize, saveWindowState } from './window-state.ts';

export interface MainWindowOptions {
  pages: AppPages;
  preload: string;
  stateFile: string;
}

export function createMainWindow({ pages, preload, stateFile }: MainWindowOptions): BrowserWindow {
  const state = loadWindowState(
    stateFile,
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const win = new BrowserWindow({
    ...(state.bounds ?? defaultSize),
    minWidth: minimumSize.width,
    minHeight: minimumSize.height,
    title: 'Run Inspector',
    show: false,
    webPreferences: secureWebPreferences(preload),
  });
  if (state.maximized) win.maximize();
  if (mainStepsOnHistoryButtons(process.platform)) stepHistoryOnAppCommands(win);
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    // Normal bounds: a maximized window reopens maximized over its old size, not at screen size.
    saveWindowState(stateFile, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
  });
  void win.loadURL(pages.entryUrl);
  return win;
}

function stepHistoryOnAppCommands(win: BrowserWindow): void {
  win.on('app-command', (_event, command) => {
    const history = win.webContents.navigationHistory;
    if (command === 'browser-backward' && history.canGoBack()) history.goBack();
    if (command === 'browser-forward' && history.canGoForward()) history.goForward();
  });
}
