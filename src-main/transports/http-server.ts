// Browser mode (`serve`): the contract over loopback HTTP plus the built
// renderer. Reachable only from this machine and only with the per-launch
// token; the Host check stops DNS rebinding (a foreign page resolving its
// own name to 127.0.0.1); no CORS headers, so other origins cannot read
// answers. Cookies do not separate ports and SameSite counts every port of
// 127.0.0.1 as the same site, so a page served on another port would send
// our cookie along: the API takes only JSON bodies (a cross-origin JSON POST
// needs a CORS preflight, which fails here) and refuses any request a
// browser says comes from elsewhere (Origin, Sec-Fetch-Site). Scripts send
// neither header and authenticate with the bearer token. DESIGN.md §4,
// contract.ts `browserProtocol`.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { browserPageApi, browserProtocol, tokenCookieName, type Handlers, type WireError } from '../../src-shared/contract.ts';
import { contentSecurityPolicy } from '../../src-shared/csp.ts';
import { badArgument } from '../../src-shared/errors.ts';
import { SerializedResult } from '../../src-shared/serialized-result.ts';
import { asStoreError } from '../as-store-error.ts';
import { dispatch } from '../handlers/handlers.ts';
import type { PushEmitter } from '../handlers/push.ts';
import { staticFile } from './static-files.ts';
import { httpStatusOf, toWireError } from './wire.ts';

export interface HttpServerOptions {
  handlers: Handlers;
  push: PushEmitter;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The built renderer (`electron-vite build` → out/renderer). */
  rendererDir: string;
  maxBodyBytes?: number;
}

export interface HttpServer {
  /** The URL to open: the page, with the token that lets it in. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const SSE_HEARTBEAT_MS = 25_000;

const securityHeaders = {
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  // The page URL carries the token: never send it on to anyone.
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
} as const;

const NO_TOKEN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Run Inspector</title></head>
<body><h1>Run Inspector</h1><p>Open the URL that <code>run-inspector serve</code> printed: it carries the access token.</p></body></html>
`;

function sendJson(res: ServerResponse, status: number, body: { result: unknown } | { error: WireError }, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...securityHeaders, 'Content-Type': 'application/json; charset=utf-8', ...extra });
  res.end(JSON.stringify(body));
}

const RESULT_OPEN = Buffer.from('{"result":');
const RESULT_CLOSE = Buffer.from('}');

/**
 * A result the read worker serialised, as the body `sendJson` would make of it, its bytes
 * written as they are: this thread neither takes in the objects nor serialises them again.
 */
function sendSerialized(res: ServerResponse, { json }: SerializedResult<unknown>): void {
  res.writeHead(200, {
    ...securityHeaders,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': RESULT_OPEN.byteLength + json.byteLength + RESULT_CLOSE.byteLength,
  });
  res.write(RESULT_OPEN);
  res.write(json);
  res.end(RESULT_CLOSE);
}

function sendError(res: ServerResponse, status: number, code: string, message: string, extra?: Record<string, string>): void {
  sendJson(res, status, { error: { code, message } }, extra);
}

function sendHtml(res: ServerResponse, status: number, html: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...securityHeaders, 'Content-Type': 'text/html; charset=utf-8', ...extra });
  res.end(html);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** `application/json`, with or without parameters (`; charset=utf-8`). */
function declaresJson(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() === 'application/json';
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function parseParams(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (!/\S/.test(text)) return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badArgument(`body: not valid JSON (${(error as Error).message})`);
  }
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const token = randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const maxBodyBytes = options.maxBodyBytes ?? browserProtocol.maxBodyBytes;
  const streams = new Set<ServerResponse>();
  let allowedHosts = new Set<string>();
  let ownOrigins = new Set<string>();
  let tokenCookie = '';

  const isToken = (candidate: string | undefined | null): boolean => {
    if (!candidate) return false;
    const bytes = Buffer.from(candidate);
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };
  const bearer = (req: IncomingMessage) => /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const hasToken = (req: IncomingMessage) => isToken(cookieValue(req.headers.cookie, tokenCookie)) || isToken(bearer(req));
  /** What makes a request another origin's, as the browser reports it; null for our own page and for scripts. */
  const foreignSource = (req: IncomingMessage): string | null => {
    const origin = req.headers.origin;
    if (origin !== undefined && !ownOrigins.has(origin.toLowerCase())) return `Origin ${origin}`;
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site ${site}`;
    return null;
  };

  const streamEvents = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { ...securityHeaders, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    // Sent at once, so a client knows the subscription is live before anything happens.
    res.write(': connected\n\n');
    const unsubscribe = options.push.subscribe(({ channel, message }) => {
      res.write(`event: ${channel}\ndata: ${JSON.stringify(message)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), SSE_HEARTBEAT_MS);
    heartbeat.unref();
    streams.add(res);
    req.on('close', () => {
      unsubscribe();
      clearInterval(heartbeat);
      streams.delete(res);
    });
  };

  const callMethod = async (req: IncomingMessage, res: ServerResponse, method: string) => {
    let body: Buffer;
    try {
      body = await readBody(req, maxBodyBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      // Closing the connection drops the rest of an upload nobody will read.
      sendError(res, 413, 'TOO_LARGE', `request body is over ${maxBodyBytes} bytes`, { Connection: 'close' });
      return;
    }
    try {
      // Browser mode's page methods only (contract.ts `browserPageApi`): a script that writes events uses `rpc`.
      const result = await dispatch(options.handlers, method, parseParams(body), browserPageApi, { keepSerialized: true });
      if (result instanceof SerializedResult) sendSerialized(res, result);
      else sendJson(res, 200, { result });
    } catch (error) {
      const storeError = asStoreError(error);
      sendJson(res, httpStatusOf(storeError.code), { error: toWireError(storeError) });
    }
  };

  const servePage = async (res: ServerResponse, pathname: string, extra: Record<string, string>) => {
    const { status, contentType, body } = await staticFile(pathname, options.rendererDir);
    res.writeHead(status, { ...securityHeaders, 'Content-Type': contentType, ...extra });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
      sendError(res, 403, 'FORBIDDEN', 'Host header not allowed: browser mode answers only 127.0.0.1 and localhost');
      return;
    }
    // Prefixed so a request target like `//evil/x` stays a path.
    const url = new URL(`http://${HOST}${req.url ?? '/'}`);
    if (url.pathname === '/api' || url.pathname.startsWith(browserProtocol.apiPrefix)) {
      if (!hasToken(req)) {
        sendError(res, 401, 'UNAUTHORIZED', 'missing or wrong token: open the URL that `serve` printed, or send Authorization: Bearer <token>');
        return;
      }
      const foreign = foreignSource(req);
      if (foreign !== null) {
        sendError(res, 403, 'FORBIDDEN', `${foreign} not allowed: the API answers only its own page and scripts`);
        return;
      }
      if (url.pathname === browserProtocol.eventsPath && req.method === 'GET') return streamEvents(req, res);
      if (req.method !== 'POST') {
        sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed: call methods with POST`, { Allow: 'POST' });
        return;
      }
      if (!declaresJson(req)) {
        // The body is left unread: closing the connection drops it.
        sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'send the params as a JSON body with Content-Type: application/json', { Connection: 'close' });
        return;
      }
      return callMethod(req, res, url.pathname.slice(browserProtocol.apiPrefix.length));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed`, { Allow: 'GET, HEAD' });
      return;
    }
    const queryToken = url.searchParams.get(browserProtocol.tokenQuery);
    if (isToken(queryToken)) {
      // The page that arrives with the token gets it as a cookie its own scripts cannot read.
      const cookie = `${tokenCookie}=${token}; HttpOnly; SameSite=Strict; Path=/`;
      return servePage(res, url.pathname, { 'Set-Cookie': cookie });
    }
    if (!hasToken(req)) {
      sendHtml(res, 401, NO_TOKEN_PAGE);
      return;
    }
    return servePage(res, url.pathname, {});
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('browser mode request failed:', error);
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', asStoreError(error).message);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = new Set([`${HOST}:${port}`, `localhost:${port}`]);
  ownOrigins = new Set([...allowedHosts].map((host) => `http://${host}`));
  tokenCookie = tokenCookieName(port);
  const origin = `http://${HOST}:${port}`;

  return {
    url: `${origin}/?${browserProtocol.tokenQuery}=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Port already taken and the like, as one line for the CLI. */
export function listenErrorMessage(error: unknown, port: number | undefined): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return `port ${port} is already in use`;
  if (code === 'EACCES') return `not allowed to listen on port ${port}`;
  return error instanceof Error ? error.message : String(error);
}
