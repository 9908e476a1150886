import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src-shared/types.ts';
import { listJsonlFiles, readJsonlBytes, readJsonlFile, readJsonlFileByChunks, readJsonlFileSync, type JsonlReadOptions } from './jsonl-reader.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'jsonl-reader-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(rel: string, content: string | Buffer): string {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

const RUN_FILE = '.deer-flow/threads/t1/runs/r1.jsonl';
const full = (seq: number, over: Record<string, unknown> = {}) =>
  JSON.stringify({
    thread_id: 't1',
    run_id: 'r1',
    event_type: 'llm.ai.response',
    category: 'message',
    content: `event ${seq}`,
    metadata: {},
    seq,
    created_at: '2026-04-04T00:49:25.123456+00:00',
    ...over,
  });

async function read(file: string, options?: JsonlReadOptions) {
  const records: RunEvent[] = [];
  const lineOf: number[] = [];
  const result = await readJsonlFile(file, (record, where) => {
    records.push(record);
    lineOf.push(where.line);
  }, options);
  return { records, lineOf, ...result };
}

function readSync(file: string, options?: JsonlReadOptions) {
  const records: RunEvent[] = [];
  const lineOf: number[] = [];
  const result = readJsonlFileSync(file, (record, where) => {
    records.push(record);
    lineOf.push(where.line);
  }, options);
  return { records, lineOf, ...result };
}

describe('readJsonlFile: the record rule', () => {
  it('reads DeerFlow lines as they are, keeping unknown fields', async () => {
    const file = write(RUN_FILE, `${full(1, { content: { type: 'ai', content: '你好 🚀' }, extra: [1] })}\n${full(2)}\n`);
    const { records, issues, lines } = await read(file);
    expect(issues).toEqual([]);
    expect(lines).toBe(2);
    expect(records[0]).toEqual(JSON.parse(full(1, { content: { type: 'ai', content: '你好 🚀' }, extra: [1] })));
    expect(records.map((r) => r.seq)).toEqual([1, 2]);
  });

  it('skips and reports blank, malformed and non-object lines, counting blank lines', async () => {
    const file = write(RUN_FILE, [full(1), '', '   ', '{"seq": 2,', '[1,2]', '42', 'null', '"text"', full(3)].join('\n') + '\n');
    const { records, lineOf, issues } = await read(file);
    expect(records.map((r) => r.seq)).toEqual([1, 3]);
    expect(lineOf).toEqual([1, 9]);
    expect(issues.map((i) => [i.line, i.severity])).toEqual([
      [2, 'error'],
      [3, 'error'],
      [4, 'error'],
      [5, 'error'],
      [6, 'error'],
      [7, 'error'],
      [8, 'error'],
    ]);
    expect(issues[0]).toMatchObject({ path: file, message: 'blank line' });
    expect(issues[2].message).toMatch(/malformed JSON/);
    expect(issues[3].message).toMatch(/not a JSON object/);
  });

  it('skips records whose seq is not a positive integer', async () => {
    const bad = [0, -1, 1.5, '3', null, true];
    const file = write(RUN_FILE, [...bad.map((seq) => full(1, { seq })), JSON.stringify({ event_type: 'x' }), full(7)].join('\n') + '\n');
    const { records, issues } = await read(file);
    expect(records.map((r) => r.seq)).toEqual([7]);
    expect(issues).toHaveLength(7);
    expect(issues.every((i) => i.severity === 'error')).toBe(true);
    expect(issues[3].message).toMatch(/"seq" is not a positive integer: "3"/);
    expect(issues[6].message).toMatch(/no "seq"/);
  });

  it('keeps a record with only a seq, with defaults and ids from the path, as a warning', async () => {
    const file = write(RUN_FILE, '{"seq": 5}\n');
    const { records, issues } = await read(file);
    expect(records).toEqual([
      { seq: 5, thread_id: 't1', run_id: 'r1', event_type: 'unknown', category: 'trace', content: '', metadata: {}, created_at: '' },
    ]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 1, severity: 'warning' });
    for (const key of ['thread_id', 'run_id', 'event_type', 'category', 'content', 'metadata', 'created_at']) {
      expect(issues[0].message).toContain(key);
    }
  });

  it('defaults non-object metadata and wrongly typed fields with a warning', async () => {
    const file = write(RUN_FILE, `${full(1, { metadata: [1] })}\n${full(2, { metadata: 'x', event_type: 7 })}\n`);
    const { records, issues } = await read(file);
    expect(records.map((r) => [r.metadata, r.event_type])).toEqual([
      [{}, 'llm.ai.response'],
      [{}, 'unknown'],
    ]);
    expect(issues.map((i) => i.severity)).toEqual(['warning', 'warning']);
    expect(issues[1].message).toMatch(/metadata is not an object/);
    expect(issues[1].message).toMatch(/event_type is not a string/);
  });

  it("uses the path's thread and run when a record names others, with a warning", async () => {
    const file = write(RUN_FILE, `${full(1, { thread_id: 'elsewhere' })}\n`);
    const { records, issues } = await read(file);
    expect(records[0].thread_id).toBe('t1');
    expect(issues[0].message).toMatch(/thread_id "elsewhere" differs/);
    expect(issues[0].about).toBeUndefined();
  });

  it('says a warning is about a record of another run, with the run_id the record gives, whatever else it warns of', async () => {
    const file = write(RUN_FILE, [full(1, { run_id: 'r2' }), full(2, { run_id: 7, metadata: 'none' }), full(3, { metadata: 'none' })].join('\n'));
    const { records, issues } = await read(file);
    expect(records.map((r) => r.run_id)).toEqual(['r1', 'r1', 'r1']);
    expect(issues.map((i) => [i.line, i.severity, i.about])).toEqual([
      [1, 'warning', { kind: 'other_run', run_id: 'r2' }],
      [2, 'warning', { kind: 'other_run', run_id: 7 }],
      [3, 'warning', undefined],
    ]);
  });

  it('needs thread_id and run_id in a file outside the layout', async () => {
    const file = write('export.jsonl', `${full(1, { thread_id: 'a' })}\n{"seq": 2, "run_id": "r"}\n${full(3, { run_id: '' })}\n`);
    const { records, issues } = await read(file);
    expect(records.map((r) => [r.thread_id, r.seq])).toEqual([['a', 1]]);
    expect(issues.map((i) => [i.line, i.severity])).toEqual([
      [2, 'error'],
      [3, 'error'],
    ]);
    expect(issues[0].message).toMatch(/thread_id/);
  });

  it('keeps a "__proto__" key as a plain field', async () => {
    const file = write(RUN_FILE, '{"seq": 1, "__proto__": {"polluted": true}}\n');
    const { records } = await read(file);
    expect(Object.getPrototypeOf(records[0])).toBe(Object.prototype);
    expect(Object.hasOwn(records[0], '__proto__')).toBe(true);
  });
});

describe('readJsonlFile: bytes and line ends', () => {
  it('tolerates CRLF line ends and a UTF-8 BOM', async () => {
    const file = write(RUN_FILE, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${full(1)}\r\n\r\n${full(2)}\r\n`)]));
    const { records, issues, lines } = await read(file);
    expect(records.map((r) => r.seq)).toEqual([1, 2]);
    expect(issues.map((i) => [i.line, i.message])).toEqual([[2, 'blank line']]);
    expect(lines).toBe(3);
  });

  it('splits on \\n only: U+2028 / U+2029 inside content are kept', async () => {
    const content = 'line\u2028separator\u2029paragraph\u0085next';
    const file = write(RUN_FILE, `${full(1, { content })}\n`);
    expect(full(1, { content })).toContain('\u2028'); // written raw, as Python's ensure_ascii=False does
    const { records, issues } = await read(file);
    expect(issues).toEqual([]);
    expect(records[0].content).toBe(content);
  });

  it('keeps a record with invalid UTF-8 (as U+FFFD) and reports it', async () => {
    const [before, after] = full(1, { content: 'ab' }).split('ab');
    const file = write(RUN_FILE, Buffer.concat([Buffer.from(before + 'a'), Buffer.from([0xff, 0xc3]), Buffer.from('b' + after + '\n' + full(2) + '\n')]));
    const { records, issues } = await read(file);
    expect(records.map((r) => r.content)).toEqual(['a\ufffd\ufffdb', 'event 2']);
    expect(issues).toEqual([{ path: file, line: 1, severity: 'warning', message: expect.stringMatching(/UTF-8/) }]);
  });

  it('skips a line with NUL bytes, saying so, and goes on', async () => {
    const file = write(RUN_FILE, Buffer.concat([Buffer.from(full(1).replace('event 1', 'a\0b')), Buffer.from(`\n\0\0\0\n${full(2)}\n`)]));
    const { records, issues } = await read(file);
    expect(records.map((r) => r.seq)).toEqual([2]);
    expect(issues.map((i) => [i.line, i.severity])).toEqual([
      [1, 'error'],
      [2, 'error'],
    ]);
    expect(issues[0].message).toMatch(/NUL/);
  });

  it('gives the same result whatever the chunk size', async () => {
    const text = ['\ufeff' + full(1, { content: '中文 ✓ '.repeat(20) }), '', 'bad', full(2), full(3, { content: 'x'.repeat(100) })].join('\r\n') + '\n';
    const file = write(RUN_FILE, text);
    const whole = await read(file);
    for (const chunkBytes of [1, 2, 3, 7, 64, 1000]) {
      expect(await read(file, { chunkBytes })).toEqual(whole);
      expect(readSync(file, { chunkBytes })).toEqual(whole);
    }
    for (const sizeHint of [0, 10, Buffer.byteLength(text), 10_000]) expect(readSync(file, { sizeHint })).toEqual(whole);
    expect(whole.records).toHaveLength(3);
    expect(whole.bytesConsumed).toBe(Buffer.byteLength(text));
  });

  it('reads a 50 MB single line', async () => {
    const content = 'é'.repeat(25 * 1024 * 1024);
    const file = write(RUN_FILE, `${full(1, { content })}\n${full(2)}\n`);
    const { records, issues } = await read(file);
    expect(issues).toEqual([]);
    expect((records[0].content as string).length).toBe(content.length);
    expect(records[1].seq).toBe(2);
  });

  it('skips a line over the size limit without holding it', async () => {
    const file = write(RUN_FILE, `${full(1, { content: 'x'.repeat(5000) })}\n${full(2)}\n`);
    const { records, issues } = await read(file, { maxLineBytes: 1000, chunkBytes: 256 });
    expect(records.map((r) => r.seq)).toEqual([2]);
    expect(issues[0]).toMatchObject({ line: 1, severity: 'error', message: expect.stringMatching(/over the 1000-byte limit/) });
  });
});

describe('readJsonlFileSync: what import reads with', () => {
  const text = ['\ufeff' + full(1, { content: '中文 ✓ '.repeat(20) }), '', 'bad', full(2), full(3, { content: 'x'.repeat(100) }), full(4, { content: 'last' })].join('\r\n');
  /** The last line's content with an invalid byte. */
  const mixed = () => {
    const bytes = Buffer.from(text.replace('"last"', '"la~t"'));
    bytes[bytes.lastIndexOf('~')] = 0xff;
    return bytes;
  };

  const buffers = [undefined, Buffer.alloc(7), Buffer.alloc(64), Buffer.alloc(100_000)];

  it('offers each whole line to takeLine without its BOM and CR, and parses the lines it declines', () => {
    const file = write(RUN_FILE, text);
    const whole = readSync(file);
    for (const buffer of buffers) {
      const offered: string[] = [];
      // Takes record 2, declines the others: they come back through onRecord, in file order.
      const takeLine = (bytes: Buffer, start: number, end: number) => offered.push(bytes.toString('utf8', start, end)) > 0 && offered.at(-1) === full(2);
      const taken = readSync(file, { takeLine, buffer });
      expect(offered, `buffer ${buffer?.length}`).toEqual(text.replace('\ufeff', '').split('\r\n'));
      expect(taken).toEqual({ ...whole, records: whole.records.filter((r) => r.seq !== 2), lineOf: [1, 5, 6] });
    }
  });

  it('never offers a line with invalid UTF-8, which the record rule reports', () => {
    const file = write(RUN_FILE, mixed());
    const whole = readSync(file);
    expect(whole.issues.at(-1)).toMatchObject({ line: 6, severity: 'warning', message: expect.stringMatching(/UTF-8/) });
    for (const buffer of buffers) {
      const offered: string[] = [];
      const declineAll = (bytes: Buffer, start: number, end: number) => offered.push(bytes.toString('utf8', start, end)) < 0;
      expect(readSync(file, { takeLine: declineAll, buffer })).toEqual(whole);
      expect(offered.some((line) => line.includes('\ufffd'))).toBe(false);
    }
  });

  it('reads a file already in memory as it reads it from disk', () => {
    for (const content of [text, mixed(), '', `${full(1)}\n${full(2).slice(0, 20)}`]) {
      const file = write(RUN_FILE, content);
      const records: RunEvent[] = [];
      const lineOf: number[] = [];
      const result = readJsonlBytes(file, Buffer.from(content), (record, where) => {
        records.push(record);
        lineOf.push(where.line);
      });
      expect({ records, lineOf, ...result }).toEqual(readSync(file));
    }
  });

  it('pauses after each chunk, and closes the file when stopped early', () => {
    const file = write(RUN_FILE, text);
    const seqs: number[] = [];
    const chunks = readJsonlFileByChunks(file, (record) => seqs.push(record.seq), { buffer: Buffer.alloc(200) });
    expect(chunks.next().done).toBe(false);
    const afterFirst = seqs.length;
    chunks.return(undefined as never);
    expect(afterFirst).toBeLessThan(4);
    rmSync(file); // an open handle would keep Windows from this; elsewhere the next check is the point
    expect(readSync(write(RUN_FILE, text), { buffer: Buffer.alloc(200) }).records.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
  });
});

describe('readJsonlFile: a file still being written', () => {
  it('leaves an unterminated last line unread and unreported unless the read is final', async () => {
    const file = write(RUN_FILE, `${full(1)}\n${full(2).slice(0, 30)}`);
    const partial = await read(file, { final: false });
    expect(partial.records.map((r) => r.seq)).toEqual([1]);
    expect(partial.issues).toEqual([]);
    expect(partial.lines).toBe(1);
    expect(partial.bytesConsumed).toBe(Buffer.byteLength(full(1)) + 1);

    appendFileSync(file, `${full(2).slice(30)}\n${full(3)}\n`);
    const resumed = await read(file, { final: false, from: { offset: partial.bytesConsumed, line: partial.lines } });
    expect(resumed.records.map((r) => r.seq)).toEqual([2, 3]);
    expect(resumed.lineOf).toEqual([2, 3]);
    expect(resumed.lines).toBe(3);
    expect(readSync(file, { final: false, from: { offset: partial.bytesConsumed, line: partial.lines } })).toEqual(resumed);
  });

  it('reads an unterminated last line when final (the default)', async () => {
    const file = write(RUN_FILE, `${full(1)}\n${full(2)}`);
    expect((await read(file)).records.map((r) => r.seq)).toEqual([1, 2]);
    const broken = write('x/threads/t1/runs/r1.jsonl', `${full(1)}\n{"seq": 2, "cont`);
    expect((await read(broken)).issues).toEqual([{ path: broken, line: 2, severity: 'error', message: expect.stringMatching(/malformed/) }]);
  });

  it('returns the last bytes consumed, for recognising the file later', async () => {
    const file = write(RUN_FILE, `${full(1)}\n${full(2)}\n`);
    const { tail, bytesConsumed } = await read(file);
    expect(tail.toString()).toBe(`${full(1)}\n${full(2)}\n`.slice(bytesConsumed - 64));
  });
});

describe('listJsonlFiles', () => {
  beforeEach(() => {
    write('.deer-flow/threads/t2/runs/b.jsonl', '');
    write('.deer-flow/threads/t2/runs/a.jsonl', '');
    write('.deer-flow/threads/t1/runs/r1.jsonl', '');
    write('.deer-flow/threads/t1/runs/notes.txt', '');
    write('.deer-flow/threads/bad name/runs/r.jsonl', '');
    write('.deer-flow/other.jsonl', '');
  });
  const layout = () => ['t1/runs/r1', 't2/runs/a', 't2/runs/b'].map((p) => path.join(dir, '.deer-flow/threads', `${p}.jsonl`));

  it('lists the run files of a layout from its root, its parent or its threads folder', async () => {
    expect(await listJsonlFiles(path.join(dir, '.deer-flow'))).toEqual(layout());
    expect(await listJsonlFiles(dir)).toEqual(layout());
    expect(await listJsonlFiles(path.join(dir, '.deer-flow', 'threads'))).toEqual(layout());
  });

  it('lists every .jsonl below any other folder, and a file as itself', async () => {
    write('exports/2026/b.jsonl', '');
    write('exports/a.jsonl', '');
    write('exports/readme.md', '');
    expect(await listJsonlFiles(path.join(dir, 'exports'))).toEqual([path.join(dir, 'exports/2026/b.jsonl'), path.join(dir, 'exports/a.jsonl')]);
    expect(await listJsonlFiles(path.join(dir, 'exports/a.jsonl'))).toEqual([path.join(dir, 'exports/a.jsonl')]);
    await expect(listJsonlFiles(path.join(dir, 'missing'))).rejects.toMatchObject({ code: 'SOURCE' });
  });
});
