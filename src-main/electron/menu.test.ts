import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { RecentSource } from '../../src-shared/contract.ts';
import { menuTemplate, type FileActions } from './menu.ts';

function recordingActions() {
  const calls: string[] = [];
  const actions: FileActions = {
    openDatabase: () => calls.push('openDatabase'),
    openJsonlFolder: () => calls.push('openJsonlFolder'),
    openRecent: (path) => calls.push(`openRecent ${path}`),
    openSample: () => calls.push('openSample'),
    importJsonlFile: () => calls.push('importJsonlFile'),
    importJsonlFolder: () => calls.push('importJsonlFolder'),
    exportSource: () => calls.push('exportSource'),
  };
  return { actions, calls };
}

function fileMenu(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.find((item) => item.label === '&File')!.submenu as MenuItemConstructorOptions[];
}

function click(item: MenuItemConstructorOptions | undefined): void {
  (item!.click as () => void)();
}

const recent: RecentSource[] = [
  { path: '/data/runs.db', kind: 'sqlite', opened_at: '2026-05-01T10:00:00.000000+00:00', exists: true },
  { path: '/data/R&D/.deer-flow', kind: 'jsonl', opened_at: '2026-04-30T10:00:00.000000+00:00', exists: true },
];

describe('menu', () => {
  it('has every File command, each calling its action', () => {
    const { actions, calls } = recordingActions();
    const items = fileMenu(menuTemplate(actions, recent, 'linux'));
    const byLabel = (label: string) => items.find((item) => item.label === label);
    for (const label of ['Open Database…', 'Open JSONL Folder…', 'Open Sample Store', 'Import JSONL…', 'Import JSONL Folder…', 'Export…']) click(byLabel(label));
    expect(calls).toEqual(['openDatabase', 'openJsonlFolder', 'openSample', 'importJsonlFile', 'importJsonlFolder', 'exportSource']);
    expect(byLabel('Open Database…')!.accelerator).toBe('CmdOrCtrl+O');
    expect(items.at(-1)).toEqual({ role: 'quit' });
  });

  it('lists recent sources newest first, with a literal ampersand', () => {
    const { actions, calls } = recordingActions();
    const openRecent = fileMenu(menuTemplate(actions, recent, 'linux')).find((item) => item.label === 'Open Recent')!;
    const entries = openRecent.submenu as MenuItemConstructorOptions[];
    expect(entries.map((item) => item.label)).toEqual(['/data/runs.db', '/data/R&&D/.deer-flow']);
    entries.forEach(click);
    expect(calls).toEqual(['openRecent /data/runs.db', 'openRecent /data/R&D/.deer-flow']);
  });

  it('says when there is nothing recent', () => {
    const { actions } = recordingActions();
    const openRecent = fileMenu(menuTemplate(actions, [], 'linux')).find((item) => item.label === 'Open Recent')!;
    expect(openRecent.submenu).toEqual([{ label: 'No Recent Sources', enabled: false }]);
  });

  it('follows the platform: an app menu and Close on macOS', () => {
    const { actions } = recordingActions();
    const template = menuTemplate(actions, [], 'darwin');
    expect(template[0]).toEqual({ role: 'appMenu' });
    expect(fileMenu(template).at(-1)).toEqual({ role: 'close' });
    expect(menuTemplate(actions, [], 'linux').map((item) => item.role ?? item.label)).toEqual(['&File', 'editMenu', 'viewMenu', 'windowMenu']);
  });
});
