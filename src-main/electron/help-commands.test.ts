import type { BrowserWindow, Dialog, Shell } from 'electron';
import { describe, expect, it } from 'vitest';
import { helpCommands } from './help-commands.ts';
import { offerReload } from './page-crash.ts';

function recordingDialog(response = 0) {
  const shown: { message: string; detail?: string; buttons?: string[] }[] = [];
  const dialog = {
    showMessageBox: async (...args: unknown[]) => {
      shown.push(args.at(-1) as (typeof shown)[number]);
      return { response, checkboxChecked: false };
    },
  } as unknown as Dialog;
  return { dialog, shown };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('Help menu', () => {
  const versions = { electron: '39.0.0', chrome: '142.0.0.0', node: '22.20.0' };

  it('About names the version of the app, Electron, Chromium and Node', async () => {
    const { dialog, shown } = recordingDialog();
    const shell = { openPath: async () => '' } as unknown as Shell;
    helpCommands({ dialog, shell, window: () => null, showShortcuts: () => {}, version: '1.2.3', versions, readme: '/app/README.md' }).showAbout();
    await settle();
    expect(shown).toEqual([expect.objectContaining({ message: 'Run Inspector', detail: 'Version 1.2.3\nElectron 39.0.0\nChromium 142.0.0.0\nNode 22.20.0' })]);
  });

  it('README opens the file beside the app, and says so when it cannot', async () => {
    const { dialog, shown } = recordingDialog();
    const opened: string[] = [];
    const shell = { openPath: async (file: string) => (opened.push(file), 'no application for .md') } as unknown as Shell;
    helpCommands({ dialog, shell, window: () => null, showShortcuts: () => {}, version: '1.2.3', versions, readme: '/app/README.md' }).openReadme();
    await settle();
    expect(opened).toEqual(['/app/README.md']);
    expect(shown).toEqual([expect.objectContaining({ message: 'Cannot open /app/README.md', detail: 'no application for .md' })]);
  });
});

describe('a crashed page', () => {
  const fakeWindow = () => {
    const calls: string[] = [];
    const win = { isDestroyed: () => false, close: () => calls.push('close'), webContents: { reload: () => calls.push('reload') } };
    return { win: win as unknown as BrowserWindow, calls };
  };

  it('offers Reload, and reloads when chosen', async () => {
    const { dialog, shown } = recordingDialog(0);
    const { win, calls } = fakeWindow();
    await offerReload(win, dialog, { reason: 'oom', exitCode: 1 });
    expect(shown[0]).toMatchObject({ message: 'The page stopped.', buttons: ['Reload', 'Close'] });
    expect(calls).toEqual(['reload']);
  });

  it('closes the window when the user says Close, and asks nothing after a clean exit', async () => {
    const close = recordingDialog(1);
    const { win, calls } = fakeWindow();
    await offerReload(win, close.dialog, { reason: 'crashed', exitCode: 139 });
    await offerReload(win, close.dialog, { reason: 'clean-exit', exitCode: 0 });
    expect([calls, close.shown.length]).toEqual([['close'], 1]);
  });
});
