import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LineReader } from './line-reader.ts';

/** Every line `reader` gives until the end of its input. */
async function allLines(reader: LineReader): Promise<string[]> {
  const lines: string[] = [];
  for (let line = await reader.take(); line !== null; line = await reader.take()) lines.push(line);
  return lines;
}

describe('LineReader', () => {
  it('splits on \\n only, drops a trailing \\r, keeps a last line without \\n and characters split across chunks', async () => {
    const input = new PassThrough();
    const reader = new LineReader(input);
    const text = Buffer.from('a\r\nb\rc\n\n线 x\nlast');
    const cut = text.indexOf(Buffer.from('线')) + 1;
    input.write(text.subarray(0, cut));
    input.end(text.subarray(cut));
    expect(await allLines(reader)).toEqual(['a', 'b\rc', '', '线 x', 'last']);
    expect(await reader.take()).toBeNull();
  });

  it('reads ahead a bounded number of lines: the input waits, paused, until they are taken, and nothing is lost or reordered', async () => {
    const input = new PassThrough();
    const reader = new LineReader(input);
    const count = 5000;
    input.write(Array.from({ length: count }, (_, i) => `${i}\n`).join(''));
    expect(await reader.take()).toBe('0');
    expect(input.isPaused()).toBe(true);
    const rest: string[] = [];
    for (let i = 1; i < count; i++) rest.push((await reader.take()) as string);
    expect(input.isPaused()).toBe(false);
    input.end('more\n');
    expect([...rest, ...(await allLines(reader))]).toEqual([...Array.from({ length: count - 1 }, (_, i) => String(i + 1)), 'more']);
  });

  it("gives the lines read before the input's error, then throws it", async () => {
    const input = new PassThrough();
    const reader = new LineReader(input);
    input.write('one\ntwo\n');
    expect(await reader.take()).toBe('one');
    input.destroy(new Error('read failed'));
    expect(await reader.take()).toBe('two');
    await expect(async () => reader.take()).rejects.toThrow('read failed');
  });

  it('stops reading when closed: what the input still has stays unread', async () => {
    const input = new PassThrough();
    const reader = new LineReader(input);
    input.write('one\n');
    expect(await reader.take()).toBe('one');
    reader.close();
    expect(input.destroyed).toBe(true);
  });
});

/** A FIFO's read end as Node opens a pipe for stdin (a non-blocking socket over it), and its write end's descriptor. */
function fifo(dir: string): { input: net.Socket; fd: number; writeFd: number } {
  const file = path.join(dir, 'input');
  execFileSync('mkfifo', [file]);
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const writeFd = fs.openSync(file, fs.constants.O_WRONLY);
  return { input: new net.Socket({ fd, readable: true, writable: false }), fd, writeFd };
}

/** Writes `first` to `fd` from another thread as soon as it starts, then, once `go` is set, `second`: the main thread can be busy reading meanwhile. */
function writerThread(fd: number, first: string, second: string): { go: () => void; done: Promise<number> } {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const source = `
    const { workerData: { fd, first, second, flag } } = require('node:worker_threads');
    const fs = require('node:fs');
    fs.writeSync(fd, first);
    Atomics.wait(flag, 0, 0);
    fs.writeSync(fd, second);`;
  const worker = new Worker(source, { eval: true, workerData: { fd, first, second, flag } });
  const done = new Promise<number>((resolve, reject) => worker.once('exit', resolve).once('error', reject));
  return { go: () => (Atomics.store(flag, 0, 1), Atomics.notify(flag, 0)), done };
}

describe('LineReader polling its pipe', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'line-reader-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('takes a line written while it polls at once, without waiting for the stream', async () => {
    const { input, fd, writeFd } = fifo(dir);
    const reader = new LineReader(input, { fd, ms: 10_000 });
    const writer = writerThread(writeFd, 'ask 1\n', 'ask 2\n');
    // Nothing is waiting as take() is called: only reading the descriptor meanwhile finds the line.
    expect(reader.take()).toBe('ask 1');
    writer.go();
    expect(reader.take()).toBe('ask 2');
    await writer.done;
    fs.closeSync(writeFd);
    expect(await reader.take()).toBeNull();
    reader.close();
  });

  it('joins a line cut between what it polled and what the stream reads later, in order', async () => {
    const { input, fd, writeFd } = fifo(dir);
    const reader = new LineReader(input, { fd, ms: 200 });
    const writer = writerThread(writeFd, '{"id":1,"method":"sourceInfo"', '}\n{"id":2}\n');
    const first = reader.take();
    // The poll gave up with half a line: the rest comes through the stream.
    expect(first).toBeInstanceOf(Promise);
    writer.go();
    expect(await first).toBe('{"id":1,"method":"sourceInfo"}');
    expect(await reader.take()).toBe('{"id":2}');
    await writer.done;
    fs.closeSync(writeFd);
    expect(await reader.take()).toBeNull();
    reader.close();
  });

  it('ends the lines when it polls the end of the input', async () => {
    const { input, fd, writeFd } = fifo(dir);
    const reader = new LineReader(input, { fd, ms: 10_000 });
    fs.writeSync(writeFd, 'last\n');
    fs.closeSync(writeFd);
    // Both are in the pipe before the stream has had a turn: the poll reads the line, then the end.
    expect(reader.take()).toBe('last');
    expect(await reader.take()).toBeNull();
    reader.close();
  });
});
