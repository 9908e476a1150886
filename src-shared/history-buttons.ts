// The mouse's back and forward buttons in the desktop app. On Windows and
// Linux Electron reports them to main as the window's app-command
// ('browser-backward' / 'browser-forward'; on Windows also a keyboard's
// Browser Back / Forward keys), while the page may see the same press as
// mouse button 3 / 4: answering both would step twice. So where the app
// command exists main alone steps the window's history, and the page's own
// button handler serves browser mode and the desktop app on macOS (which has
// no such command). Alt+←/→ is the page's everywhere.

/** Where main steps the desktop window's history on the app command. */
export function mainStepsOnHistoryButtons(platform: string): boolean {
  return platform === 'win32' || platform === 'linux';
}

/**
 * Whether the page steps history on mouse buttons 3 / 4 itself. In the desktop app it needs the
 * platform (appInfo); until that answers (null) it leaves the buttons to main, so a press never
 * steps twice.
 */
export function pageStepsOnHistoryButtons(mode: 'desktop' | 'browser', desktopPlatform: string | null): boolean {
  if (mode === 'browser') return true;
  return desktopPlatform !== null && !mainStepsOnHistoryButtons(desktopPlatform);
}
