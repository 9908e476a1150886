// The window says what is open (issue 9, point 7): the page sets it as its
// document title (browser tab or desktop window), main before the page loads.
import type { SourceInfo } from './types.ts';

export const APP_NAME = 'Run Inspector';

/** `<source name> — Run Inspector`: the file or folder name, whatever the platform's separator. */
export function windowTitle(info: SourceInfo | undefined): string {
  if (!info) return APP_NAME;
  const name = info.path === null ? 'Scratch store' : (info.path.replace(/[\\/]+$/, '').split(/[\\/]/).at(-1) ?? info.path);
  return `${name || info.path} — ${APP_NAME}`;
}
