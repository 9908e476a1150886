import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy } from '../../src-shared/csp.ts';
import { SerializedResult } from '../../src-shared/serialized-result.ts';
import { describeHandlerCases } from '../../test/support/handler-cases.suite.ts';
import { workerReads, workerSession } from '../../test/support/worker-session.ts';
import { createHandlers } from '../handlers/handlers.ts';
import type { Session } from '../handlers/session.ts';
import { memorySession } from '../../test/support/test-session.ts';
import { startHttpServer, type HttpServer } from './http-server.ts';
import { httpRequest, type Reply, type RequestOptions } from '../../test/support/http-request.ts';

/** A request to `server`, so tests can send any Host header and body. */
const request = (server: HttpServer, target: string, options?: RequestOptions): Promise<Reply> => httpRequest(server.port, target, options);


const bearer = (server: HttpServer) => ({ Authorization: `Bearer ${server.token}` });
const json = { 'Content-Type': 'application/json' };
const post = (server: HttpServer, method: string, params: unknown, headers: Record<string, string> = bearer(server)) =>
  request(server, `/api/${method}`, { method: 'POST', headers: { ...json, ...headers }, body: params === undefined ? undefined : JSON.stringify(params) });

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
    seed: (events) => session.store.putBatch(events),
    close: async () => {
      await server.close();
      await session.close();
    },
  };
}, { page: 'browser' });

describe("browser mode's answers from the read worker", () => {
  it('sends the JSON the worker made as the body, byte for byte the body of the answer read in-process', async () => {
    const { session, readHere, close } = await workerSession('browser');
    const server = await startHttpServer({ handlers: createHandlers(session), push: session.push, rendererDir: '/nonexistent' });
    const answered = vi.spyOn(session.readWorker!, 'answer');
    try {
      for (const read of workerReads) {
        const reply = await post(server, read.method, read.params);
        const expected = JSON.stringify({ result: await readHere(read) });
        expect([reply.status, reply.body], read.method).toEqual([200, expected]);
        expect(reply.headers['content-length'], read.method).toBe(String(Buffer.byteLength(expected)));
        expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
      }
      // Every one of them was the worker's, as its bytes.
      expect(await Promise.all(answered.mock.results.map((result) => result.value))).toEqual(workerReads.map(() => expect.any(SerializedResult)));
    } finally {
      await server.close();
      await close();
    }
  });
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
    expect((await post(server, 'listThreads', {}, { Cookie: `ri_token_${server.port}=wrong` })).status).toBe(401);
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
    await session.store.put({ thread_id: 't1', run_id: 'r1', event_type: 'llm.human.input', category: 'message', content: 'hi' });
    const listed = await post(server, 'listMessages', { threadId: 't1' });
    expect(listed.status).toBe(200);
    expect(listed.headers['access-control-allow-origin']).toBeUndefined();
    expect(JSON.parse(listed.body)).toEqual({ result: await session.store.listMessages('t1') });
  });

  it('offers the page its methods only: POST /api/put, putBatch, putIfAbsent are 404 (scripts write through rpc)', async () => {
    const event = { thread_id: 't1', run_id: 'r1', event_type: 'llm.human.input', category: 'message' };
    for (const [method, params] of [['put', { event }], ['putBatch', { events: [event] }], ['putIfAbsent', { event }]] as const) {
      const reply = await post(server, method, params);
      expect([reply.status, JSON.parse(reply.body).error.code], method).toEqual([404, 'METHOD_NOT_FOUND']);
    }
    expect(await session.store.listThreads()).toEqual([]);
  });

  it('400 for params failing their schema, naming the field; 400 for a body that is not JSON', async () => {
    const reply = await post(server, 'listMessages', { threadId: 't1', limit: -5 });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).error).toEqual({ code: 'BAD_ARGUMENT', message: expect.stringContaining('limit') });
    const broken = await request(server, '/api/listThreads', { method: 'POST', headers: { ...json, ...bearer(server) }, body: '{"a":' });
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body).error.message).toContain('body');
  });

  it('an empty body is empty params', async () => {
    const reply = await request(server, '/api/listThreads', { method: 'POST', headers: { ...json, ...bearer(server) } });
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
        { host: '127.0.0.1', port: server.port, path: '/api/countMessages', method: 'POST', headers: { ...json, ...bearer(server), 'Transfer-Encoding': 'chunked' } },
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
    // Named for the port: cookies do not separate ports, so a second server in the same browser keeps its own.
    expect(cookie).toMatch(new RegExp(`^ri_token_${server.port}=[^;]+; HttpOnly; SameSite=Strict; Path=/$`));
    const jar = cookie.split(';')[0];
    expect((await post(server, 'listThreads', {}, { Cookie: `other=1; ${jar}` })).status).toBe(200);
    const asset = await request(server, '/assets/app.js', { headers: { Cookie: jar } });
    expect([asset.status, asset.headers['content-type'], asset.body]).toEqual([200, 'text/javascript; charset=utf-8', 'console.log(1)']);
    expect((await request(server, `/?token=wrong`)).status).toBe(401);
  });

  describe('requests from another origin (a page on another port of 127.0.0.1 gets the cookie too)', () => {
    // The page's most destructive call is the one a foreign page would forge.
    const target = { threadId: 'csrf' };
    beforeEach(async () => {
      await session.store.put({ thread_id: 'csrf', run_id: 'r1', event_type: 'llm.human.input', category: 'message', content: 'kept' });
    });
    /** The cookie the page was given, as the browser sends it with every request to this host. */
    const pageCookie = async () => ({ Cookie: (await request(server, `/?token=${server.token}`)).headers['set-cookie']![0].split(';')[0] });
    const nothingDeleted = async () => expect(await session.store.countMessages('csrf')).toBe(1);

    it('refuses a simple (no-preflight) POST: text/plain, form-encoded or no Content-Type, with 415', async () => {
      const cookie = await pageCookie();
      for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined]) {
        const headers = type === undefined ? cookie : { ...cookie, 'Content-Type': type };
        const reply = await request(server, '/api/deleteByThread', { method: 'POST', headers, body: JSON.stringify(target) });
        expect([reply.status, JSON.parse(reply.body).error.code], String(type)).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
      }
      await nothingDeleted();
    });

    it('refuses an Origin other than its own with 403, cookie or bearer', async () => {
      for (const credentials of [await pageCookie(), bearer(server)]) {
        for (const origin of [`http://127.0.0.1:${server.port + 1}`, `http://localhost:${server.port + 1}`, 'https://evil.example', 'null', `https://127.0.0.1:${server.port}`]) {
          const reply = await post(server, 'deleteByThread', target, { ...credentials, Origin: origin });
          expect([reply.status, JSON.parse(reply.body).error.code], origin).toEqual([403, 'FORBIDDEN']);
        }
      }
      await nothingDeleted();
    });

    it('refuses Sec-Fetch-Site other than same-origin / none with 403', async () => {
      const cookie = await pageCookie();
      for (const site of ['same-site', 'cross-site', 'bogus']) {
        expect((await post(server, 'deleteByThread', target, { ...cookie, 'Sec-Fetch-Site': site })).status, site).toBe(403);
      }
      await nothingDeleted();
      expect((await post(server, 'listThreads', {}, { ...cookie, 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
      expect((await post(server, 'listThreads', {}, { ...cookie, 'Sec-Fetch-Site': 'none' })).status).toBe(200);
    });

    it('answers its own page (its Origin, localhost or 127.0.0.1) and scripts that send no Origin', async () => {
      const cookie = await pageCookie();
      for (const origin of [server.origin, `http://localhost:${server.port}`]) {
        const reply = await post(server, 'listThreads', {}, { ...cookie, Origin: origin, 'Sec-Fetch-Site': 'same-origin' });
        expect(reply.status, origin).toBe(200);
      }
      expect((await post(server, 'deleteByThread', target)).status).toBe(200);
      expect(await session.store.countMessages('csrf')).toBe(0);
    });

    it('refuses the event stream to another origin', async () => {
      const cookie = await pageCookie();
      const foreign: Record<string, string>[] = [{ Origin: `http://127.0.0.1:${server.port + 1}` }, { 'Sec-Fetch-Site': 'same-site' }];
      for (const headers of foreign) {
        const reply = await request(server, '/api/events', { headers: { ...cookie, ...headers } });
        expect(reply.status, JSON.stringify(headers)).toBe(403);
        expect(reply.headers['content-type']).not.toContain('event-stream');
      }
    });

    it('names its cookie for its port, so a second server does not replace it', async () => {
      const other = await startHttpServer({ handlers: createHandlers(session), push: session.push, rendererDir: renderer });
      try {
        const mine = (await pageCookie()).Cookie;
        const theirs = (await request(other, `/?token=${other.token}`)).headers['set-cookie']![0].split(';')[0];
        expect(mine.split('=')[0]).not.toBe(theirs.split('=')[0]);
        // The browser sends both cookies to both servers; each finds its own.
        for (const [target, expected] of [[server, 200], [other, 200]] as const) {
          expect((await post(target, 'listThreads', {}, { Cookie: `${theirs}; ${mine}` })).status).toBe(expected);
        }
        expect((await post(server, 'listThreads', {}, { Cookie: `ri_token=${server.token}` })).status).toBe(401);
      } finally {
        await other.close();
      }
    });
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
    await session.store.put({ thread_id: 't7', run_id: 'r', event_type: 'x', category: 'trace' });
    await post(server, 'deleteByThread', { threadId: 't7' });
    await received;
    expect(frames.join('')).toContain('event: store:changed\ndata: {"threadIds":["t7"]}\n\n');
    res.destroy();
  });
});
