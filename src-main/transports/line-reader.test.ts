import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
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
