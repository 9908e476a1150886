// Electron's security checklist, in one place. Every function takes the
// electron objects it hardens as parameters (types only are imported), so
// security.test.ts asserts each guard with fakes and no Electron binary.
import type { IpcMainInvokeEvent, Session, Shell, WebContents, WebPreferences } from 'electron';
import { contentSecurityPolicy, cspDirectives, formatCsp } from '../../src-shared/csp.ts';

/** The built renderer is served from this origin rather than file:// (checklist: prefer custom protocols). */
export const appScheme = 'app';
export const appHost = 'run-inspector';

/** Where the app's own pages come from: the built renderer, or Vite's dev server under `electron-vite dev`. */
export interface AppPages {
  /** The URL the window loads; IPC is answered only for a top frame showing this page. */
  entryUrl: string;
  dev: boolean;
}

export function appPages(devServerUrl?: string): AppPages {
  return devServerUrl
    ? { entryUrl: new URL(devServerUrl).href, dev: true }
    : { entryUrl: `${appScheme}://${appHost}/index.html`, dev: false };
}

function parseUrl(value: unknown): URL | null {
  if (typeof value !== 'string') return null;
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** Same scheme and host as the app's pages (any resource of the app). */
export function isAppOrigin(url: string, pages: AppPages): boolean {
  const parsed = parseUrl(url);
  const entry = new URL(pages.entryUrl);
  return parsed !== null && parsed.protocol === entry.protocol && parsed.host === entry.host;
}

/** The app's page itself (query and hash aside): the only document allowed to call main. */
export function isAppPage(url: string, pages: AppPages): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && isAppOrigin(url, pages) && parsed.pathname === new URL(pages.entryUrl).pathname;
}

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  };
}

/**
 * The shared policy; under the dev server only, the React Refresh preamble
 * (an inline script) and Vite's HMR socket are let through as well.
 */
export function contentSecurityPolicyFor(pages: AppPages): string {
  if (!pages.dev) return contentSecurityPolicy;
  const entry = new URL(pages.entryUrl);
  return formatCsp({
    ...cspDirectives,
    'script-src': [...cspDirectives['script-src'], "'unsafe-inline'"],
    'connect-src': [...cspDirectives['connect-src'], `ws://${entry.host}`],
  });
}

export function applyContentSecurityPolicy(session: Session, pages: AppPages): void {
  const policy = contentSecurityPolicyFor(pages);
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppOrigin(details.url, pages)) {
      callback({});
      return;
    }
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy'),
    );
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [policy] } });
  });
}

/**
 * Denied unless the app's own page asks to write the clipboard (its copy
 * buttons); camera, notifications, geolocation, … are never granted.
 */
export function isPermissionGranted(permission: string, requestingUrl: string, pages: AppPages): boolean {
  return permission === 'clipboard-sanitized-write' && isAppOrigin(requestingUrl, pages);
}

export function denyPermissions(session: Session, pages: AppPages): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionGranted(permission, details.requestingUrl, pages));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionGranted(permission, requestingOrigin, pages),
  );
}

/** The one way out to other programs: http(s) URLs only, after parsing. Resolves whether it opened. */
export async function openExternalUrl(shell: Pick<Shell, 'openExternal'>, value: unknown): Promise<boolean> {
  const url = parseUrl(value);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) return false;
  await shell.openExternal(url.href);
  return true;
}

/**
 * No navigation, redirect, new window or webview, ever: the app is one page.
 * A link in event content that the user clicks (with or without a target)
 * goes to the external opener instead, which lets only http(s) through.
 */
export function guardWebContents(contents: WebContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event) => {
    // hit when clicking <a href> with no target
    event.preventDefault();
    openExternal(event.url);
  });
  contents.on('will-redirect', (event) => {
    event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler((details) => {
    // hit by <a target="_blank"> and window.open
    openExternal(details.url);
    return { action: 'deny' };
  });
}

/** Main answers IPC only from the top frame of the app's own page. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, pages: AppPages): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppPage(frame.url, pages);
}

export function hardenSession(session: Session, pages: AppPages): void {
  applyContentSecurityPolicy(session, pages);
  denyPermissions(session, pages);
}
