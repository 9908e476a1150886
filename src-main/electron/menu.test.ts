import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { RecentSource } from '../../src-shared/contract.ts';
import { menuTemplate, type MenuActions } from './menu.ts';

function recordingActions() {
  const calls: string[] = [];
  const actions: MenuActions = {
    openDatabase: () => calls.push('openDatabase'),
    openJsonlFolder: () => calls.push('openJsonlFolder'),
    openPostgres: () => calls.push('openPostgres'),
    openRecent: (path) => calls.push(`openRecent ${path}`),
    clearRecent: () => calls.push('clearRecent'),
    openSample: () => calls.push('openSample'),
    importJsonlFile: () => calls.push('importJsonlFile'),
    importJsonlFolder: () => calls.push('importJsonlFolder'),
    exportSource: () => calls.push('exportSource'),
    showShortcuts: () => calls.push('showShortcuts'),
    showAbout: () => calls.push('showAbout'),
    openReadme: () => calls.push('openReadme'),
  };
  return { actions, calls };
}

function submenu(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  return template.find((item) => item.label === label)!.submenu as MenuItemConstructorOptions[];
}

function click(item: MenuItemConstructorOptions | undefined): void {
  (item!.click as () => void)();
}

const recent: RecentSource[] = [
  { path: '/data/runs.db', kind: 'sqlite', opened_at: '2026-05-01T10:00:00.000000+00:00', exists: true },
  { path: '/data/R&D/.deer-flow', kind: 'jsonl', opened_at: '2026-04-30T10:00:00.000000+00:00', exists: true },
  { path: '/data/moved.db', kind: 'sqlite', opened_at: '2026-04-29T10:00:00.000000+00:00', exists: false },
];

describe('menu', () => {
  it('has every File command, each calling its action', () => {
    const { actions, calls } = recordingActions();
    const items = submenu(menuTemplate(actions, recent, 'linux'), '&File');
    const byLabel = (label: string) => items.find((item) => item.label === label);
    for (const label of ['Open Database…', 'Open JSONL Folder…', 'Open PostgreSQL Database…', 'Open Sample Store', 'Import JSONL…', 'Import JSONL Folder…', 'Export…']) click(byLabel(label));
    expect(calls).toEqual(['openDatabase', 'openJsonlFolder', 'openPostgres', 'openSample', 'importJsonlFile', 'importJsonlFolder', 'exportSource']);
    expect(byLabel('Open Database…')!.accelerator).toBe('CmdOrCtrl+O');
    expect(items.at(-1)).toEqual({ role: 'quit' });
  });

  it('lists recent sources newest first, with a literal ampersand, one that is gone marked as such, then Clear Recent', () => {
    const { actions, calls } = recordingActions();
    const entries = submenu(submenu(menuTemplate(actions, recent, 'linux'), '&File'), 'Open Recent');
    expect(entries.map((item) => item.label ?? item.type)).toEqual(['/data/runs.db', '/data/R&&D/.deer-flow', '/data/moved.db (moved or deleted)', 'separator', 'Clear Recent']);
    entries.filter((item) => item.click).forEach(click);
    expect(calls).toEqual(['openRecent /data/runs.db', 'openRecent /data/R&D/.deer-flow', 'openRecent /data/moved.db', 'clearRecent']);
  });

  it('says when there is nothing recent', () => {
    const { actions } = recordingActions();
    expect(submenu(submenu(menuTemplate(actions, [], 'linux'), '&File'), 'Open Recent')).toEqual([{ label: 'No Recent Sources', enabled: false }]);
  });

  it('has a Help menu: keyboard shortcuts, the README, About', () => {
    const { actions, calls } = recordingActions();
    const items = submenu(menuTemplate(actions, [], 'linux'), '&Help');
    expect(items.map((item) => item.label ?? item.type)).toEqual(['Keyboard Shortcuts', 'README', 'separator', 'About Run Inspector']);
    items.filter((item) => item.click).forEach(click);
    expect(calls).toEqual(['showShortcuts', 'openReadme', 'showAbout']);
  });

  it('follows the platform: an app menu and Close on macOS', () => {
    const { actions } = recordingActions();
    const template = menuTemplate(actions, [], 'darwin');
    expect(template[0]).toEqual({ role: 'appMenu' });
    expect(submenu(template, '&File').at(-1)).toEqual({ role: 'close' });
    expect(menuTemplate(actions, [], 'linux').map((item) => item.role ?? item.label)).toEqual(['&File', 'editMenu', 'viewMenu', 'windowMenu', 'help']);
  });
});
