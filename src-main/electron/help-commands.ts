// What the Help menu does: the page's shortcuts sheet (through a push
// message, the page owns it), About with the versions a bug report needs,
// and the README beside the app.
import type { BrowserWindow, Dialog, MessageBoxOptions, Shell } from 'electron';
import type { HelpActions } from './menu.ts';

export interface HelpCommandsOptions {
  dialog: Pick<Dialog, 'showMessageBox'>;
  shell: Pick<Shell, 'openPath'>;
  window: () => BrowserWindow | null;
  /** Asks the page to open its keyboard shortcuts sheet. */
  showShortcuts: () => void;
  version: string;
  versions: Pick<NodeJS.ProcessVersions, 'electron' | 'chrome' | 'node'>;
  readme: string;
}

export function aboutDetail(version: string, versions: HelpCommandsOptions['versions']): string {
  return [`Version ${version}`, `Electron ${versions.electron}`, `Chromium ${versions.chrome}`, `Node ${versions.node}`].join('\n');
}

export function helpCommands({ dialog, shell, window, showShortcuts, version, versions, readme }: HelpCommandsOptions): HelpActions {
  const messageBox = (options: MessageBoxOptions) => {
    const win = window();
    return win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options);
  };
  const report = (error: unknown) => console.error('Help menu:', error);
  return {
    showShortcuts,
    showAbout: () => void messageBox({ type: 'info', message: 'Run Inspector', detail: aboutDetail(version, versions), buttons: ['OK'] }).catch(report),
    openReadme: () =>
      void shell
        .openPath(readme)
        // openPath answers with an error text rather than rejecting.
        .then(async (problem) => {
          if (problem) await messageBox({ type: 'error', message: `Cannot open ${readme}`, detail: problem });
        })
        .catch(report),
  };
}
