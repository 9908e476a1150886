import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CLI, spawnRpc } from '../../test/support/cli-process.ts';
import { describeHandlerCases, type CallFailure } from '../../test/support/handler-cases.suite.ts';
import { createHandlers } from '../handlers/handlers.ts';
import { memorySession } from '../../test/support/test-session.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { serveRpcStdio } from './rpc-stdio.ts';

describeHandlerCases('stdio rpc (child process)', 'rpc', async () => {
  const rpc = spawnRpc();
  let id = 0;
  return {
    call: async (method, params) => {
      const requestId = ++id;
      rpc.send(JSON.stringify({ jsonrpc: '2.0', id: requestId, method, params }));
      const response = (await rpc.next()) as { id: number; result?: unknown; error?: { code: number; message: string; data?: { code: string } } };
      expect(response.id).toBe(requestId);
      if (!response.error) return response.result;
      const code = response.error.data?.code ?? '';
      if (code === 'BAD_ARGUMENT') expect(response.error.code).toBe(-32602);
      if (code === 'METHOD_NOT_FOUND') expect(response.error.code).toBe(-32601);
      throw { code, message: response.error.message } satisfies CallFailure;
    },
    close: async () => {
      rpc.end();
      expect(await rpc.exited).toBe(0);
    },
  };
}, { caller: 'script' });

describe('stdio rpc protocol', () => {
  it('answers bad JSON, invalid requests, unknown methods and invalid params, and carries on', async () => {
    const rpc = spawnRpc();
    const event = { thread_id: 't1', run_id: 'r1', event_type: 'llm.human.input', category: 'message', content: 'hi' };
    rpc.send('{"jsonrpc":"2.0","id":1,"method":');
    rpc.send('[]');
    rpc.send('42');
    rpc.send('{"jsonrpc":"1.0","id":2,"method":"listThreads"}');
    rpc.send('{"jsonrpc":"2.0","id":{"x":1},"method":"listThreads"}');
    rpc.send('{"jsonrpc":"2.0","id":3,"method":7}');
    rpc.send('{"jsonrpc":"2.0","id":4,"method":"noSuchMethod","params":{}}');
    rpc.send('{"jsonrpc":"2.0","id":5,"method":"listMessages","params":{"threadId":"t1","afterSeq":-1}}');
    rpc.send('{"jsonrpc":"2.0","id":6,"method":"countMessages","params":["t1"]}');
    rpc.send('');
    rpc.send('{"jsonrpc":"2.0","method":"put","params":{"event":' + JSON.stringify(event) + '}}');
    rpc.send('{"jsonrpc":"2.0","id":"seven","method":"countMessages","params":{"threadId":"t1"}}');
    const answers = [];
    for (let i = 0; i < 11; i++) answers.push(await rpc.next());
    const brief = answers.map((a) => {
      const { id, error, result } = a as { id: unknown; error?: { code: number; message: string; data?: { code: string } }; result?: unknown };
      return error ? [id, error.code, error.data?.code] : [id, 'result', result];
    });
    expect(brief).toEqual([
      [null, -32700, undefined],
      [null, -32600, undefined],
      [null, -32600, undefined],
      [2, -32600, undefined],
      [null, -32600, undefined],
      [3, -32600, undefined],
      [4, -32601, 'METHOD_NOT_FOUND'],
      [5, -32602, 'BAD_ARGUMENT'],
      [6, -32602, 'BAD_ARGUMENT'],
      // A request without an id is answered too (id null), so answers pair with requests by position.
      [null, 'result', expect.objectContaining({ thread_id: 't1', seq: 1 })],
      ['seven', 'result', 1],
    ]);
    expect((answers[7] as { error: { message: string } }).error.message).toContain('afterSeq');
    rpc.end();
    expect(await rpc.exited).toBe(0);
  });

  it('answers a request without jsonrpc or id, as DESIGN.md §5 writes it, with id null; a batch one answer per request', async () => {
    const rpc = spawnRpc();
    const event = { thread_id: 't1', run_id: 'r1', event_type: 'llm.human.input', category: 'message', content: 'hi' };
    rpc.send(JSON.stringify({ method: 'put', params: { event } }));
    rpc.send(JSON.stringify({ method: 'nope' }));
    rpc.send(JSON.stringify([{ method: 'countMessages', params: { threadId: 't1' } }, { jsonrpc: '2.0', id: 9, method: 'countMessages', params: { threadId: 't2' } }]));
    expect(await rpc.next()).toEqual({ jsonrpc: '2.0', id: null, result: expect.objectContaining({ ...event, seq: 1 }) });
    expect(await rpc.next()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32601 } });
    expect(await rpc.next()).toEqual([
      { jsonrpc: '2.0', id: null, result: 1 },
      { jsonrpc: '2.0', id: 9, result: 0 },
    ]);
    rpc.end();
    expect(await rpc.exited).toBe(0);
  });

  it('ends lines at \\n only: a bare \\r is whitespace inside a request, a CRLF line end is fine', async () => {
    const session = await memorySession({ transport: 'rpc' });
    const input = new PassThrough();
    const output = new PassThrough();
    const served = serveRpcStdio({ handlers: createHandlers(session), input, output });
    // Split across writes, inside a multi-byte character too.
    const text = Buffer.from('{"jsonrpc":"2.0",\r"id":1,\r"method":"countMessages",\r"params":{"threadId":"线"}}\r\n{"id":2,"method":"appInfo"}\r\n{"id":3,"method":"sourceInfo"}');
    const cut = text.indexOf(Buffer.from('线')) + 1;
    input.write(text.subarray(0, cut));
    input.end(text.subarray(cut));
    await served;
    const answers = (output.read() as Buffer).toString().trimEnd().split('\n').map((line) => JSON.parse(line) as { id: number; result?: unknown });
    expect(answers.map((a) => [a.id, 'result' in a])).toEqual([[1, true], [2, true], [3, true]]);
    expect(answers[0].result).toBe(0);
    await session.close();
  });

  it('stops quietly when nobody reads its output any more (`| head -1`), closing the source', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-rpc-pipe-'));
    try {
      const db = path.join(dir, 'x.db');
      const child = spawn(process.execPath, [CLI, 'rpc', db], { stdio: 'pipe' });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const event = { thread_id: 't', run_id: 'r', event_type: 'x', category: 'message', content: 'x'.repeat(200) };
      const request = `${JSON.stringify({ method: 'put', params: { event } })}\n`;
      child.stdin.on('error', () => {}); // the child may stop reading before all of it is written
      child.stdin.end(request.repeat(5000));
      // Read the first answer, then close the pipe as `head -1` does.
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      child.stdout.destroy();
      expect(await exited).toBe(0);
      expect(stderr).toBe('');
      // The database was closed: its write-ahead log checkpointed and removed.
      expect(fs.existsSync(`${db}-wal`)).toBe(false);
      const store = openSqliteStore(db, { create: false });
      expect(await store.countMessages('t')).toBeLessThan(5000);
      await store.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers a batch with an array, in order', async () => {
    const rpc = spawnRpc();
    rpc.send(JSON.stringify([
      { jsonrpc: '2.0', id: 1, method: 'countMessages', params: { threadId: 't' } },
      { jsonrpc: '2.0', id: 2, method: 'nope' },
    ]));
    const answer = (await rpc.next()) as { id: number }[];
    expect(answer.map((a) => a.id)).toEqual([1, 2]);
    rpc.end();
    expect(await rpc.exited).toBe(0);
  });

  it('answers pipelined requests in the order read, then exits 0 when stdin ends', async () => {
    const rpc = spawnRpc();
    const count = 200;
    for (let i = 1; i <= count; i++) {
      const event = { thread_id: `t${i % 3}`, run_id: 'r', event_type: 'llm.ai.response', category: 'message', content: `m${i}` };
      rpc.send(JSON.stringify({ jsonrpc: '2.0', id: i, method: i % 2 ? 'put' : 'listThreads', params: i % 2 ? { event } : {} }));
    }
    rpc.end();
    const ids = [];
    for (let i = 1; i <= count; i++) ids.push((await rpc.next()) as { id: number });
    expect(ids.map((a) => a.id)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(await rpc.exited).toBe(0);
    expect(rpc.stderr()).toBe('');
  });

  it('answers a script asking one thing at a time, each line written in two pieces', async () => {
    const rpc = spawnRpc();
    for (let id = 1; id <= 100; id++) {
      const line = JSON.stringify({ jsonrpc: '2.0', id, method: 'countMessages', params: { threadId: 't1' } });
      const cut = id % line.length;
      rpc.write(line.slice(0, cut));
      // The rest after a turn of this loop: the server may have read the first piece by then, polling or not.
      await new Promise(setImmediate);
      rpc.write(`${line.slice(cut)}\n`);
      expect(await rpc.next()).toEqual({ jsonrpc: '2.0', id, result: 0 });
    }
    rpc.end();
    expect(await rpc.exited).toBe(0);
    expect(rpc.stderr()).toBe('');
  });

  it('answers the next request only once a full output has taken the last answer, all in order', async () => {
    const session = await memorySession({ transport: 'rpc' });
    const chunks: string[] = [];
    const taken: (() => void)[] = [];
    let arrived: () => void = () => {};
    // Holds every write until the test lets it through, as a pipe nobody reads does.
    const output = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        taken.push(done);
        arrived();
      },
    });
    const nextChunk = () => new Promise<void>((resolve) => (arrived = resolve));
    const input = new PassThrough();
    const served = serveRpcStdio({ handlers: createHandlers(session), input, output });
    const event = (i: number) => ({ thread_id: 't', run_id: 'r', event_type: 'x', category: 'message', content: `m${i}` });
    let first = nextChunk();
    input.end([1, 2, 3].map((i) => JSON.stringify({ id: i, method: 'put', params: { event: event(i) } })).join('\n'));
    for (let i = 1; i <= 3; i++) {
      await first;
      // Every microtask and timer of the loop has run: it waits for the output, the next put not yet run.
      await new Promise(setImmediate);
      expect(await session.store.countMessages('t')).toBe(i);
      expect(output.writableLength).toBe(chunks.at(-1)!.length);
      first = nextChunk();
      taken.shift()!();
    }
    await served;
    expect(chunks.map((chunk) => (JSON.parse(chunk) as { id: number; result: { seq: number } }).result.seq)).toEqual([1, 2, 3]);
    await session.close();
  });

  it('stops at the first answer the output fails to take, leaving the requests after it unrun', async () => {
    const session = await memorySession({ transport: 'rpc' });
    let writes = 0;
    const output = new Writable({
      write(_chunk, _encoding, done) {
        done(++writes === 2 ? Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }) : null);
      },
    });
    const input = new PassThrough();
    const event = { thread_id: 't', run_id: 'r', event_type: 'x', category: 'message', content: 'x' };
    input.write(`${JSON.stringify({ method: 'put', params: { event } })}\n`.repeat(10));
    await serveRpcStdio({ handlers: createHandlers(session), input, output });
    // The second put ran and its answer failed; none after it ran.
    expect(await session.store.countMessages('t')).toBe(2);
    expect(input.destroyed).toBe(true);
    await session.close();
  });

  it('serves in-process streams too, as UTF-8, escaping U+2028 so no reader splits a line', async () => {
    const session = await memorySession({ transport: 'rpc' });
    const input = new PassThrough();
    const output = new PassThrough();
    const served = serveRpcStdio({ handlers: createHandlers(session), input, output });
    const event = (content: string) => ({ thread_id: 't', run_id: 'r', event_type: 'x', category: 'message', content });
    input.end(['a\u2028b', 'c\u2029d', '线 😀 \ud800 é'].map((content, i) => `${JSON.stringify({ jsonrpc: '2.0', id: i, method: 'put', params: { event: event(content) } })}\n`).join(''));
    await served;
    const lines = (output.read().toString() as string).trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { result: { content: string } }).result.content)).toEqual(['a\u2028b', 'c\u2029d', '线 😀 \ud800 é']);
    expect(lines.join('\n')).not.toMatch(/[\u2028\u2029]/);
    await session.close();
  });
});
