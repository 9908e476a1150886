// The one window: hardened preferences from security.ts, the size and
// position it had last time, shown once its first paint is ready.
import { BrowserWindow, screen } from 'electron';
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
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    // Normal bounds: a maximized window reopens maximized over its old size, not at screen size.
    saveWindowState(stateFile, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
  });
  void win.loadURL(pages.entryUrl);
  return win;
}
