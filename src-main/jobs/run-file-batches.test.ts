import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFile } from '../store/jsonl/layout.ts';
import { RunFileBatcher, writeRunFiles, type RunFileBatch } from './run-file-batches.ts';
import { BATCHES_AHEAD } from './thread-batches.ts';

describe('RunFileBatcher and writeRunFiles', () => {
  let out: string;

  beforeEach(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-run-files-'));
  });
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

  const writeAll = (batches: RunFileBatch[]) => {
    const folders = new Set<string>();
    for (const batch of batches) writeRunFiles(out, batch, folders);
  };

  it("writes each run's lines to its file, a run bigger than a slab in appends, an empty run as an empty file", () => {
    const batcher = new RunFileBatcher();
    // 20 MB over 8 MB slabs, between two small runs that share its slabs.
    const line = `${'x'.repeat(999)}\n`;
    batcher.beginRun('t1', 'small');
    batcher.text('one\n');
    batcher.endRun();
    batcher.beginRun('t1', 'big');
    for (let i = 0; i < 20_000; i++) batcher.text(line);
    batcher.wrote(20_000);
    batcher.endRun();
    batcher.beginRun('t2', 'empty');
    batcher.endRun();
    batcher.beginRun('t2', 'after');
    batcher.text('two\n');
    batcher.endRun();
    const batches = batcher.take();
    expect(batches.length).toBeGreaterThanOrEqual(3);
    expect(batches.flatMap((batch) => batch.parts.filter((part) => part.runId === 'big').map((part) => part.first))).toEqual([true, false, false]);
    writeAll(batches);
    expect(fs.readFileSync(runFile(out, 't1', 'small'), 'utf8')).toBe('one\n');
    expect(fs.readFileSync(runFile(out, 't1', 'big'), 'utf8')).toBe(line.repeat(20_000));
    expect(fs.readFileSync(runFile(out, 't2', 'empty'), 'utf8')).toBe('');
    expect(fs.readFileSync(runFile(out, 't2', 'after'), 'utf8')).toBe('two\n');
  });

  it('continues the open run in the next batch, appended', () => {
    const batcher = new RunFileBatcher();
    batcher.beginRun('t', 'r');
    batcher.text('a\n');
    const first = batcher.take();
    batcher.text('b\n');
    batcher.endRun();
    writeAll([...first, ...batcher.take()]);
    expect(fs.readFileSync(runFile(out, 't', 'r'), 'utf8')).toBe('a\nb\n');
  });

  it('replaces the file a run had', () => {
    fs.mkdirSync(path.dirname(runFile(out, 't', 'r')), { recursive: true });
    fs.writeFileSync(runFile(out, 't', 'r'), 'an older export, longer than the new one\n');
    const batcher = new RunFileBatcher();
    batcher.beginRun('t', 'r');
    batcher.text('new\n');
    batcher.endRun();
    writeAll(batcher.take());
    expect(fs.readFileSync(runFile(out, 't', 'r'), 'utf8')).toBe('new\n');
  });

  it('hands a batch to another thread in shared memory, which it keeps while the batches a helper may have unanswered are made', () => {
    const batcher = new RunFileBatcher();
    const unanswered: { batch: RunFileBatch; text: string }[] = [];
    for (let page = 0; page < 40; page++) {
      // Pages of 3 MB: slots are reused every few batches.
      const text = `${String(page).padStart(3, '0')}${'x'.repeat(3 << 20)}\n`;
      batcher.beginRun('t', `r${page}`);
      batcher.text(text);
      batcher.endRun();
      const [batch] = batcher.take();
      // What postMessage sends another thread: the same memory, not a copy.
      const sent = structuredClone(batch);
      expect(sent.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
      unanswered.push({ batch: sent, text });
      if (unanswered.length > BATCHES_AHEAD) unanswered.shift();
      for (const { batch: kept, text: itsText } of unanswered) expect(Buffer.from(kept.bytes).toString('latin1', 0, 3)).toBe(itsText.slice(0, 3));
    }
    writeAll(unanswered.map(({ batch }) => batch));
    expect(fs.readFileSync(runFile(out, 't', 'r39'), 'latin1').slice(0, 3)).toBe('039');
  });

  it('fails as the file system does', () => {
    // A file where the thread's folder should be.
    fs.mkdirSync(path.join(out, 'threads'));
    fs.writeFileSync(path.join(out, 'threads', 't'), '');
    const batcher = new RunFileBatcher();
    batcher.beginRun('t', 'r');
    batcher.text('line\n');
    batcher.endRun();
    expect(() => writeAll(batcher.take())).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });
});
