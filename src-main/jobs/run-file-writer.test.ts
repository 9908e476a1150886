import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFile } from '../store/jsonl/layout.ts';
import { RunFileWriter } from './run-file-writer.ts';

describe('RunFileWriter', () => {
  let out: string;

  beforeEach(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-run-files-'));
  });
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

  it("writes each run's lines to its file, a run bigger than a slab in appends, an empty run as an empty file", async () => {
    const writer = new RunFileWriter(out);
    // 20 MB over 8 MB slabs, between two small runs that share its slabs.
    const line = `${'x'.repeat(999)}\n`;
    writer.beginRun('t1', 'small');
    writer.text('one\n');
    writer.endRun();
    writer.beginRun('t1', 'big');
    for (let i = 0; i < 20_000; i++) writer.text(line);
    writer.endRun();
    writer.beginRun('t2', 'empty');
    writer.endRun();
    writer.beginRun('t2', 'after');
    writer.text('two\n');
    writer.endRun();
    await writer.finish();
    expect(fs.readFileSync(runFile(out, 't1', 'small'), 'utf8')).toBe('one\n');
    expect(fs.readFileSync(runFile(out, 't1', 'big'), 'utf8')).toBe(line.repeat(20_000));
    expect(fs.readFileSync(runFile(out, 't2', 'empty'), 'utf8')).toBe('');
    expect(fs.readFileSync(runFile(out, 't2', 'after'), 'utf8')).toBe('two\n');
  });

  it('replaces a file a run had before', async () => {
    fs.mkdirSync(path.dirname(runFile(out, 't', 'r')), { recursive: true });
    fs.writeFileSync(runFile(out, 't', 'r'), 'an older export, longer than the new one\n');
    const writer = new RunFileWriter(out);
    writer.beginRun('t', 'r');
    writer.text('new\n');
    writer.endRun();
    await writer.finish();
    expect(fs.readFileSync(runFile(out, 't', 'r'), 'utf8')).toBe('new\n');
  });

  it("fails with a write's failure", async () => {
    // A file where the thread's folder should be.
    fs.mkdirSync(path.join(out, 'threads'));
    fs.writeFileSync(path.join(out, 'threads', 't'), '');
    const writer = new RunFileWriter(out);
    writer.beginRun('t', 'r');
    writer.text('line\n');
    writer.endRun();
    await expect(writer.finish()).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});
