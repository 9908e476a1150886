import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventInput, InspectorStore, RunEvent } from '../../../src-shared/types.ts';
import { describeStoreContract } from '../../../test/support/store-contract.suite.ts';
import { formatJsonlLine } from './format.ts';
import { openJsonlExport, openJsonlStore, type JsonlStoreOptions } from './jsonl-store.ts';

describeStoreContract('jsonl', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jsonl-contract-'));
  return {
    store: await openJsonlStore(path.join(dir, '.deer-flow')),
    quirks: { contentMarkers: false, utcCreatedAt: false },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe('jsonl store', () => {
  let dir: string;
  let root: string;
  const stores: InspectorStore[] = [];
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'jsonl-store-'));
    root = path.join(dir, '.deer-flow');
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(at = root, options?: JsonlStoreOptions) {
    const store = await openJsonlStore(at, options);
    stores.push(store);
    return store;
  }

  const runPath = (t: string, r: string) => path.join(root, 'threads', t, 'runs', `${r}.jsonl`);
  const record = (seq: number, over: Record<string, unknown> = {}) =>
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
  function writeRun(t: string, r: string, text: string): string {
    const file = runPath(t, r);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  }
  const seqsOf = (events: RunEvent[]) => events.map((e) => e.seq);
  const input = (over: Partial<EventInput> = {}): EventInput => ({ thread_id: 't1', run_id: 'r1', event_type: 'llm.ai.response', category: 'message', content: 'hi', ...over });

  describe('opening', () => {
    beforeEach(() => {
      // As DeerFlow's Python writes it: json.dumps(record, ensure_ascii=False), ", " and ": " separators.
      writeRun('t1', 'r1', '{"thread_id": "t1", "run_id": "r1", "event_type": "llm.human.input", "category": "message", "content": "你好", "metadata": {}, "seq": 1, "created_at": "2026-04-04T00:49:25.123456+00:00"}\n');
      writeRun('t1', 'r2', `${record(2, { run_id: 'r2', category: 'trace', event_type: 'run.start' })}\n`);
      writeRun('t2', 'r9', `${record(1, { thread_id: 't2', run_id: 'r9' })}\n`);
    });

    it('accepts the root, the folder holding .deer-flow, or the threads folder', async () => {
      for (const at of [root, dir, path.join(root, 'threads')]) {
        const store = await open(at);
        expect(store.info).toEqual({ kind: 'jsonl', path: root, readOnly: false });
        expect((await store.listThreads()).map((t) => [t.thread_id, t.event_count, t.run_count])).toEqual([
          ['t1', 2, 2],
          ['t2', 1, 1],
        ]);
      }
    });

    it('reports, rather than silently leaves out, folders and run files whose names are not DeerFlow ids', async () => {
      writeRun('bad.thread', 'r1', `${record(1)}\n`);
      writeRun('t1', 'r..3', `${record(3)}\n`);
      writeFileSync(path.join(root, 'threads', 'notes.txt'), 'not a thread folder');
      mkdirSync(path.join(root, 'threads', '.hidden'));
      let now = Date.now();
      const store = await open(root, { clock: () => now });
      expect((await store.listThreads()).map((t) => t.thread_id)).toEqual(['t1', 't2']);
      expect(await store.countMessages('t1')).toBe(1);
      const issues = await store.sourceIssues();
      expect(issues.map(({ path: at, line, severity }) => [path.relative(root, at), line, severity])).toEqual([
        ['threads/bad.thread', 0, 'warning'],
        ['threads/t1/runs/r..3.jsonl', 0, 'warning'],
      ]);
      expect(issues[0].message).toMatch(/not read: "bad\.thread" is not a DeerFlow id/);
      rmSync(path.join(root, 'threads', 'bad.thread'), { recursive: true });
      await store.deleteByThread('t1');
      now += 60_000; // the store lists folders at most every rescanMs
      expect(await store.sourceIssues()).toEqual([]);
    });

    it("reads DeerFlow's files and continues their seqs", async () => {
      const store = await open();
      const [first] = await store.listMessages('t1');
      expect(first).toEqual({
        thread_id: 't1',
        run_id: 'r1',
        event_type: 'llm.human.input',
        category: 'message',
        content: '你好',
        metadata: {},
        seq: 1,
        created_at: '2026-04-04T00:49:25.123456+00:00',
      });
      expect((await store.put(input())).seq).toBe(3);
      expect((await store.listRuns('t1')).map((r) => r.run_id)).toEqual(['r1', 'r2']);
    });

    it('opens an empty or missing folder as a new, empty store rooted there', async () => {
      const fresh = path.join(dir, 'new', 'store');
      const store = await open(fresh);
      expect(store.info.path).toBe(fresh);
      expect(await store.listThreads()).toEqual([]);
      const put = await store.put(input({ content: 'é 🚀 \u2028' }));
      const text = readFileSync(path.join(fresh, 'threads/t1/runs/r1.jsonl'), 'utf8');
      expect(text).toBe(formatJsonlLine(put)); // json.dumps spacing, as DeerFlow writes its lines
      expect(Object.keys(JSON.parse(text))).toEqual(['thread_id', 'run_id', 'event_type', 'category', 'content', 'metadata', 'seq', 'created_at']);
      expect(text).toContain('é 🚀 \u2028'); // non-ASCII unescaped, as DeerFlow writes it
    });

    it('rejects a path that is a file', async () => {
      const file = path.join(dir, 'file.txt');
      writeFileSync(file, 'x');
      await expect(openJsonlStore(file)).rejects.toMatchObject({ code: 'SOURCE' });
    });
  });

  describe('ids', () => {
    it('rejects ids that are unsafe as path parts, writing nothing', async () => {
      const store = await open();
      for (const id of ['../x', 'a/b', 'a b', 'a.b', '..', 'ü']) {
        await expect(store.put(input({ thread_id: id }))).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/event\.thread_id/) });
        await expect(store.putBatch([input(), input({ run_id: id })])).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/events\.1\.run_id/) });
        await expect(store.putIfAbsent(input({ run_id: id }))).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
        await expect(store.listMessages(id)).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
        await expect(store.deleteByRun('t1', id)).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
        await expect(store.deleteByThread(id)).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
      }
      expect(existsSync(root)).toBe(false);
    });
  });

  describe('files changed by another writer', () => {
    it('picks up appended lines and new runs and threads without reopening', async () => {
      writeRun('t1', 'r1', `${record(1)}\n`);
      const store = await open(root, { rescanMs: 0 });
      expect(await store.countMessages('t1')).toBe(1);
      appendFileSync(runPath('t1', 'r1'), `${record(2)}\n`);
      writeRun('t1', 'r2', `${record(3, { run_id: 'r2' })}\n`);
      writeRun('t3', 'r1', `${record(1, { thread_id: 't3' })}\n`);
      expect(seqsOf(await store.listMessages('t1'))).toEqual([1, 2, 3]);
      expect((await store.put(input())).seq).toBe(4);
      expect((await store.listThreads()).map((t) => t.thread_id)).toEqual(['t1', 't3']);
    });

    it('stats only live files between rescans: a file idle for long is looked at again after rescanMs', async () => {
      const live = writeRun('t1', 'live', `${record(1, { run_id: 'live' })}\n`);
      const idle = writeRun('t1', 'idle', `${record(2, { run_id: 'idle' })}\n`);
      const hourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(idle, hourAgo, hourAgo);
      let now = Date.now();
      const store = await open(root, { clock: () => now, rescanMs: 5_000 });
      expect(seqsOf(await store.listMessages('t1'))).toEqual([1, 2]);
      appendFileSync(live, `${record(3, { run_id: 'live' })}\n`);
      appendFileSync(idle, `${record(4, { run_id: 'idle' })}\n`);
      utimesSync(idle, hourAgo, hourAgo); // as if the append were long ago: nothing marks the file live
      expect(seqsOf(await store.listMessages('t1'))).toEqual([1, 2, 3]);
      now += 5_000;
      expect(seqsOf(await store.listMessages('t1'))).toEqual([1, 2, 3, 4]);
    });

    it('always counts every writer before assigning a seq', async () => {
      const idle = writeRun('t1', 'idle', `${record(1, { run_id: 'idle' })}\n`);
      const hourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(idle, hourAgo, hourAgo);
      const store = await open(root, { rescanMs: 60_000 });
      appendFileSync(idle, `${record(2, { run_id: 'idle' })}\n`);
      utimesSync(idle, hourAgo, hourAgo);
      expect((await store.put(input())).seq).toBe(3);
    });

    it('sees a new thread in its own queries at once, and in the thread list after rescanMs', async () => {
      let now = 1_000_000;
      const store = await open(root, { clock: () => now, rescanMs: 500 });
      expect(await store.listThreads()).toEqual([]);
      writeRun('t7', 'r1', `${record(1, { thread_id: 't7' })}\n`);
      expect(await store.countMessages('t7')).toBe(1);
      writeRun('t8', 'r1', `${record(1, { thread_id: 't8' })}\n`);
      expect((await store.listThreads()).map((t) => t.thread_id)).toEqual(['t7']);
      now += 500;
      expect((await store.listThreads()).map((t) => t.thread_id)).toEqual(['t7', 't8']);
    });

    it('two stores on one folder never hand out the same seq', async () => {
      const a = await open();
      const b = await open();
      const seqs = [];
      for (let i = 0; i < 5; i++) {
        seqs.push((await a.put(input())).seq, (await b.put(input({ run_id: 'r2' }))).seq);
      }
      expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(seqsOf(await a.listMessages('t1'))).toEqual(seqs);
      expect(await b.sourceIssues()).toEqual([]);
    });

    it('reloads a file that shrank or was replaced', async () => {
      const file = writeRun('t1', 'r1', [1, 2, 3].map((s) => record(s)).join('\n') + '\n');
      writeRun('t1', 'r2', `${record(4, { run_id: 'r2' })}\n`);
      const store = await open();
      expect(seqsOf(await store.listMessages('t1'))).toEqual([1, 2, 3, 4]);

      writeFileSync(file, `${record(1)}\n`);
      expect(seqsOf(await store.listMessages('t1'))).toEqual([1, 4]);

      const replacement = path.join(dir, 'replacement.jsonl');
      writeFileSync(replacement, `${record(1, { content: 'changed' })}\n`); // same size, new inode
      renameSync(replacement, file);
      expect((await store.listMessages('t1')).map((e) => e.content)).toEqual(['changed', 'event 4']);
    });

    it('reloads a file rewritten in place, even when it grew', async () => {
      const file = writeRun('t1', 'r1', `${record(1)}\n${record(2)}\n`);
      const store = await open();
      expect(await store.countMessages('t1')).toBe(2);
      writeFileSync(file, `${record(1)}\n${record(5, { content: 'rewritten line two' })}\n${record(6)}\n`);
      expect(seqsOf(await store.listMessages('t1'))).toEqual([1, 5, 6]);
      expect((await store.put(input())).seq).toBe(7);
    });

    it('forgets runs and threads removed on disk; a removed thread starts again at 1', async () => {
      writeRun('t1', 'r1', `${record(1)}\n`);
      writeRun('t1', 'r2', `${record(2, { run_id: 'r2' })}\n`);
      writeRun('t2', 'r1', `${record(1, { thread_id: 't2' })}\n`);
      const store = await open(root, { rescanMs: 0 });
      rmSync(runPath('t1', 'r2'));
      expect((await store.listRuns('t1')).map((r) => r.run_id)).toEqual(['r1']);
      rmSync(path.join(root, 'threads', 't2'), { recursive: true });
      expect((await store.listThreads()).map((t) => t.thread_id)).toEqual(['t1']);
      expect((await store.put(input({ thread_id: 't2' }))).seq).toBe(1);
    });

    it('counts events appended by others in deletes', async () => {
      writeRun('t1', 'r1', `${record(1)}\n`);
      const store = await open();
      appendFileSync(runPath('t1', 'r1'), `${record(2)}\n`);
      expect(await store.deleteByRun('t1', 'r1')).toBe(2);
      expect(existsSync(runPath('t1', 'r1'))).toBe(false);
      appendFileSync(runPath('t1', 'r1'), `${record(3)}\n`);
      expect(await store.deleteByThread('t1')).toBe(1);
      expect(existsSync(path.join(root, 'threads', 't1'))).toBe(false);
    });
  });

  describe('a last line still being written', () => {
    it('is not read or reported until it gets its newline', async () => {
      const file = writeRun('t1', 'r1', `${record(1)}\n${record(2).slice(0, 20)}`);
      const store = await open();
      expect(seqsOf(await store.listMessages('t1'))).toEqual([1]);
      expect(await store.sourceIssues()).toEqual([]);
      appendFileSync(file, `${record(2).slice(20)}\n`);
      expect(seqsOf(await store.listMessages('t1'))).toEqual([1, 2]);
      expect(await store.sourceIssues()).toEqual([]);
    });

    it('is read once it has stayed unterminated for settleMs, and a later newline adds no blank line', async () => {
      const file = writeRun('t1', 'r1', `${record(1)}\n${record(2)}`);
      let now = Date.now();
      const store = await open(root, { clock: () => now, settleMs: 60_000, rescanMs: 0 });
      expect(seqsOf(await store.listMessages('t1'))).toEqual([1]);
      now += 120_000;
      expect(seqsOf(await store.listMessages('t1'))).toEqual([1, 2]);
      appendFileSync(file, `\n${record(3)}\n`);
      expect(seqsOf(await store.listMessages('t1'))).toEqual([1, 2, 3]);
      expect(await store.sourceIssues()).toEqual([]);
    });

    it('reads the unterminated last line of a file dated in the future (copied or generated), which no one is writing now', async () => {
      const file = writeRun('t1', 'r1', `${record(1)}\n${record(2)}`);
      const nextYear = new Date(Date.now() + 365 * 86_400_000);
      utimesSync(file, nextYear, nextYear);
      const store = await open();
      expect(seqsOf(await store.listMessages('t1'))).toEqual([1, 2]);
    });

    it('reports a broken last line that stays so', async () => {
      const file = writeRun('t1', 'r1', `${record(1)}\n{"seq": 2, "con`);
      const old = new Date(Date.now() - 3_600_000);
      utimesSync(file, old, old);
      const store = await open();
      expect(await store.sourceIssues()).toEqual([{ path: file, line: 2, severity: 'error', message: expect.stringMatching(/malformed/) }]);
    });

    it("does not let a hand-edited file's last line swallow an appended one", async () => {
      const file = writeRun('t1', 'r1', record(1));
      const old = new Date(Date.now() - 3_600_000);
      utimesSync(file, old, old);
      const store = await open();
      const put = await store.put(input());
      expect(put.seq).toBe(2);
      expect(readFileSync(file, 'utf8')).toBe(`${record(1)}\n${formatJsonlLine(put)}`);
      expect(seqsOf(await store.listMessages('t1'))).toEqual([1, 2]);
      expect(await store.sourceIssues()).toEqual([]);
    });
  });

  describe('source issues', () => {
    it("reports the reader's skipped and defaulted lines, and duplicate seqs keep the first", async () => {
      const a = writeRun('t1', 'a', `${record(1, { run_id: 'a' })}\n\nnot json\n{"seq": 2}\n`);
      const b = writeRun('t1', 'b', `${record(1, { run_id: 'b', content: 'duplicate' })}\n${record(3, { run_id: 'b' })}\n`);
      const store = await open(root, { rescanMs: 0 });
      expect((await store.listEvents('t1', 'a')).map((e) => [e.seq, e.content])).toEqual([
        [1, 'event 1'],
        [2, ''],
      ]);
      expect(seqsOf(await store.listEvents('t1', 'b'))).toEqual([3]);
      expect((await store.sourceIssues()).map((i) => [path.basename(i.path), i.line, i.severity])).toEqual([
        ['a.jsonl', 2, 'error'],
        ['a.jsonl', 3, 'error'],
        ['a.jsonl', 4, 'warning'],
        ['b.jsonl', 1, 'error'],
      ]);
      expect((await store.sourceIssues())[3].message).toMatch(/duplicate seq 1/);
      // What each issue is, for the health check: only the duplicate says.
      expect((await store.sourceIssues()).map((i) => i.about)).toEqual([undefined, undefined, undefined, { kind: 'duplicate_seq', thread_id: 't1', seq: 1 }]);
      rmSync(b);
      expect((await store.sourceIssues()).map((i) => i.path)).toEqual([a, a, a]);
    });
  });

  describe('writes', () => {
    it('putBatch writes each run file once and all-or-nothing when a write fails', async () => {
      const store = await open();
      await store.put(input());
      mkdirSync(runPath('t1', 'blocked'), { recursive: true }); // a folder where the run file should be
      const before = readFileSync(runPath('t1', 'r1'), 'utf8');
      await expect(store.putBatch([input({ content: 'a' }), input({ run_id: 'blocked' })])).rejects.toThrow();
      expect(readFileSync(runPath('t1', 'r1'), 'utf8')).toBe(before);
      expect(seqsOf(await store.listMessages('t1'))).toEqual([1]);
      expect((await store.put(input())).seq).toBe(2);
    });
  });

  it('answers a page of a 100,000-event thread from its index', async () => {
    const lines = (run: number) =>
      Array.from({ length: 25_000 }, (_, i) => {
        const seq = run * 25_000 + i + 1;
        return record(seq, { run_id: `r${run}`, category: seq % 2 ? 'message' : 'trace' });
      }).join('\n') + '\n';
    for (const run of [3, 1, 0, 2]) writeRun('big', `r${run}`, lines(run));
    const indexed: string[] = [];
    const store = await open(root, { onFileRead: (file) => indexed.push(path.basename(file)) });
    expect(await store.countMessages('big')).toBe(50_000);
    expect(indexed.sort()).toEqual(['r0.jsonl', 'r1.jsonl', 'r2.jsonl', 'r3.jsonl']);
    const middle = await store.listMessages('big', { beforeSeq: 50_001, limit: 50 });
    const last = await store.listMessages('big');
    const trace = await store.listEvents('big', 'r2', { afterSeq: 60_000, limit: 500 });
    expect(middle.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 49_901 + 2 * i));
    expect(last[49].seq).toBe(99_999);
    expect(trace.map((e) => e.seq)).toEqual(Array.from({ length: 500 }, (_, i) => 60_001 + i));
    // Each page is read from where the index says its lines are: no file is read whole (indexed) again.
    expect(indexed).toHaveLength(4);
  });
});

describe('jsonl export file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'jsonl-export-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const line = (thread_id: string, run_id: string, seq: number, category = 'message') =>
    JSON.stringify({ thread_id, run_id, event_type: 'llm.ai.response', category, content: `${thread_id} ${seq}`, metadata: {}, seq, created_at: '2026-04-04T00:49:25+00:00' });

  it('reads records of several threads and runs, read-only', async () => {
    const file = path.join(dir, 'export.jsonl');
    writeFileSync(file, [line('a', 'r1', 2), line('b', 'r1', 1), line('a', 'r1', 1), 'junk', line('a', 'r2', 3, 'trace'), line('a', 'r1', 2)].join('\n'));
    const store = await openJsonlExport(file);
    expect(store.info).toEqual({ kind: 'jsonl-file', path: file, readOnly: true });
    expect((await store.listMessages('a')).map((e) => e.content)).toEqual(['a 1', 'a 2']);
    const threads = (await store.listThreads()).sort((x, y) => x.thread_id.localeCompare(y.thread_id));
    expect(threads.map((t) => [t.thread_id, t.event_count])).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
    expect((await store.listRuns('a')).map((r) => r.run_id)).toEqual(['r1', 'r2']);
    expect((await store.sourceIssues()).map((i) => [i.line, i.severity, i.about])).toEqual([
      [4, 'error', undefined],
      [6, 'error', { kind: 'duplicate_seq', thread_id: 'a', seq: 2 }],
    ]);
    for (const write of [
      () => store.put({ thread_id: 'a', run_id: 'r1', event_type: 'x', category: 'message' }),
      () => store.putBatch([]),
      () => store.putIfAbsent({ thread_id: 'a', run_id: 'r1', event_type: 'x', category: 'message' }),
      () => store.deleteByRun('a', 'r1'),
      () => store.deleteByThread('a'),
    ]) {
      await expect(write()).rejects.toMatchObject({ code: 'READ_ONLY' });
    }
    expect(await store.countMessages('a')).toBe(2);
    await store.close();
  });

  it('is an error naming the file when not one line is a record', async () => {
    const file = path.join(dir, 'notes.jsonl');
    writeFileSync(file, 'hello\n{"no":"seq"}\n');
    await expect(openJsonlExport(file)).rejects.toMatchObject({ code: 'SOURCE', message: expect.stringContaining(`${file}: not one of its 2 lines is a JSONL run-event record`) });
    writeFileSync(file, 'hello\n');
    await expect(openJsonlExport(file)).rejects.toMatchObject({ code: 'SOURCE', message: expect.stringContaining(`${file}: its one line is not a JSONL run-event record`) });
    writeFileSync(file, '');
    await expect(openJsonlExport(file)).rejects.toMatchObject({ code: 'SOURCE', message: expect.stringMatching(/empty/) });
    await expect(openJsonlExport(path.join(dir, 'missing.jsonl'))).rejects.toMatchObject({ code: 'SOURCE' });
  });
});
