import { EventEmitter } from 'node:events';
import type { IpcMainInvokeEvent, Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy } from '../../src-shared/csp.ts';
import {
  appPages,
  contentSecurityPolicyFor,
  guardWebContents,
  hardenSession,
  isAppPage,
  isTrustedSender,
  openExternalUrl,
  secureWebPreferences,
} from './security.ts';

const built = appPages();
const dev = appPages('http://localhost:5173');

/** A WebContents that records its listeners and window-open handler. */
function fakeContents() {
  const emitter = new EventEmitter();
  let windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents = Object.assign(emitter, {
    setWindowOpenHandler(handler: typeof windowOpenHandler) {
      windowOpenHandler = handler;
    },
  });
  /** Emits like Electron: an event object with preventDefault (and the url, as Electron's details carry it). */
  const fire = (name: string, url = '', ...rest: unknown[]) => {
    const event = { url, defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
    emitter.emit(name, event, url, ...rest);
    return event.defaultPrevented;
  };
  return { contents: contents as unknown as WebContents, fire, openWindow: (url: string) => windowOpenHandler?.({ url }) };
}

type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
) => void;
type RequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void;
type CheckHandler = (contents: unknown, permission: string, requestingOrigin: string) => boolean;

/** A Session that records the hooks hardenSession installs. */
function fakeSession() {
  const hooks: { headers?: HeadersListener; request?: RequestHandler; check?: CheckHandler } = {};
  const session = {
    webRequest: { onHeadersReceived: (listener: HeadersListener) => (hooks.headers = listener) },
    setPermissionRequestHandler: (handler: RequestHandler) => (hooks.request = handler),
    setPermissionCheckHandler: (handler: CheckHandler) => (hooks.check = handler),
  };
  return { session: session as unknown as Session, hooks };
}

function headersFor(hooks: ReturnType<typeof fakeSession>['hooks'], url: string, responseHeaders?: Record<string, string[]>) {
  let answer: { responseHeaders?: Record<string, string[]> } | undefined;
  hooks.headers!({ url, responseHeaders }, (response) => (answer = response));
  return answer;
}

function requestPermission(hooks: ReturnType<typeof fakeSession>['hooks'], permission: string, requestingUrl: string): boolean {
  let granted: boolean | undefined;
  hooks.request!(null, permission, (value) => (granted = value), { requestingUrl });
  return granted!;
}

describe('webPreferences', () => {
  it('isolate, sandbox and keep Node out of every page', () => {
    expect(secureWebPreferences('/app/out/preload/preload.cjs')).toEqual({
      preload: '/app/out/preload/preload.cjs',
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
    });
  });
});

describe('Content-Security-Policy', () => {
  it('is the shared policy, word for word', () => {
    expect(contentSecurityPolicy).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(contentSecurityPolicyFor(built)).toBe(contentSecurityPolicy);
  });

  it('is set on the app pages, replacing any policy the response had', () => {
    const { session, hooks } = fakeSession();
    hardenSession(session, built);
    const answer = headersFor(hooks, 'app://run-inspector/index.html', {
      'content-security-policy': ['default-src *'],
      'Content-Type': ['text/html'],
    });
    expect(answer).toEqual({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [contentSecurityPolicy] },
    });
  });

  it('leaves other origins untouched', () => {
    const { session, hooks } = fakeSession();
    hardenSession(session, built);
    expect(headersFor(hooks, 'https://example.com/')).toEqual({});
  });

  it('under the dev server relaxes only the inline preamble script and the HMR socket', () => {
    const policy = contentSecurityPolicyFor(dev);
    expect(policy).toBe(
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws://localhost:5173; object-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    );
    const { session, hooks } = fakeSession();
    hardenSession(session, dev);
    expect(headersFor(hooks, 'http://localhost:5173/')?.responseHeaders?.['Content-Security-Policy']).toEqual([policy]);
  });
});

describe('navigation, redirects, new windows and webviews', () => {
  it('blocks every navigation and hands http(s) links to the external opener', () => {
    const { contents, fire } = fakeContents();
    const opened: string[] = [];
    guardWebContents(contents, (url) => opened.push(url));
    expect(fire('will-navigate', 'https://example.com/docs')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-navigate', 'app://run-inspector/index.html')).toBe(true);
    expect(opened).toEqual(['https://example.com/docs', 'file:///etc/passwd', 'app://run-inspector/index.html']);
  });

  it('blocks redirects and webviews', () => {
    const { contents, fire } = fakeContents();
    guardWebContents(contents, () => {});
    expect(fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(fire('will-attach-webview', '', {}, { src: 'https://evil.example/' })).toBe(true);
  });

  it('denies every new window, offering its URL to the external opener', () => {
    const { contents, openWindow } = fakeContents();
    const opened: string[] = [];
    guardWebContents(contents, (url) => opened.push(url));
    expect(openWindow('https://example.com/')).toEqual({ action: 'deny' });
    expect(openWindow('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.com/', 'javascript:alert(1)']);
  });
});

describe('permissions', () => {
  const denied = ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'usb', 'unknown'];

  it('are denied on request and on check, from the app page too', () => {
    const { session, hooks } = fakeSession();
    hardenSession(session, built);
    for (const permission of denied) {
      expect(requestPermission(hooks, permission, 'app://run-inspector/index.html')).toBe(false);
      expect(hooks.check!(null, permission, 'app://run-inspector')).toBe(false);
    }
  });

  it('let only the app page write the clipboard (its copy buttons)', () => {
    const { session, hooks } = fakeSession();
    hardenSession(session, built);
    expect(requestPermission(hooks, 'clipboard-sanitized-write', 'app://run-inspector/index.html')).toBe(true);
    expect(hooks.check!(null, 'clipboard-sanitized-write', 'app://run-inspector')).toBe(true);
    expect(requestPermission(hooks, 'clipboard-sanitized-write', 'https://example.com/')).toBe(false);
    expect(hooks.check!(null, 'clipboard-sanitized-write', 'file://')).toBe(false);
  });
});

describe('external opener', () => {
  it('opens http and https URLs, normalised', async () => {
    const shell = { openExternal: vi.fn(async () => {}) };
    expect(await openExternalUrl(shell, 'https://example.com/a b')).toBe(true);
    expect(await openExternalUrl(shell, 'http://localhost:8080/')).toBe(true);
    expect(shell.openExternal.mock.calls).toEqual([['https://example.com/a%20b'], ['http://localhost:8080/']]);
  });

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vscode://file/etc/passwd',
    'smb://server/share',
    'ms-msdt:/id PCWDiagnostic',
    'app://run-inspector/index.html',
    'mailto:a@example.com',
    '//example.com/',
    'example.com',
    '',
    42,
    null,
    { href: 'https://example.com/' },
  ])('refuses %j', async (value) => {
    const shell = { openExternal: vi.fn(async () => {}) };
    expect(await openExternalUrl(shell, value)).toBe(false);
    expect(shell.openExternal).not.toHaveBeenCalled();
  });
});

describe('IPC sender check', () => {
  type Frame = { url: string; parent: Frame | null };
  const event = (frame: Frame | null) => ({ senderFrame: frame }) as unknown as Pick<IpcMainInvokeEvent, 'senderFrame'>;
  const top = (url: string): Frame => ({ url, parent: null });

  it("accepts the top frame of the app's own page", () => {
    expect(isTrustedSender(event(top('app://run-inspector/index.html')), built)).toBe(true);
    expect(isTrustedSender(event(top('app://run-inspector/index.html#/threads/t1?x=1')), built)).toBe(true);
    expect(isTrustedSender(event(top('http://localhost:5173/')), dev)).toBe(true);
  });

  it('refuses every other frame', () => {
    const refused: (Frame | null)[] = [
      null,
      { url: 'app://run-inspector/index.html', parent: top('app://run-inspector/index.html') },
      top('app://run-inspector/other.html'),
      top('app://evil/index.html'),
      top('file:///work/main/out/renderer/index.html'),
      top('https://example.com/index.html'),
      top('http://localhost:5173/'),
      top('about:blank'),
      top('not a url'),
    ];
    for (const frame of refused) expect(isTrustedSender(event(frame), built)).toBe(false);
    expect(isTrustedSender(event(top('http://localhost:5174/')), dev)).toBe(false);
    expect(isTrustedSender(event(top('http://127.0.0.1:5173/')), dev)).toBe(false);
  });

  it('tells the app page from the rest of its origin', () => {
    expect(isAppPage('app://run-inspector/', built)).toBe(false);
    expect(isAppPage('app://run-inspector/index.html', built)).toBe(true);
  });
});
