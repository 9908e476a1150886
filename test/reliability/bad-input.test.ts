// The bad-input corpus (corpus/README.md) driven through the app's real entry
// points: openSource, the CLI's import / export / rpc as child processes, and
// the HTTP server. Every case ends in a clear, specific error or a reported
// skip, never a crash, and the target is unchanged or changed only by the
// valid part.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { browserProtocol } from '../../src-shared/contract.ts';
import { StoreError } from '../../src-shared/errors.ts';
import type { InspectorStore, RunEvent, SourceIssue } from '../../src-shared/types.ts';
import { createHandlers } from '../../src-main/handlers/handlers.ts';
import { Session } from '../../src-main/handlers/session.ts';
import { openSource } from '../../src-main/store/open-source.ts';
import { startHttpServer, type HttpServer } from '../../src-main/transports/http-server.ts';
import { httpRequest } from '../support/http-request.ts';
import {
  CORPUS,
  buildDatabase,
  fileTree,
  flatten,
  integrityCheck,
  makeTempDir,
  runCli,
  snapshotStore,
  startScript,
  waitForLine,
} from './support.ts';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir();
});
afterEach(() => temp.remove());

/** A corpus file copied into the test's temp dir, so nothing ever writes to the checked-in corpus. */
function corpusCopy(name: string, as = path.basename(name)): string {
  const target = path.join(temp.dir, as);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(path.join(CORPUS, name), target);
  return target;
}

/** Rejects with a StoreError of `code` whose message names the file and says what is wrong. */
async function expectStoreError(promise: Promise<unknown>, code: StoreError['code'], ...patterns: (RegExp | string)[]): Promise<StoreError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected a rejection').toBeInstanceOf(StoreError);
  const storeError = error as StoreError;
  expect(storeError.code, storeError.message).toBe(code);
  for (const pattern of patterns) expect(storeError.message).toMatch(pattern);
  return storeError;
}

async function withStore<T>(source: string, use: (store: InspectorStore) => Promise<T>): Promise<T> {
  const store = await openSource(source);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** Every event of a store, in thread then seq order. */
async function allEvents(store: InspectorStore): Promise<RunEvent[]> {
  return flatten(await snapshotStore(store)).sort((a, b) => (a.thread_id === b.thread_id ? a.seq - b.seq : a.thread_id < b.thread_id ? -1 : 1));
}

describe('bad input: files that are not a usable database', () => {
  const refused: [string, string, RegExp][] = [
    ['a zero-byte file named .db', 'empty.db', /empty file/],
    ['a text file named .db', 'text.db', /not a SQLite database/],
    ['13 bytes of a SQLite header named .db', 'short.db', /not a SQLite database/],
  ];
  for (const [label, name, why] of refused) {
    it(`refuses ${label}, naming it, and never initialises it`, async () => {
      const file = corpusCopy(name);
      const before = fileTree(temp.dir);
      await expectStoreError(openSource(file), 'SOURCE', file, why);
      expect(fileTree(temp.dir)).toEqual(before);
    });
  }

  it('refuses a zero-byte file given as SOURCE without a database name, naming it', async () => {
    const file = corpusCopy('empty-source');
    await expectStoreError(openSource(file), 'SOURCE', file, /empty/);
    expect(fs.statSync(file).size).toBe(0);
  });

  const schemas: [string, string, RegExp][] = [
    ['a SQLite file without run_events', 'no-run-events.sql', /no run_events table/],
    ['run_events missing required columns', 'missing-columns.sql', /lacks the columns content, seq/],
  ];
  for (const [label, script, why] of schemas) {
    it(`refuses ${label}, naming the file and what is missing, and leaves it as it was`, async () => {
      const file = buildDatabase(script, path.join(temp.dir, 'foreign.db'));
      const before = fileTree(temp.dir);
      await expectStoreError(openSource(file), 'SOURCE', file, why);
      // Named otherwise, the header still makes it a database, with the same answer.
      const renamed = path.join(temp.dir, 'foreign.jsonl');
      fs.copyFileSync(file, renamed);
      await expectStoreError(openSource(renamed), 'SOURCE', renamed, why);
      fs.rmSync(renamed);
      expect(fileTree(temp.dir)).toEqual(before);
    });
  }

  it('a run_events view: refused naming the file, or read with writes refused', async () => {
    const file = buildDatabase('run-events-view.sql', path.join(temp.dir, 'view.db'));
    const before = fileTree(temp.dir);
    const store = await openSource(file).catch(async (error: unknown) => {
      await expectStoreError(Promise.reject(error), 'SOURCE', file, /view/);
      return null;
    });
    if (store) {
      try {
        expect((await store.listMessages('t1')).map((e) => e.content)).toEqual(['hello']);
        await expectStoreError(store.put({ thread_id: 't1', run_id: 'r1', event_type: 'x', category: 'trace' }), 'READ_ONLY', file);
        await expectStoreError(store.deleteByThread('t1'), 'READ_ONLY', file);
      } finally {
        await store.close();
      }
    }
    expect(fileTree(temp.dir)).toEqual(before);
  });

  it("shows rows another writer got wrong without failing the rest, every seq a positive integer", async () => {
    const file = buildDatabase('foreign-rows.sql', path.join(temp.dir, 'foreign.db'));
    await withStore(file, async (store) => {
      const events = await store.listEvents('t1', 'r1', { limit: 100 });
      expect(events.find((e) => e.seq === 1)?.content).toBe('good');
      for (const event of events) {
        expect(Number.isSafeInteger(event.seq) && event.seq >= 1, JSON.stringify(event)).toBe(true);
        expect(typeof event.metadata === 'object' && event.metadata !== null && !Array.isArray(event.metadata)).toBe(true);
      }
      expect(events.map((e) => e.seq)).toEqual(expect.arrayContaining([1, 2, 3, 4, 5, 7]));
      // A marked content that is not JSON stays the raw string, as DeerFlow's reader leaves it.
      expect(events.find((e) => e.seq === 4)?.content).toBe('{not json');
      expect(events.find((e) => e.seq === 5)?.created_at).toBe('yesterday');
      expect((await store.listThreads()).map((t) => t.thread_id)).toEqual(['t1']);
    });
  });

  /** A valid DeerFlow database damaged by `damage`; every way of reading it either works or fails with a SOURCE error naming it. */
  async function expectDamageReported(damage: (bytes: Buffer) => Buffer): Promise<void> {
    const file = buildDatabase('deerflow.sql', path.join(temp.dir, 'damaged.db'));
    fs.writeFileSync(file, damage(fs.readFileSync(file)));
    const before = fileTree(temp.dir);
    let store: InspectorStore;
    try {
      store = await openSource(file);
    } catch (error) {
      await expectStoreError(Promise.reject(error), 'SOURCE', file);
      expect(fileTree(temp.dir)).toEqual(before);
      return;
    }
    const reads: [string, () => Promise<unknown>][] = [
      ['listThreads', () => store.listThreads()],
      ['listMessages', () => store.listMessages('thread-1', { limit: 500 })],
      ['listEvents', () => store.listEvents('thread-2', 'run-1', { limit: 500 })],
      ['listRuns', () => store.listRuns('thread-3')],
      ['eventCounts', () => store.eventCounts('thread-0')],
    ];
    let failures = 0;
    for (const [name, read] of reads) {
      try {
        await read();
      } catch (error) {
        failures++;
        expect(error, name).toBeInstanceOf(StoreError);
        expect((error as StoreError).code, `${name}: ${(error as Error).message}`).toBe('SOURCE');
        expect((error as Error).message, name).toContain(file);
      }
    }
    await store.close();
    expect(failures, 'the damage went unnoticed by every read').toBeGreaterThan(0);
    expect(fileTree(temp.dir)).toEqual(before);
  }

  it('reports a truncated database file as damaged, naming it, and leaves it as it was', async () => {
    await expectDamageReported((bytes) => bytes.subarray(0, Math.floor(bytes.length / 2)));
  });

  it('reports a corrupted database file as damaged, naming it, and leaves it as it was', async () => {
    // Page 1 (the schema) stays intact; every later page is overwritten with garbage.
    await expectDamageReported((bytes) => {
      const damaged = Buffer.from(bytes);
      for (let i = 4096; i < damaged.length; i++) damaged[i] = (i * 7919) & 0xff;
      return damaged;
    });
  });
});

describe('bad input: a database locked by another writer', () => {
  // deerflow.sql: threads thread-0 … thread-3 of 100 events each (seqs 1–100); thread-0 and thread-2 hold the messages.
  const event = { thread_id: 'thread-2', run_id: 'run-1', event_type: 'llm.ai.response', category: 'message', content: 'from the app' };

  it("fails the app's write with a clear busy error after its timeout, and corrupts nothing", async () => {
    const file = buildDatabase('deerflow.sql', path.join(temp.dir, 'locked.db'));
    const holder = startScript('lock-holder.ts', [file, 'immediate']);
    await waitForLine(holder, 'locked');
    const store = await openSource(file);
    try {
      // Reads go on while another process holds the write lock.
      expect((await store.listMessages('thread-2', { limit: 5 })).length).toBe(5);
      // One attempt: each waits out the whole busy timeout.
      await expectStoreError(store.put(event), 'SOURCE', file, /locked/);
      expect(await store.countMessages('thread-2')).toBe(100);
    } finally {
      await store.close();
      holder.stdin.end();
      await waitForLine(holder, 'released');
    }
    expect(integrityCheck(file)).toBe('ok');
  }, 30_000);

  it("waits for a lock that goes away, then writes, with nothing lost on either side", async () => {
    const file = buildDatabase('deerflow.sql', path.join(temp.dir, 'locked.db'));
    const holder = startScript('lock-holder.ts', [file, 'exclusive', '300']);
    await waitForLine(holder, 'locked');
    const store = await openSource(file);
    try {
      const put = await store.put(event);
      expect(put.seq).toBe(101);
      expect(await store.deleteByRun('thread-3', 'run-0')).toBeGreaterThan(0);
      expect(await store.countMessages('thread-2')).toBe(101);
    } finally {
      await store.close();
    }
    expect(integrityCheck(file)).toBe('ok');
  });
});

/** What each JSONL case must give: the seqs kept, and which lines are skipped (errors) or defaulted (warnings). */
interface JsonlCase {
  file: string;
  thread: string;
  seqs: number[];
  errors: number[];
  warnings?: number[];
  because?: RegExp;
  check?: (events: RunEvent[]) => void;
  /** The import counts these lines as duplicates of records it already has, rather than as unreadable. */
  duplicatesOnImport?: boolean;
  /** What an import keeps and skips where it differs from reading: a record without a created_at has no database row (check is not run). */
  onImport?: { seqs: number[]; errors: number[] };
}

const contentOf = (events: RunEvent[], seq: number) => events.find((e) => e.seq === seq)?.content;

const jsonlCases: JsonlCase[] = [
  { file: 'malformed-lines.jsonl', thread: 'corpus-malformed', seqs: [1, 3], errors: [2, 3, 4, 5, 6, 7], because: /malformed JSON|not a JSON object/ },
  { file: 'blank-lines.jsonl', thread: 'corpus-blank', seqs: [1, 2], errors: [2, 3], because: /blank line/ },
  {
    file: 'crlf.jsonl',
    thread: 'corpus-crlf',
    seqs: [1, 2, 3],
    errors: [],
    check: (events) => expect([contentOf(events, 1), contentOf(events, 2)]).toEqual(['first', 'second\r\n']),
  },
  { file: 'bom.jsonl', thread: 'corpus-bom', seqs: [1, 2], errors: [], check: (events) => expect(contentOf(events, 1)).toBe('after a BOM') },
  {
    file: 'invalid-utf8.jsonl',
    thread: 'corpus-utf8',
    seqs: [1, 2, 3],
    errors: [],
    warnings: [2],
    because: /UTF-8/,
    check: (events) => expect(contentOf(events, 2)).toBe('bad \ufffd byte \ufffd'),
  },
  {
    file: 'nul-byte.jsonl',
    thread: 'corpus-nul',
    seqs: [1, 4],
    errors: [2, 3],
    because: /NUL/,
    check: (events) => expect(contentOf(events, 4)).toBe('escaped\u0000nul'),
  },
  {
    file: 'missing-fields.jsonl',
    thread: 'corpus-missing',
    seqs: [1, 3, 4, 5],
    errors: [2],
    warnings: [3, 4],
    because: /seq|missing/,
    check: (events) => {
      const bare = events.find((e) => e.seq === 3)!;
      expect([bare.content, bare.metadata]).toEqual(['', {}]);
    },
    onImport: { seqs: [1, 4, 5], errors: [2, 3] },
  },
  {
    file: 'non-object-metadata.jsonl',
    thread: 'corpus-meta',
    seqs: [1, 2, 3, 4, 5],
    errors: [],
    warnings: [2, 3, 4],
    because: /metadata is not an object/,
    check: (events) => expect(events.map((e) => e.metadata)).toEqual([{ caller: 'lead_agent' }, {}, {}, {}, { caller: 'lead_agent' }]),
  },
  { file: 'bad-seq.jsonl', thread: 'corpus-seq', seqs: [1, 5], errors: [2, 3, 4, 5, 6, 7], because: /"seq" is not a positive integer/ },
  { file: 'unsafe-integer-seq.jsonl', thread: 'corpus-bigseq', seqs: [1, 2], errors: [2], because: /"seq" is not a positive integer/ },
  {
    file: 'duplicate-seqs.jsonl',
    thread: 'corpus-dup',
    seqs: [1, 2, 3],
    errors: [3],
    because: /duplicate seq 2/,
    check: (events) => expect(contentOf(events, 2)).toBe('two'),
    duplicatesOnImport: true,
  },
  {
    file: 'line-separators.jsonl',
    thread: 'corpus-u2028',
    seqs: [1, 2],
    errors: [],
    check: (events) => expect(contentOf(events, 1)).toBe('line\u2028sep\u2029para'),
  },
  { file: 'unterminated-last-line.jsonl', thread: 'corpus-partial', seqs: [1], errors: [2], because: /malformed JSON/ },
];

function expectIssues(issues: SourceIssue[], file: string, { errors, warnings = [], because }: JsonlCase): void {
  const mine = issues.filter((issue) => issue.path === file);
  expect(mine.filter((i) => i.severity === 'error').map((i) => i.line)).toEqual(errors);
  expect(mine.filter((i) => i.severity === 'warning').map((i) => i.line)).toEqual(warnings);
  if (because) expect(mine.map((i) => i.message).join('\n')).toMatch(because);
}

describe('bad input: JSONL lines', () => {
  let importDir: string;
  let importDb: string;
  let imported: { code: number | null; stdout: string; stderr: string };
  let importTemp: ReturnType<typeof makeTempDir>;

  beforeAll(async () => {
    importTemp = makeTempDir();
    importDir = path.join(importTemp.dir, 'exports');
    fs.cpSync(path.join(CORPUS, 'jsonl'), importDir, { recursive: true });
    importDb = path.join(importTemp.dir, 'imported.db');
    imported = await runCli(['import', importDir, '--into', importDb]);
  });
  afterAll(() => importTemp.remove());

  for (const testCase of jsonlCases) {
    describe(testCase.file, () => {
      it('as a SOURCE file: keeps the valid records and reports each bad line as path:line', async () => {
        const file = corpusCopy(path.join('jsonl', testCase.file));
        await withStore(file, async (store) => {
          const events = await store.listEvents(testCase.thread, 'r1', { limit: 100 });
          expect(events.map((e) => e.seq)).toEqual(testCase.seqs);
          testCase.check?.(events);
          expectIssues(await store.sourceIssues(), file, testCase);
        });
      });

      it('inside a DeerFlow layout: the same records and reports, thread and run from the path', async () => {
        const file = corpusCopy(path.join('jsonl', testCase.file), `.deer-flow/threads/${testCase.thread}/runs/r1.jsonl`);
        // Settled: the last line has stayed as it is for long enough to be judged.
        const anHourAgo = new Date(Date.now() - 3_600_000);
        fs.utimesSync(file, anHourAgo, anHourAgo);
        await withStore(temp.dir, async (store) => {
          const events = await store.listEvents(testCase.thread, 'r1', { limit: 100 });
          expect(events.map((e) => e.seq)).toEqual(testCase.seqs);
          testCase.check?.(events);
          expectIssues(await store.sourceIssues(), file, testCase);
        });
      });

      it('imported by the CLI: the valid records land, each skipped line is listed', async () => {
        expect(imported.code, imported.stderr).toBe(0);
        const file = path.join(importDir, testCase.file);
        const listed = imported.stdout.split('\n').filter((line) => line.startsWith(`${file}:`));
        const skipped = testCase.duplicatesOnImport ? [] : (testCase.onImport?.errors ?? testCase.errors);
        expect(listed).toEqual(skipped.map((line) => `${file}:${line}`));
        await withStore(importDb, async (store) => {
          const events = await store.listEvents(testCase.thread, 'r1', { limit: 100 });
          expect(events.map((e) => e.seq)).toEqual(testCase.onImport?.seqs ?? testCase.seqs);
          if (!testCase.onImport) testCase.check?.(events);
        });
      });
    });
  }

  it('import: the summary counts what was skipped and what was a duplicate', () => {
    const skipped = jsonlCases.filter((c) => !c.duplicatesOnImport).reduce((n, c) => n + (c.onImport?.errors ?? c.errors).length, 0);
    const duplicates = jsonlCases.filter((c) => c.duplicatesOnImport).reduce((n, c) => n + c.errors.length, 0);
    // no-records.jsonl adds its 4 lines; unsafe-ids.jsonl is read whole (its ids are refused only where they would name files).
    expect(imported.stdout).toMatch(new RegExp(`^imported \\d+, skipped ${skipped + 4}, duplicates ${duplicates},`));
  });

  it('no-records.jsonl: refused as a SOURCE naming the file; imported alone it fails, creating no database', async () => {
    const file = corpusCopy('jsonl/no-records.jsonl');
    await expectStoreError(openSource(file), 'SOURCE', file, /not one of its 4 lines is a JSONL run-event record/);
    const db = path.join(temp.dir, 'never.db');
    const result = await runCli(['import', file, '--into', db]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no record could be read/);
    expect(result.stdout.split('\n').filter((l) => l.startsWith(file))).toEqual([1, 2, 3, 4].map((n) => `${file}:${n}`));
    expect(fs.existsSync(db)).toBe(false);
  });

  it('a single 50 MB line (made at test time) is read whole, as a SOURCE and by import', async () => {
    const file = path.join(temp.dir, 'huge-line.jsonl');
    const content = 'x'.repeat(50 * 1024 * 1024);
    const record = (seq: number, text: string) =>
      JSON.stringify({ thread_id: 'huge', run_id: 'r1', event_type: 'llm.tool.result', category: 'message', content: text, metadata: {}, seq, created_at: '2026-04-04T00:49:25.123456+00:00' });
    fs.writeFileSync(file, `${record(1, content)}\n${record(2, 'after')}\n`);
    await withStore(file, async (store) => {
      const events = await store.listEvents('huge', 'r1');
      expect(events.map((e) => [e.seq, (e.content as string).length])).toEqual([
        [1, content.length],
        [2, 5],
      ]);
      expect(await store.sourceIssues()).toEqual([]);
    });
    const db = path.join(temp.dir, 'huge.db');
    const result = await runCli(['import', file, '--into', db], { timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^imported 2, skipped 0/);
    await withStore(db, async (store) => {
      expect(((await store.getEvent('huge', 1))?.content as string).length).toBe(content.length);
    });
  }, 60_000);
});

describe('bad input: ids with .. or /', () => {
  const unsafe = ['..', '../escape', 'a/b', '../../etc', 'x\\y', '.', 'a..b'];

  it('an export file carrying them is read; exporting it refuses those ids and writes nothing outside --out', async () => {
    const file = corpusCopy('jsonl/unsafe-ids.jsonl', 'in/unsafe-ids.jsonl');
    await withStore(file, async (store) => {
      expect((await store.listEvents('corpus-ids', 'r1')).map((e) => e.seq)).toEqual([1, 4]);
    });
    const out = path.join(temp.dir, 'out', 'export');
    const before = fileTree(temp.dir);
    const result = await runCli(['export', file, '--out', out]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/thread_id|run_id/);
    expect(result.stderr).toMatch(/must match/);
    const after = fileTree(temp.dir);
    for (const written of Object.keys(after)) expect(written in before || written.startsWith(`out${path.sep}export${path.sep}`), written).toBe(true);
  });

  it('imported into a database they are plain strings; exporting the database refuses them, writing nothing outside --out', async () => {
    const file = corpusCopy('jsonl/unsafe-ids.jsonl', 'in/unsafe-ids.jsonl');
    const db = path.join(temp.dir, 'ids.db');
    const imported = await runCli(['import', file, '--into', db]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^imported 6, skipped 0/);
    const before = fileTree(temp.dir);
    const result = await runCli(['export', db, '--out', path.join(temp.dir, 'out')]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/must match/);
    const sidecar = (file: string) => /\.db-(shm|wal)$/.test(file); // SQLite's own, beside a WAL database read-only
    for (const written of Object.keys(fileTree(temp.dir))) expect(written in before || sidecar(written) || written.startsWith(`out${path.sep}`), written).toBe(true);
    expect(fs.existsSync(path.join(temp.dir, 'escape'))).toBe(false);
  });

  it('as put arguments of a JSONL store: refused, with no file or folder created or removed anywhere', async () => {
    const root = path.join(temp.dir, 'store', '.deer-flow');
    fs.mkdirSync(root, { recursive: true });
    await withStore(root, async (store) => {
      await store.put({ thread_id: 'keep', run_id: 'r1', event_type: 'x', category: 'trace' });
      const before = fileTree(temp.dir);
      for (const id of unsafe) {
        const event = { thread_id: 'keep', run_id: 'r1', event_type: 'x', category: 'trace' };
        await expectStoreError(store.put({ ...event, thread_id: id }), 'BAD_ARGUMENT', /thread_id/);
        await expectStoreError(store.put({ ...event, run_id: id }), 'BAD_ARGUMENT', /run_id/);
        await expectStoreError(store.putBatch([event, { ...event, run_id: id }]), 'BAD_ARGUMENT', /run_id/);
        await expectStoreError(store.putIfAbsent({ ...event, thread_id: id }), 'BAD_ARGUMENT', /thread_id/);
        await expectStoreError(store.deleteByThread(id), 'BAD_ARGUMENT', /threadId/);
        await expectStoreError(store.deleteByRun('keep', id), 'BAD_ARGUMENT', /runId/);
        await expectStoreError(store.listMessages(id), 'BAD_ARGUMENT', /threadId/);
        await expectStoreError(store.listEvents('keep', id), 'BAD_ARGUMENT', /runId/);
      }
      expect(fileTree(temp.dir)).toEqual(before);
      expect(await store.countMessages('keep')).toBe(0);
      expect((await store.listEvents('keep', 'r1')).length).toBe(1);
    });
  });

  it('as folder and file names in a layout: ignored, the valid part read, nothing outside the root touched', async () => {
    const root = path.join(temp.dir, 'layout', '.deer-flow');
    const line = (seq: number) => `${JSON.stringify({ event_type: 'x', category: 'message', content: `c${seq}`, metadata: {}, seq, created_at: '2026-04-04T00:49:25+00:00' })}\n`;
    const place = (relative: string) => {
      const file = path.join(root, 'threads', relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, line(1));
    };
    place('ok/runs/r1.jsonl');
    place('bad.id/runs/r1.jsonl');
    place('ok/runs/r..2.jsonl');
    place('ok/runs/.hidden.jsonl');
    fs.writeFileSync(path.join(temp.dir, 'layout', 'outside.jsonl'), line(9));
    const before = fileTree(temp.dir);
    await withStore(root, async (store) => {
      expect((await store.listThreads()).map((t) => [t.thread_id, t.event_count])).toEqual([['ok', 1]]);
      expect((await store.listRuns('ok')).map((r) => r.run_id)).toEqual(['r1']);
      expect(await store.deleteByThread('ok')).toBe(1);
    });
    // The thread's folder went; the unsafe folder and everything outside the root stayed.
    const kept = Object.keys(before).filter((f) => !f.startsWith(path.join('layout', '.deer-flow', 'threads', 'ok', '')));
    expect(Object.keys(fileTree(temp.dir)).sort()).toEqual(kept.sort());
  });
});

describe('bad input: symbolic links in a layout', () => {
  it('deleting a linked thread or run removes the link, never what it points to', async () => {
    const root = path.join(temp.dir, 'layout', '.deer-flow');
    const elsewhere = path.join(temp.dir, 'elsewhere');
    const record = (thread: string, seq: number) =>
      `${JSON.stringify({ thread_id: thread, run_id: 'r1', event_type: 'x', category: 'message', content: 'c', metadata: {}, seq, created_at: '2026-04-04T00:49:25+00:00' })}\n`;
    fs.mkdirSync(path.join(elsewhere, 'thread', 'runs'), { recursive: true });
    fs.writeFileSync(path.join(elsewhere, 'thread', 'runs', 'r1.jsonl'), record('linked', 1));
    fs.writeFileSync(path.join(elsewhere, 'thread', 'notes.txt'), 'not the inspector’s');
    fs.writeFileSync(path.join(elsewhere, 'run.jsonl'), record('real', 1));
    fs.mkdirSync(path.join(root, 'threads', 'real', 'runs'), { recursive: true });
    fs.symlinkSync(path.join(elsewhere, 'thread'), path.join(root, 'threads', 'linked'));
    fs.symlinkSync(path.join(elsewhere, 'run.jsonl'), path.join(root, 'threads', 'real', 'runs', 'r1.jsonl'));
    const outside = fileTree(elsewhere);
    await withStore(root, async (store) => {
      expect((await store.listThreads()).map((t) => [t.thread_id, t.event_count]).sort()).toEqual([
        ['linked', 1],
        ['real', 1],
      ]);
      expect(await store.deleteByThread('linked')).toBe(1);
      expect(await store.deleteByRun('real', 'r1')).toBe(1);
      expect(await store.listEvents('real', 'r1')).toEqual([]);
    });
    expect(fileTree(elsewhere)).toEqual(outside);
    expect(fs.existsSync(path.join(root, 'threads', 'linked'))).toBe(false);
  });
});

describe('bad input: the import command', () => {
  it('an import folder with no JSONL in it: a clear error, no database created', async () => {
    const dir = path.join(temp.dir, 'no-jsonl');
    fs.cpSync(path.join(CORPUS, 'no-jsonl'), dir, { recursive: true });
    const db = path.join(temp.dir, 'target.db');
    const result = await runCli(['import', dir, '--into', db]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no \.jsonl files/);
    expect(result.stderr).toContain(dir);
    expect(fs.existsSync(db)).toBe(false);
  });

  it('a path that does not exist: a clear error naming it', async () => {
    const missing = path.join(temp.dir, 'nothing-here');
    const result = await runCli(['import', missing, '--into', path.join(temp.dir, 'target.db')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(missing);
    expect(fs.readdirSync(temp.dir)).toEqual([]);
  });

  const targets: [string, () => string, RegExp][] = [
    ['a text file named .db', () => corpusCopy('text.db'), /not a SQLite database/],
    ['a zero-byte file named .db', () => corpusCopy('empty.db'), /empty file/],
    ['a SQLite file without run_events', () => buildDatabase('no-run-events.sql', path.join(temp.dir, 'other.db')), /no run_events table/],
  ];
  for (const [label, make, why] of targets) {
    it(`into ${label}: refused naming it, the file unchanged`, async () => {
      const db = make();
      const source = corpusCopy('jsonl/crlf.jsonl');
      const before = fileTree(temp.dir);
      const result = await runCli(['import', source, '--into', db]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(db);
      expect(result.stderr).toMatch(why);
      expect(fileTree(temp.dir)).toEqual(before);
    });
  }
});

/** Requests that must each get an error object naming what is wrong, from one `rpc` process. */
const rpcCases: { label: string; line: string; code: number; message?: RegExp }[] = [
  { label: 'a line that is not JSON', line: '{"jsonrpc":"2.0","id":1,"method":', code: -32700 },
  { label: 'an unknown method', line: '{"jsonrpc":"2.0","id":2,"method":"dropDatabase","params":{}}', code: -32601, message: /dropDatabase/ },
  { label: 'a method that is an Object.prototype name', line: '{"jsonrpc":"2.0","id":3,"method":"constructor","params":{}}', code: -32601 },
  { label: 'a wrong type (threadId: 5)', line: '{"jsonrpc":"2.0","id":4,"method":"countMessages","params":{"threadId":5}}', code: -32602, message: /threadId/ },
  { label: 'a huge limit', line: '{"jsonrpc":"2.0","id":5,"method":"listMessages","params":{"threadId":"t1","limit":1000000000}}', code: -32602, message: /limit/ },
  { label: 'a negative cursor', line: '{"jsonrpc":"2.0","id":6,"method":"listMessages","params":{"threadId":"t1","afterSeq":-1}}', code: -32602, message: /afterSeq/ },
  { label: 'a fractional cursor', line: '{"jsonrpc":"2.0","id":7,"method":"listEvents","params":{"threadId":"t1","runId":"r1","afterSeq":1.5}}', code: -32602, message: /afterSeq/ },
  { label: 'params as an array', line: '{"jsonrpc":"2.0","id":8,"method":"countMessages","params":["t1"]}', code: -32602, message: /params/ },
  { label: 'an unknown parameter', line: '{"jsonrpc":"2.0","id":9,"method":"countMessages","params":{"threadId":"t1","sql":"DROP TABLE run_events"}}', code: -32602, message: /sql/ },
  { label: 'non-object metadata in put', line: '{"jsonrpc":"2.0","id":10,"method":"put","params":{"event":{"thread_id":"t1","run_id":"r1","event_type":"x","category":"trace","metadata":[1]}}}', code: -32602, message: /metadata/ },
  { label: 'one bad event in a batch', line: '{"jsonrpc":"2.0","id":11,"method":"putBatch","params":{"events":[{"thread_id":"t1","run_id":"r1","event_type":"x","category":"trace"},{"thread_id":"","run_id":"r1","event_type":"x","category":"trace"}]}}', code: -32602, message: /events\.1\.thread_id/ },
  { label: 'a wrong jsonrpc version', line: '{"jsonrpc":"1.0","id":12,"method":"listThreads","params":{}}', code: -32600 },
  { label: 'a 1 MB id string', line: `{"jsonrpc":"2.0","id":13,"method":"countMessages","params":{"threadId":"${'t'.repeat(1024 * 1024)}"}}`, code: -32602, message: /at most 64/ },
  { label: 'a getEvent seq of 0', line: '{"jsonrpc":"2.0","id":14,"method":"getEvent","params":{"threadId":"t1","seq":0}}', code: -32602, message: /seq/ },
];

describe('bad input: JSON-RPC requests (`rpc` on a database)', () => {
  let db: string;
  let answers: Map<unknown, { error?: { code: number; message: string }; result?: unknown }>;
  let result: Awaited<ReturnType<typeof runCli>>;
  let rpcTemp: ReturnType<typeof makeTempDir>;

  beforeAll(async () => {
    rpcTemp = makeTempDir();
    db = path.join(rpcTemp.dir, 'rpc.db');
    const lines = [
      '{"jsonrpc":"2.0","id":0,"method":"put","params":{"event":{"thread_id":"t1","run_id":"r1","event_type":"llm.ai.response","category":"message","content":"kept"}}}',
      ...rpcCases.map((c) => c.line),
      '{"jsonrpc":"2.0","id":"last","method":"listMessages","params":{"threadId":"t1"}}',
    ];
    result = await runCli(['rpc', db], { input: `${lines.join('\n')}\n` });
    answers = new Map(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { id: unknown; error?: { code: number; message: string }; result?: unknown })
        .map((answer) => [answer.id, answer]),
    );
  });
  afterAll(() => rpcTemp.remove());

  for (const [index, testCase] of rpcCases.entries()) {
    it(`answers ${testCase.label} with error ${testCase.code}`, () => {
      // Lines carry ids 1, 2, …; a line that is not JSON has no id to answer with.
      const answer = answers.get(testCase.code === -32700 ? null : index + 1);
      expect(answer?.error?.code, JSON.stringify(answer)?.slice(0, 300)).toBe(testCase.code);
      if (testCase.message) expect(answer?.error?.message).toMatch(testCase.message);
    });
  }

  it('carries on after all of them, changed only by the valid request, and exits 0 when stdin ends', async () => {
    expect(result.code, result.stderr).toBe(0);
    expect((answers.get('last')?.result as RunEvent[]).map((e) => e.content)).toEqual(['kept']);
    await withStore(db, async (store) => {
      expect((await allEvents(store)).map((e) => [e.thread_id, e.seq, e.content])).toEqual([['t1', 1, 'kept']]);
    });
  });
});

describe('bad input: HTTP requests (browser mode on a database)', () => {
  let session: Session;
  let server: HttpServer;
  let db: string;
  let httpTemp: ReturnType<typeof makeTempDir>;

  beforeAll(async () => {
    httpTemp = makeTempDir();
    db = path.join(httpTemp.dir, 'http.db');
    session = await Session.create(db, { transport: 'browser', workerUrl: null, userDataDir: httpTemp.dir });
    await session.store.put({ thread_id: 't1', run_id: 'r1', event_type: 'llm.ai.response', category: 'message', content: 'kept' });
    server = await startHttpServer({ handlers: createHandlers(session), push: session.push, rendererDir: path.join(httpTemp.dir, 'renderer') });
  });
  afterAll(async () => {
    await server.close();
    await session.close();
    httpTemp.remove();
  });

  const call = (method: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    httpRequest(server.port, `${browserProtocol.apiPrefix}${method}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json', ...headers },
      body,
    });

  const httpCases: [string, string, string, number, RegExp][] = [
    ['a wrong type', 'countMessages', '{"threadId":5}', 400, /threadId/],
    ['an unknown method', 'dropDatabase', '{}', 404, /dropDatabase/],
    ['a prototype name as method', '__proto__', '{}', 404, /unknown method/],
    ['a huge limit', 'listMessages', '{"threadId":"t1","limit":1e9}', 400, /limit/],
    ['a negative cursor', 'listMessagesByRun', '{"threadId":"t1","runId":"r1","beforeSeq":-3}', 400, /beforeSeq/],
    ['a body that is not JSON', 'listThreads', '{"', 400, /not valid JSON/],
    ['a JSON array body', 'countMessages', '["t1"]', 400, /params/],
    ['a JSON string body', 'countMessages', '"t1"', 400, /params/],
    ['a write of events (scripts write through rpc, never the page)', 'put', '{"event":{"thread_id":"t1","run_id":"r1","event_type":"x","category":"trace","metadata":[]}}', 404, /run-inspector rpc/],
    ['an empty path to open', 'openSource', '{"path":""}', 400, /path/],
  ];
  for (const [label, method, body, status, message] of httpCases) {
    it(`answers ${label} with ${status} and a message naming it`, async () => {
      const reply = await call(method, body);
      expect(reply.status, reply.body).toBe(status);
      expect((JSON.parse(reply.body) as { error: { message: string } }).error.message).toMatch(message);
    });
  }

  it(`refuses a body announced over the ${browserProtocol.maxBodyBytes / 1024 / 1024} MB cap with 413 before reading it`, async () => {
    const reply = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/putBatch',
          method: 'POST',
          headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json', 'Content-Length': String(browserProtocol.maxBodyBytes + 1) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('{"events":[');
    });
    expect(reply).toBe(413);
  });

  it('refuses a streamed body that grows past the cap with 413', async () => {
    const chunk = Buffer.alloc(4 * 1024 * 1024, 0x20);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/putBatch',
          method: 'POST',
          headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
      let sent = 0;
      const pump = () => {
        while (sent <= browserProtocol.maxBodyBytes && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
  });

  it('after all of them the database holds only what was valid', async () => {
    const reply = await call('listMessages', '{"threadId":"t1"}');
    expect((JSON.parse(reply.body) as { result: RunEvent[] }).result.map((e) => e.content)).toEqual(['kept']);
    expect(integrityCheck(db)).toBe('ok');
  });
});
