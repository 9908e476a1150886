// A page that crashed (or was killed) leaves a blank window; this offers to
// reload it instead (issue 9, point 7). A clean exit is the window closing.
import type { BrowserWindow, Dialog, RenderProcessGoneDetails } from 'electron';

type CrashedWindow = Pick<BrowserWindow, 'isDestroyed' | 'close'> & { webContents: Pick<BrowserWindow['webContents'], 'reload'> };

export async function offerReload(win: CrashedWindow, dialog: Pick<Dialog, 'showMessageBox'>, details: Pick<RenderProcessGoneDetails, 'reason' | 'exitCode'>): Promise<void> {
  if (details.reason === 'clean-exit') return;
  console.error('The page stopped:', details.reason);
  const { response } = await dialog.showMessageBox(win as BrowserWindow, {
    type: 'error',
    message: 'The page stopped.',
    detail: `Reason: ${details.reason} (exit code ${details.exitCode}). Reloading shows the open source again.`,
    buttons: ['Reload', 'Close'],
    defaultId: 0,
    cancelId: 1,
  });
  if (win.isDestroyed()) return;
  if (response === 0) win.webContents.reload();
  else win.close();
}
