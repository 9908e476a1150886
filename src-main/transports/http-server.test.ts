import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src-shared/csp.ts';
import { describeHandlerCases } from '../handlers/handler-cases.suite.ts';
import { createHandlers } from '../handlers/handlers.ts';
import type { Session } from '../handlers/session.ts';
import { memorySession } from '../handlers/test-session.ts';
import { startHttpServer, type HttpServer } from './http-server.ts';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request, so tests can send any Host header and body. */
function request(server: HttpServer, target: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: target, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const bearer = (server: HttpServer) => ({ Authorization: `Bearer ${server.token}` });
const post = (server: HttpServer, method: string, params: unknown, headers: Record<string, string> = bearer(server)) =>
  request(server, `/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(params) });

describeHandlerCases('http', 'browser', async () => {
  const session = await memorySession({ transport: 'browser' });
  const server = await startHttpServer({ handlers: createHandlers(session), push: session.push, rendererDir: '/nonexistent' });
  return {
    call: async (method, params) => {
      const reply = await post(server, method, params ?? {});
      const body = JSON.parse(reply.body) as { result?: unknown; error?: { code: string; message: string } };
      if (reply.status === 200) return body.result;
      const expected = { BAD_ARGUMENT: 400, METHOD_NOT_FOUND: 404 }[body.error!.code];
      if (expected !== undefined) expect(reply.status).toBe(expected);
      throw body.error;
    },
    close: async () => {
      await server.close();
      await session.close();
    },
  };
});

describe('browser mode server', () => {
  let session: Session;
  let server: HttpServer;
  let base: string;
  let renderer: string;

  beforeEach(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-http-'));
    renderer = path.join(base, 'renderer');
    fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><script type="module" src="./assets/app.js"></script>');
    fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(base, 'ri-secret.txt'), 'secret');
    session = await memorySession({ transport: 'browser' });
    server = await startHttpServer({ handlers: createHandlers(session), push: session.push, rendererDir: renderer, maxBodyBytes: 1024 });
  });
  afterEach(async () => {
    await server.close();
    await session.close();
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 and prints a URL carrying a long random token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses every /api/ request without the token with 401, before routing', async () => {
    for (const target of ['/api/listThreads', '/api/noSuchMethod', '/api/events', '/api/']) {
      const reply = await request(server, target, { method: 'POST', body: '{}' });
      expect(reply.status, target).toBe(401);
      expect(JSON.parse(reply.body).error.code).toBe('UNAUTHORIZED');
    }
    expect((await post(server, 'listThreads', {}, { Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post(server, 'listThreads', {}, { Cookie: 'ri_token=wrong' })).status).toBe(401);
    expect((await request(server, `/api/listThreads?token=${server.token}`, { method: 'POST' })).status).toBe(401);
  });

  it('answers only Host 127.0.0.1:PORT or localhost:PORT (403 otherwise, token or not)', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, '127.0.0.1']) {
      const reply = await post(server, 'listThreads', {}, { ...bearer(server), Host: host });
      expect(reply.status, host).toBe(403);
      expect((await request(server, `/?token=${server.token}`, { headers: { Host: host } })).status, host).toBe(403);
    }
    expect((await post(server, 'listThreads', {}, { ...bearer(server), Host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('answers a valid call with the store\'s answer, and never with CORS headers', async () => {
    const event = { thread_id: 't1', run_id: 'r1', event_type: 'llm.human.input', category: 'message', content: 'hi' };
    const put = await post(server, 'put', { event }, { ...bearer(server), Origin: 'https://evil.example' });
    expect(put.status).toBe(200);
    expect(put.headers['access-control-allow-origin']).toBeUndefined();
    const listed = await post(server, 'listMessages', { threadId: 't1' });
    expect(JSON.parse(listed.body)).toEqual({ result: await session.store.listMessages('t1') });
  });

  it('400 for params failing their schema, naming the field; 400 for a body that is not JSON', async () => {
    const reply = await post(server, 'listMessages', { threadId: 't1', limit: -5 });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).error).toEqual({ code: 'BAD_ARGUMENT', message: expect.stringContaining('limit') });
    const garbled = await request(server, '/api/listThreads', { method: 'POST', headers: bearer(server), body: '{"a":' });
    expect(garbled.status).toBe(400);
    expect(JSON.parse(garbled.body).error.message).toContain('body');
  });

  it('an empty body is empty params', async () => {
    const reply = await request(server, '/api/listThreads', { method: 'POST', headers: bearer(server) });
    expect([reply.status, JSON.parse(reply.body)]).toEqual([200, { result: [] }]);
  });

  it('404 for an unknown method, 405 for GET on a method', async () => {
    const reply = await post(server, 'dropTables', {});
    expect([reply.status, JSON.parse(reply.body).error.code]).toEqual([404, 'METHOD_NOT_FOUND']);
    expect((await request(server, '/api/listThreads', { headers: bearer(server) })).status).toBe(405);
  });

  it('413 for a body over the cap, announced or streamed', async () => {
    const big = JSON.stringify({ threadId: 'x'.repeat(2000) });
    expect((await post(server, 'countMessages', JSON.parse(big))).status).toBe(413);
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: server.port, path: '/api/countMessages', method: 'POST', headers: { ...bearer(server), 'Transfer-Encoding': 'chunked' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write(big.slice(0, 800));
      req.end(big.slice(800));
    });
    expect(chunked).toBe(413);
  });

  it('the page arriving with ?token= sets an HttpOnly SameSite=Strict cookie that then opens the API', async () => {
    expect((await request(server, '/')).status).toBe(401);
    const page = await request(server, `/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('assets/app.js');
    expect(page.headers['content-security-policy']).toBe(contentSecurityPolicy);
    const cookie = page.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(/^ri_token=[^;]+; HttpOnly; SameSite=Strict; Path=\/$/);
    const jar = cookie.split(';')[0];
    expect((await post(server, 'listThreads', {}, { Cookie: `other=1; ${jar}` })).status).toBe(200);
    const asset = await request(server, '/assets/app.js', { headers: { Cookie: jar } });
    expect([asset.status, asset.headers['content-type'], asset.body]).toEqual([200, 'text/javascript; charset=utf-8', 'console.log(1)']);
    expect((await request(server, `/?token=wrong`)).status).toBe(401);
  });

  it('serves nothing outside the renderer folder', async () => {
    const headers = bearer(server);
    for (const target of ['/../ri-secret.txt', '/%2e%2e/ri-secret.txt', '/assets/%2e%2e%2f%2e%2e%2fri-secret.txt', '/..%5cri-secret.txt', '//etc/passwd']) {
      const reply = await request(server, target, { headers });
      expect(reply.status, target).toBe(404);
      expect(reply.body).not.toContain('secret');
    }
  });

  it('says to build the renderer when it is missing', async () => {
    const bare = await startHttpServer({ handlers: createHandlers(session), push: session.push, rendererDir: path.join(renderer, 'none') });
    const page = await request(bare, `/?token=${bare.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('npm run build');
    await bare.close();
  });

  it('streams push messages as server-sent events', async () => {
    const frames: string[] = [];
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: server.port, path: '/api/events', headers: bearer(server) }, resolve).on('error', reject);
    });
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    res.setEncoding('utf8');
    const received = new Promise<void>((resolve) => {
      res.on('data', (text: string) => {
        frames.push(text);
        if (frames.join('').includes('event: store:changed')) resolve();
      });
    });
    const connected = new Promise<void>((resolve) => res.once('data', () => resolve()));
    await connected;
    await post(server, 'put', { event: { thread_id: 't7', run_id: 'r', event_type: 'x', category: 'trace' } });
    await received;
    expect(frames.join('')).toContain('event: store:changed\ndata: {"threadIds":["t7"]}\n\n');
    res.destroy();
  });
});
