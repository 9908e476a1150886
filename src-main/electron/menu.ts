// The application menu, as a template built from plain data and callbacks so
// its shape is testable without Electron (main.ts hands it to Menu).
import type { MenuItemConstructorOptions } from 'electron';
import type { RecentSource } from '../../src-shared/contract.ts';

export interface FileActions {
  openDatabase(): void;
  openJsonlFolder(): void;
  /** Asks the page: a URL and a password are typed there, not in a native dialog. */
  openPostgres(): void;
  openRecent(path: string): void;
  clearRecent(): void;
  openSample(): void;
  importJsonlFile(): void;
  importJsonlFolder(): void;
  exportSource(): void;
}

export interface HelpActions {
  showShortcuts(): void;
  showAbout(): void;
  openReadme(): void;
}

export type MenuActions = FileActions & HelpActions;

function recentItems(recent: readonly RecentSource[], actions: FileActions): MenuItemConstructorOptions[] {
  if (recent.length === 0) return [{ label: 'No Recent Sources', enabled: false }];
  return [
    ...recent.map((entry) => ({
      // A path is shown as is: '&' would otherwise mark an access key on Windows and Linux.
      // A gone entry stays clickable: the click says it was moved or deleted and offers to remove it.
      label: `${entry.path.replaceAll('&', '&&')}${entry.exists ? '' : ' (moved or deleted)'}`,
      click: () => actions.openRecent(entry.path),
    })),
    { type: 'separator' },
    { label: 'Clear Recent', click: () => actions.clearRecent() },
  ];
}

export function menuTemplate(actions: MenuActions, recent: readonly RecentSource[], platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Open Database…', accelerator: 'CmdOrCtrl+O', click: () => actions.openDatabase() },
      { label: 'Open JSONL Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.openJsonlFolder() },
      { label: 'Open PostgreSQL Database…', click: () => actions.openPostgres() },
      { label: 'Open Recent', submenu: recentItems(recent, actions) },
      { label: 'Open Sample Store', click: () => actions.openSample() },
      { type: 'separator' },
      { label: 'Import JSONL…', accelerator: 'CmdOrCtrl+I', click: () => actions.importJsonlFile() },
      { label: 'Import JSONL Folder…', click: () => actions.importJsonlFolder() },
      { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => actions.exportSource() },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    label: '&Help',
    role: 'help',
    submenu: [
      { label: 'Keyboard Shortcuts', click: () => actions.showShortcuts() },
      { label: 'README', click: () => actions.openReadme() },
      { type: 'separator' },
      { label: 'About Run Inspector', click: () => actions.showAbout() },
    ],
  };
  return [
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    file,
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    help,
  ];
}
