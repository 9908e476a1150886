// The built renderer served as app://run-inspector/… instead of file:// (so
// the page has a real origin, no access to other local files, and response
// headers carrying the CSP). Plain node: testable without Electron.
import type { CustomScheme } from 'electron';
import { staticFile } from '../transports/static-files.ts';
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

/** The path an app:// URL names in the renderer folder, or null for any other URL. */
export function appPathname(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return parsed.protocol === `${appScheme}:` && parsed.host === appHost ? parsed.pathname : null;
}

export async function appResponse(url: string, rendererDir: string, policy: string): Promise<Response> {
  const headers = { 'Content-Security-Policy': policy, 'X-Content-Type-Options': 'nosniff' };
  const pathname = appPathname(url);
  if (pathname === null) return new Response('Not found', { status: 404, headers });
  const { status, contentType, body } = await staticFile(pathname, rendererDir);
  return new Response(new Uint8Array(body), { status, headers: { ...headers, 'Content-Type': contentType } });
}
