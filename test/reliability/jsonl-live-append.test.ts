// A JSONL store appended to while it is open, as a live DeerFlow agent does:
// new lines and files are picked up, and a half-written last line is not
// reported as malformed until it stays malformed — "stays" as the jsonl
// backend defines it: the file has not changed for settleMs (its mtime is
// that old), after which the line is read as complete.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src-shared/types.ts';
import { formatJsonlLine } from '../../src-main/store/jsonl/format.ts';
import { openJsonlStore, type JsonlStore } from '../../src-main/store/jsonl/jsonl-store.ts';
import { collectOutput, makeTempDir, startScript, waitForLine } from './support.ts';

const SETTLE_MS = 2000;
const RESCAN_MS = 1000;

const record = (seq: number, content = `message ${seq}`): RunEvent => ({
  thread_id: 't1',
  run_id: 'r1',
  event_type: 'llm.ai.response',
  category: 'message',
  content,
  metadata: {},
  seq,
  created_at: `2026-04-04T00:49:${String(seq).padStart(2, '0')}.000001+00:00`,
});

describe('a JSONL store appended to while open', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let root: string;
  let file: string;
  let store: JsonlStore;
  /** The store's clock: the test moves it to make the file's last change older. */
  let now: number;

  const seqs = async (threadId = 't1', runId = 'r1') => (await store.listEvents(threadId, runId)).map((e) => e.seq);
  const append = (text: string) => fs.appendFileSync(file, text);
  /** Moves the clock past the settle time of the file's last change. */
  const letSettle = () => (now = fs.statSync(file).mtimeMs + SETTLE_MS + 1);

  beforeEach(async () => {
    temp = makeTempDir();
    root = path.join(temp.dir, '.deer-flow');
    file = path.join(root, 'threads', 't1', 'runs', 'r1.jsonl');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, formatJsonlLine(record(1)) + formatJsonlLine(record(2)));
    now = Date.now();
    store = await openJsonlStore(root, { clock: () => now, settleMs: SETTLE_MS, rescanMs: RESCAN_MS });
  });
  afterEach(async () => {
    await store.close();
    temp.remove();
  });

  it('picks up appended lines, new run files and new threads', async () => {
    expect(await seqs()).toEqual([1, 2]);
    append(formatJsonlLine(record(3)) + formatJsonlLine(record(4)));
    expect(await seqs()).toEqual([1, 2, 3, 4]);
    expect(await store.countMessages('t1')).toBe(4);

    // Appends to a known file are seen at once; new files and folders within rescanMs.
    const secondRun = path.join(root, 'threads', 't1', 'runs', 'r2.jsonl');
    fs.writeFileSync(secondRun, formatJsonlLine({ ...record(5), run_id: 'r2' }));
    const otherThread = path.join(root, 'threads', 't2', 'runs', 'r1.jsonl');
    fs.mkdirSync(path.dirname(otherThread), { recursive: true });
    fs.writeFileSync(otherThread, formatJsonlLine({ ...record(1), thread_id: 't2' }));
    expect(await seqs('t2')).toEqual([1]);
    now += RESCAN_MS + 1;
    expect((await store.listRuns('t1')).map((r) => r.run_id)).toEqual(['r1', 'r2']);
    expect((await store.listThreads()).map((t) => [t.thread_id, t.event_count])).toEqual([
      ['t1', 5],
      ['t2', 1],
    ]);
    expect(await store.sourceIssues()).toEqual([]);
  });

  it('does not report a half-written last line, and reads it once the writer finishes it', async () => {
    const line = formatJsonlLine(record(3, '半分 written'));
    const bytes = Buffer.from(line);
    // Cut inside the multi-byte 半, without the newline.
    const cut = bytes.indexOf(Buffer.from('半')) + 1;
    fs.appendFileSync(file, bytes.subarray(0, cut));
    expect(await seqs()).toEqual([1, 2]);
    expect(await store.sourceIssues()).toEqual([]);
    now = fs.statSync(file).mtimeMs + SETTLE_MS - 100; // not yet settled
    expect(await seqs()).toEqual([1, 2]);
    expect(await store.sourceIssues()).toEqual([]);

    fs.appendFileSync(file, bytes.subarray(cut));
    expect(await store.listEvents('t1', 'r1')).toEqual([record(1), record(2), record(3, '半分 written')]);
    letSettle();
    expect(await store.sourceIssues()).toEqual([]);
  });

  it('reports a last line that stays malformed, once, at its line, and goes on reading after it', async () => {
    append('{"seq": 3, "content": "cut sho');
    expect(await store.sourceIssues()).toEqual([]);
    letSettle();
    expect(await seqs()).toEqual([1, 2]);
    const issues = await store.sourceIssues();
    expect(issues.map((i) => [i.path, i.line, i.severity])).toEqual([[file, 3, 'error']]);
    expect(issues[0].message).toMatch(/malformed JSON/);
    expect(await store.sourceIssues()).toEqual(issues);

    // The writer comes back: a newline ends the broken line, then a good one follows.
    append(`\n${formatJsonlLine(record(4))}`);
    expect(await seqs()).toEqual([1, 2, 4]);
    expect((await store.sourceIssues()).map((i) => i.line)).toEqual([3]);
  });

  it('a line judged malformed after settling is read again when its writer finishes it after all', async () => {
    const line = formatJsonlLine(record(3));
    append(line.slice(0, 20));
    letSettle();
    expect((await store.sourceIssues()).map((i) => i.line)).toEqual([3]);
    append(line.slice(20));
    expect(await seqs()).toEqual([1, 2, 3]);
    expect(await store.sourceIssues()).toEqual([]);
  });

  it('follows a file the agent rewrote shorter (a run compacted or replaced)', async () => {
    append(formatJsonlLine(record(3)));
    expect(await seqs()).toEqual([1, 2, 3]);
    fs.writeFileSync(file, formatJsonlLine(record(1, 'rewritten')));
    expect((await store.listEvents('t1', 'r1')).map((e) => [e.seq, e.content])).toEqual([[1, 'rewritten']]);
  });
});

describe('a JSONL run file written by another process while the app reads it', () => {
  it('shows a growing prefix of whole records, never reports a half-written line, and ends with every record', async () => {
    const temp = makeTempDir();
    const root = path.join(temp.dir, '.deer-flow');
    const total = 2000;
    // The agent's run file exists (empty) when the app opens the store: a new
    // file is only discovered within rescanMs, while appends are seen at once.
    const file = path.join(root, 'threads', 'live', 'runs', 'r1.jsonl');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
    const store = await openJsonlStore(root);
    try {
      const writer = startScript('jsonl-appender.ts', [root, 'live', 'r1', String(total), String(total / 2)]);
      const outcome = collectOutput(writer);
      await waitForLine(writer, 'paused');
      const halfWay = await store.listEvents('live', 'r1', { limit: 10_000 });
      expect(halfWay.map((e) => e.seq)).toEqual(Array.from({ length: total / 2 }, (_, i) => i + 1));
      writer.stdin.write('go\n');
      let finished = false;
      void outcome.then(() => (finished = true));
      let seen = 0;
      let rounds = 0;
      while (!finished) {
        rounds++;
        const events = await store.listEvents('live', 'r1', { limit: 10_000 });
        expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
        expect(events.length).toBeGreaterThanOrEqual(seen);
        seen = events.length;
        expect(await store.sourceIssues()).toEqual([]);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const { code, stderr } = await outcome;
      expect(code, stderr).toBe(0);
      expect(rounds).toBeGreaterThan(0);
      const events = await store.listEvents('live', 'r1', { limit: 10_000 });
      expect(events.map((e) => e.content)).toEqual(Array.from({ length: total }, (_, i) => `live ${i + 1} 你好`));
      expect(await store.sourceIssues()).toEqual([]);
    } finally {
      await store.close();
      temp.remove();
    }
  });
});
