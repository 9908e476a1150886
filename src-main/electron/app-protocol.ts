// The built renderer served as app://run-inspector/… instead of file:// (so
// the page has a real origin, no access to other local files, and response
// headers carrying the CSP). Plain node: testable without Electron.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CustomScheme } from 'electron';
import { appHost, appScheme } from './security.ts';

/**
 * Registered before `app.ready`: a standard, secure scheme so the page gets
 * an origin and its same-origin module scripts load. Not `corsEnabled`: that
 * would let other origins read app:// responses.
 */
export const appSchemePrivileges: CustomScheme = {
  scheme: appScheme,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
};

/** The file under rendererDir an app:// URL names, or null when it names anything outside it. */
export function resolveAppFile(url: string, rendererDir: string): string | null {
  let parsed: URL;
  let pathname: string;
  try {
    parsed = new URL(url);
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${appScheme}:` || parsed.host !== appHost || pathname.includes('\0')) return null;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  const relative = path.relative(root, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? file : null;
}

export async function appResponse(url: string, rendererDir: string, policy: string): Promise<Response> {
  const headers = { 'Content-Security-Policy': policy, 'X-Content-Type-Options': 'nosniff' };
  const file = resolveAppFile(url, rendererDir);
  const type = file === null ? undefined : contentTypes[path.extname(file).toLowerCase()];
  if (file === null || type === undefined) return new Response('Not found', { status: 404, headers });
  try {
    return new Response(new Uint8Array(await readFile(file)), { status: 200, headers: { ...headers, 'Content-Type': type } });
  } catch {
    return new Response('Not found', { status: 404, headers });
  }
}
