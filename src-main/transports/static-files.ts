// The built renderer's files by URL path, for the two ways the page is
// loaded: the desktop shell's app:// protocol handler and browser mode's
// HTTP server. Only files inside the folder, only types the page uses.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

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

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Run Inspector</title></head>
<body><h1>Run Inspector</h1><p>The page is not built yet. Run <code>npm run build</code>, then reload this page.</p></body></html>
`;

export interface StaticFile {
  status: 200 | 404;
  contentType: string;
  body: Uint8Array;
}

const notFound = (): StaticFile => ({ status: 404, contentType: 'text/plain; charset=utf-8', body: new TextEncoder().encode('Not found') });

/** The file under root that a URL's (percent-encoded) path names, or null when it names anything outside it. */
export function resolveStaticFile(pathname: string, root: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = path.resolve(root);
  const file = path.resolve(base, `.${decoded === '/' ? '/index.html' : decoded}`);
  const relative = path.relative(base, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? file : null;
}

/** What to answer for a URL path: the file, a page saying to build when there is no build at all, else 404. */
export async function staticFile(pathname: string, root: string): Promise<StaticFile> {
  const file = resolveStaticFile(pathname, root);
  if (file === path.join(path.resolve(root), 'index.html') && !existsSync(file)) {
    return { status: 200, contentType: 'text/html; charset=utf-8', body: new TextEncoder().encode(NOT_BUILT_PAGE) };
  }
  const contentType = file === null ? undefined : contentTypes[path.extname(file).toLowerCase()];
  if (file === null || contentType === undefined) return notFound();
  try {
    return { status: 200, contentType, body: await readFile(file) };
  } catch {
    return notFound();
  }
}
