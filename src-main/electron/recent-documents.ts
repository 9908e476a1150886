// The OS's recent documents (the dock's, the jump list's) follow the app's
// recent list, files only: a PostgreSQL source's URL is no document the OS
// could reopen, and stays in the File menu and the Open dialog.
import type { App } from 'electron';
import type { RecentChange } from '../handlers/recent-sources.ts';
import { isSourceUrl } from '../store/source-url.ts';

export function mirrorRecentChange(os: Pick<App, 'addRecentDocument' | 'clearRecentDocuments'>, change: RecentChange): void {
  if (change.kind === 'added' && !isSourceUrl(change.path)) os.addRecentDocument(change.path);
  if (change.kind === 'cleared') os.clearRecentDocuments();
}
