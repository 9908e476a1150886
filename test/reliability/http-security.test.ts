// Adversarial tests of browser mode (DESIGN.md §4): every /api/ request
// without the token is refused, the page's query token is not an API
// credential, DNS-rebinding Host values are refused even with the token, and
// the server is reachable on loopback only. The transports' own tests cover
// the basics; these try to get around them.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserProtocol, tokenCookieName } from '../../src-shared/contract.ts';
import { createHandlers } from '../../src-main/handlers/handlers.ts';
import { Session } from '../../src-main/handlers/session.ts';
import { startHttpServer, type HttpServer } from '../../src-main/transports/http-server.ts';
import { httpRequest, type Reply, type RequestOptions } from '../support/http-request.ts';
import { CLI, REPO_ROOT, makeTempDir } from './support.ts';


let temp: ReturnType<typeof makeTempDir>;
let session: Session;
let server: HttpServer;

beforeAll(async () => {
  temp = makeTempDir();
  const renderer = path.join(temp.dir, 'renderer');
  fs.mkdirSync(renderer);
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>app</title>');
  session = await Session.create(null, { transport: 'browser', workerUrl: null, userDataDir: temp.dir });
  await session.store.put({ thread_id: 'secret-thread', run_id: 'r1', event_type: 'llm.ai.response', category: 'message', content: 'private' });
  server = await startHttpServer({ handlers: createHandlers(session), push: session.push, rendererDir: renderer });
});
afterAll(async () => {
  await server.close();
  await session.close();
  temp.remove();
});

const request = (target: string, options?: RequestOptions): Promise<Reply> => httpRequest(server.port, target, options);

/** Bytes exactly as given (no Host added, duplicate headers kept); resolves with the status code of the answer. */
function rawRequest(text: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1', () => socket.end(text));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0)));
  });
}

const host = () => `127.0.0.1:${server.port}`;
const bearer = () => ({ Authorization: `Bearer ${server.token}` });
const listThreads = (headers: Record<string, string>) =>
  request('/api/listThreads', { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' });

describe('browser mode: the token', () => {
  it('accepts the header, so the other cases fail for their own reason', async () => {
    const reply = await listThreads(bearer());
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('secret-thread');
  });

  const noToken: [string, string, string][] = [
    ['POST', '/api/listThreads', 'a method'],
    ['POST', '/api/dropDatabase', 'an unknown method (401 before routing)'],
    ['GET', '/api/events', 'the push stream'],
    ['GET', '/api', 'the bare prefix'],
    ['GET', '/api/', 'the prefix with a slash'],
    ['POST', '/api/../api/listThreads', 'a dot-dot path'],
    ['POST', '/api/%2e%2e/api/listThreads', 'an encoded dot-dot path'],
    ['OPTIONS', '/api/listThreads', 'a CORS preflight'],
    ['POST', `/api/listThreads?${browserProtocol.tokenQuery}=TOKEN`, 'the token in the query, which only the page accepts'],
  ];
  for (const [method, target, label] of noToken) {
    it(`refuses ${label} with 401 and no data`, async () => {
      const reply = await request(target.replace('TOKEN', server.token), { method, body: method === 'POST' ? '{}' : undefined });
      expect(reply.status).toBe(401);
      expect(reply.body).not.toContain('secret-thread');
      expect(reply.body).not.toContain(server.token);
      expect(reply.headers['access-control-allow-origin']).toBeUndefined();
      expect(reply.headers['set-cookie']).toBeUndefined();
    });
  }

  const wrong: [string, () => Record<string, string>][] = [
    ['a bearer token with a character more', () => ({ Authorization: `Bearer ${server.token}x` })],
    ['a bearer token with a character less', () => ({ Authorization: `Bearer ${server.token.slice(0, -1)}` })],
    ['the token in another case', () => ({ Authorization: `Bearer ${server.token.toUpperCase() === server.token ? server.token.toLowerCase() : server.token.toUpperCase()}` })],
    ['the token as Basic credentials', () => ({ Authorization: `Basic ${server.token}` })],
    ['the token after "Bearer" with no space', () => ({ Authorization: `Bearer${server.token}` })],
    ['an empty cookie', () => ({ Cookie: `${tokenCookieName(server.port)}=` })],
    ['the token under a longer cookie name', () => ({ Cookie: `x${tokenCookieName(server.port)}=${server.token}` })],
    ['the token under a cookie name with a suffix', () => ({ Cookie: `${tokenCookieName(server.port)}2=${server.token}` })],
    ['the token under another port\'s cookie name', () => ({ Cookie: `${tokenCookieName(server.port + 1)}=${server.token}` })],
    ['the token in an X-Token header', () => ({ 'X-Token': server.token })],
  ];
  for (const [label, headers] of wrong) {
    it(`refuses ${label} with 401`, async () => {
      const reply = await listThreads(headers());
      expect(reply.status).toBe(401);
      expect(reply.body).not.toContain('secret-thread');
    });
  }

  it('sets no cookie for a page asked with a wrong or missing token', async () => {
    for (const target of ['/', `/?${browserProtocol.tokenQuery}=${server.token}x`, `/?${browserProtocol.tokenQuery}=`]) {
      const reply = await request(target);
      expect(reply.status, target).toBe(401);
      expect(reply.headers['set-cookie'], target).toBeUndefined();
    }
  });

  it('keeps the token out of referrers and caches', async () => {
    const page = await request(`/?${browserProtocol.tokenQuery}=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('is random per launch and long', async () => {
    const other = await startHttpServer({ handlers: createHandlers(session), push: session.push, rendererDir: temp.dir });
    try {
      expect(other.token).not.toBe(server.token);
      expect(Buffer.from(other.token, 'base64url').length).toBeGreaterThanOrEqual(32);
      // One server's token opens nothing on the other.
      const reply = await new Promise<number>((resolve, reject) => {
        http
          .request({ host: '127.0.0.1', port: other.port, path: '/api/listThreads', method: 'POST', headers: bearer() }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on('error', reject)
          .end('{}');
      });
      expect(reply).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe('browser mode: the Host check (DNS rebinding)', () => {
  const evilHosts = [
    'evil.com',
    'evil.com:PORT',
    '127.0.0.1.evil.com',
    '127.0.0.1.evil.com:PORT',
    'localhost.evil.com:PORT',
    '127.0.0.1:PORT.evil.com',
    '127.0.0.1:PORT@evil.com',
    'evil.com#127.0.0.1:PORT',
    '127.0.0.1:1',
    '0.0.0.0:PORT',
  ];
  for (const value of evilHosts) {
    it(`refuses Host ${JSON.stringify(value)} with 403 even with the token, and hands out no cookie`, async () => {
      const hostHeader = value.replace('PORT', String(server.port));
      const api = await listThreads({ ...bearer(), Host: hostHeader });
      expect(api.status).toBe(403);
      expect(api.body).not.toContain('secret-thread');
      const page = await request(`/?${browserProtocol.tokenQuery}=${server.token}`, { headers: { Host: hostHeader } });
      expect(page.status).toBe(403);
      expect(page.headers['set-cookie']).toBeUndefined();
    });
  }

  it('refuses a request with no Host header at all (HTTP/1.0), token or not', async () => {
    expect(await rawRequest(`POST /api/listThreads HTTP/1.0\r\nAuthorization: Bearer ${server.token}\r\nContent-Length: 2\r\n\r\n{}`)).toBe(403);
    expect(await rawRequest(`GET /?${browserProtocol.tokenQuery}=${server.token} HTTP/1.0\r\n\r\n`)).toBe(403);
  });

  it('refuses an empty Host header', async () => {
    expect(await rawRequest(`POST /api/listThreads HTTP/1.1\r\nHost: \r\nAuthorization: Bearer ${server.token}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`)).toBe(403);
  });

  it('refuses an absolute-form request target naming another host', async () => {
    const status = await rawRequest(
      `POST http://evil.com/api/listThreads HTTP/1.1\r\nHost: evil.com\r\nAuthorization: Bearer ${server.token}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
    );
    expect(status).toBe(403);
  });

  it('answers the hosts it was started for', async () => {
    expect((await listThreads({ ...bearer(), Host: host() })).status).toBe(200);
    expect((await listThreads({ ...bearer(), Host: `localhost:${server.port}` })).status).toBe(200);
  });
});

describe('browser mode: loopback only', () => {
  it('listens on 127.0.0.1, not on every interface', () => {
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
    // Linux lists listening sockets with their bound address: 0100007F is 127.0.0.1, 00000000 would be 0.0.0.0.
    const table = fs.existsSync('/proc/net/tcp') ? fs.readFileSync('/proc/net/tcp', 'utf8') : null;
    if (table === null) return;
    const portHex = server.port.toString(16).toUpperCase().padStart(4, '0');
    const listening = table
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols[1]?.endsWith(`:${portHex}`) && cols[3] === '0A')
      .map((cols) => cols[1]);
    expect(listening).toEqual([`0100007F:${portHex}`]);
    const table6 = fs.existsSync('/proc/net/tcp6') ? fs.readFileSync('/proc/net/tcp6', 'utf8') : '';
    expect(table6.split('\n').filter((line) => line.includes(`:${portHex} `) && line.includes(' 0A '))).toEqual([]);
  });

  it('cannot be reached on this machine’s other addresses', async () => {
    const addresses = Object.values(os.networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal && a.family === 'IPv4')
      .map((a) => a!.address);
    for (const address of addresses) {
      const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
        const socket = net.connect(server.port, address, () => {
          socket.destroy();
          resolve(null);
        });
        socket.on('error', resolve);
      });
      expect(error?.code, address).toBe('ECONNREFUSED');
    }
  });

  it('`serve` prints a 127.0.0.1 URL and the process binds nothing else', async () => {
    const child = spawn(process.execPath, [CLI, 'serve', '--memory'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          const line = out.split('\n').find((l) => l.startsWith('http'));
          if (line) resolve(line);
        });
        child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
      });
      expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/\\?${browserProtocol.tokenQuery}=[A-Za-z0-9_-]{43,}$`));
      const port = Number(new URL(url).port);
      const reply = await new Promise<number>((resolve, reject) => {
        http
          .request({ host: '127.0.0.1', port, path: '/api/listThreads', method: 'POST', headers: { Host: 'evil.com' } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on('error', reject)
          .end('{}');
      });
      expect(reply).toBe(403);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});

describe('browser mode: oversized requests', () => {
  it('answers an oversized header block with 431 and keeps serving', async () => {
    const status = await rawRequest(`GET / HTTP/1.1\r\nHost: ${host()}\r\nX-Pad: ${'a'.repeat(128 * 1024)}\r\nConnection: close\r\n\r\n`);
    expect(status).toBe(431);
    expect((await listThreads(bearer())).status).toBe(200);
  });
});
