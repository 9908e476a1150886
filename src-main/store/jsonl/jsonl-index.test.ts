// The JSONL layout store's kept index and its background read (issue 14,
// "JSONL index persisted"): a later store on the same sidecar indexes no
// unchanged file again and reads again only what changed, answering as a
// store that reads every file; a kept index of another version, of another
// source or damaged is emptied and made again; and the first read runs in
// the background, listing the threads read so far, while a query of a
// thread not read yet reads that thread first.
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceIndexing } from '../../../src-shared/contract.ts';
import type { InspectorStore, RunEvent } from '../../../src-shared/types.ts';
import { formatJsonlLine } from './format.ts';
import { JsonlIndexFile } from './jsonl-index-file.ts';
import { openJsonlStore, type JsonlStore, type JsonlStoreOptions } from './jsonl-store.ts';
import { runFile } from './layout.ts';

const THREADS = { t1: ['r1', 'r2'], t2: ['r1'], t3: ['r1', 'r2', 'r3'] } as const;
const EVENTS_PER_RUN = 4;

let dir: string;
let root: string;
let sidecar: string;
const identity = () => `${root}\nfolder`;
const stores: InspectorStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ri-jsonl-index-'));
  root = path.join(dir, '.deer-flow');
  sidecar = path.join(dir, 'user-data', 'sidecar.sqlite');
  mkdirSync(path.dirname(sidecar), { recursive: true });
  let seqs: Record<string, number> = {};
  for (const [thread, runs] of Object.entries(THREADS)) {
    for (const run of runs) {
      const lines = Array.from({ length: EVENTS_PER_RUN }, (_, i) => {
        seqs = { ...seqs, [thread]: (seqs[thread] ?? 0) + 1 };
        return formatJsonlLine(event(thread, run, seqs[thread], i));
      });
      writeRun(thread, run, lines.join(''));
    }
  }
  // t1's runs were added longest ago, t3's last: the order the first read takes (newest first).
  for (const [i, thread] of Object.keys(THREADS).entries()) {
    const at = new Date(Date.now() - (3 - i) * 3_600_000);
    utimesSync(path.join(root, 'threads', thread, 'runs'), at, at);
  }
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function event(thread: string, run: string, seq: number, i: number): RunEvent {
  const message = i % 2 === 0;
  return {
    thread_id: thread,
    run_id: run,
    event_type: message ? 'llm.ai.response' : i === EVENTS_PER_RUN - 1 ? 'run.end' : 'llm.error',
    category: message ? 'message' : i === EVENTS_PER_RUN - 1 ? 'outputs' : 'trace',
    content: message ? { type: 'ai', content: `${thread} ${run} ${seq}`, usage_metadata: { total_tokens: seq } } : `${run} step ${seq}`,
    metadata: i === EVENTS_PER_RUN - 1 ? { status: 'success' } : {},
    seq,
    created_at: `2026-04-04T00:${String(seq).padStart(2, '0')}:00.000000+00:00`,
  };
}

function writeRun(thread: string, run: string, text: string): string {
  const file = runFile(root, thread, run);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** A store on the layout with the kept index, counting the files it reads to index them. */
async function openKept(keptIdentity = identity(), options: JsonlStoreOptions = {}): Promise<{ store: JsonlStore; reads: string[] }> {
  const reads: string[] = [];
  const store = await openJsonlStore(root, { ...options, onFileRead: (file) => reads.push(path.relative(root, file)) });
  store.keepIndexIn(new JsonlIndexFile(sidecar, keptIdentity));
  stores.push(store);
  return { store, reads };
}

/** What a store with no kept index answers, having read every file: the truth. */
async function answers(store: InspectorStore) {
  const threads = await store.listThreads();
  const perThread = [];
  for (const { thread_id: t } of threads) {
    const runs = await store.listRuns(t);
    perThread.push({
      messages: await store.listMessages(t, { limit: 3 }),
      earlier: await store.listMessages(t, { beforeSeq: 4, limit: 2 }),
      runs,
      events: await Promise.all(runs.map((run) => store.listEvents(t, run.run_id, { afterSeq: 1 }))),
      errors: await Promise.all(runs.map((run) => store.listEvents(t, run.run_id, { eventTypes: ['llm.error'] }))),
      byRun: await Promise.all(runs.map((run) => store.listMessagesByRun(t, run.run_id, {}))),
      counts: await store.eventCounts(t),
      overview: await store.threadOverview(t, 4),
      event: await store.getEvent(t, 2),
    });
  }
  return { threads, perThread, issues: await store.sourceIssues() };
}

async function truth() {
  const store = await openJsonlStore(root);
  stores.push(store);
  return answers(store);
}

const filesOf = (thread: keyof typeof THREADS) => THREADS[thread].map((run) => path.relative(root, runFile(root, thread, run)));
const allFiles = () => (Object.keys(THREADS) as (keyof typeof THREADS)[]).flatMap(filesOf);

describe('the kept index', () => {
  beforeEach(async () => {
    const { store, reads } = await openKept();
    expect(await answers(store)).toEqual(await truth());
    expect(reads.sort()).toEqual(allFiles().sort());
    await store.close();
  });

  it('lets a later store answer everything as one reading every file does, indexing no unchanged file again', async () => {
    const { store, reads } = await openKept();
    expect(await answers(store)).toEqual(await truth());
    expect(reads).toEqual([]);
  });

  it('lists the kept threads before any file is checked, while the first read is held', async () => {
    const { store, reads } = await openKept();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    store.indexInBackground({ onProgress: () => {}, gate: () => held });
    expect((await store.listThreadsSoFar()).map((t) => [t.thread_id, t.event_count]).sort()).toEqual([
      ['t1', 8],
      ['t2', 4],
      ['t3', 12],
    ]);
    expect(reads).toEqual([]);
    release();
  });

  it('reads only what was appended to a file', async () => {
    appendFileSync(runFile(root, 't1', 'r1'), formatJsonlLine(event('t1', 'r1', 9, 0)));
    const { store, reads } = await openKept();
    expect(await answers(store)).toEqual(await truth());
    expect(reads).toEqual(filesOf('t1').slice(0, 1));
    expect((await store.listMessages('t1')).map((e) => e.seq)).toEqual([1, 3, 5, 7, 9]);
  });

  it('reads a thread again whole when a file of it shrank, or was replaced by another file', async () => {
    truncateSync(runFile(root, 't1', 'r2'), 10);
    const replaced = runFile(root, 't3', 'r2');
    writeFileSync(`${replaced}.new`, formatJsonlLine(event('t3', 'r2', 5, 0)));
    renameSync(`${replaced}.new`, replaced);
    const { store, reads } = await openKept();
    expect(await answers(store)).toEqual(await truth());
    expect(reads.sort()).toEqual([...filesOf('t1'), ...filesOf('t3')].sort());
    expect((await store.listRuns('t3')).map((r) => [r.run_id, r.event_count])).toEqual([
      ['r1', 4],
      ['r2', 1],
      ['r3', 4],
    ]);
  });

  it('forgets a removed run file and a removed thread, and reads a new thread', async () => {
    rmSync(runFile(root, 't1', 'r2'));
    rmSync(path.join(root, 'threads', 't2'), { recursive: true });
    writeRun('t4', 'r1', formatJsonlLine(event('t4', 'r1', 1, 0)));
    const { store, reads } = await openKept();
    expect(await answers(store)).toEqual(await truth());
    expect(reads).toEqual(['threads/t4/runs/r1.jsonl']);
    expect((await store.listThreads()).map((t) => t.thread_id)).toEqual(['t1', 't3', 't4']);
    // And what the store saw is kept: the next store reads nothing.
    await store.close();
    const next = await openKept();
    expect(await answers(next.store)).toEqual(await truth());
    expect(next.reads).toEqual([]);
  });

  it('keeps what the store writes and deletes', async () => {
    const { store } = await openKept();
    await store.put({ thread_id: 't2', run_id: 'r9', event_type: 'llm.human.input', category: 'message', content: 'new run' });
    await store.deleteByRun('t3', 'r1');
    await store.deleteByThread('t1');
    await store.close();
    const next = await openKept();
    expect(await answers(next.store)).toEqual(await truth());
    expect(next.reads).toEqual([]);
  });

  it('gives back the issues of the files it kept, each saying what it is about', async () => {
    appendFileSync(runFile(root, 't1', 'r2'), formatJsonlLine(event('t1', 'r1', 9, 0)) + formatJsonlLine(event('t1', 'r2', 1, 0)));
    const { store } = await openKept();
    const issues = await store.sourceIssues();
    await store.close();
    expect(issues.map((issue) => [path.relative(root, issue.path), issue.line, issue.about])).toEqual([
      ['threads/t1/runs/r2.jsonl', 5, { kind: 'other_run', run_id: 'r1' }],
      ['threads/t1/runs/r2.jsonl', 6, { kind: 'duplicate_seq', thread_id: 't1', seq: 1 }],
    ]);
    const next = await openKept();
    expect(await next.store.sourceIssues()).toEqual(issues);
    expect(next.reads).toEqual([]);
  });

  it('is emptied and made again when it is of another version, or kept for another source', async () => {
    const db = new Database(sidecar);
    db.prepare("UPDATE jsonl_index_meta SET value = '0' WHERE key = 'version'").run();
    db.close();
    const older = await openKept();
    expect(await answers(older.store)).toEqual(await truth());
    expect(older.reads.sort()).toEqual(allFiles().sort());
    await older.store.close();

    const other = await openKept(`${path.join(dir, 'elsewhere')}\nfolder`);
    expect(await answers(other.store)).toEqual(await truth());
    expect(other.reads.sort()).toEqual(allFiles().sort());
  });

  it('reads the files of a thread whose kept rows are damaged, and keeps them anew', async () => {
    const db = new Database(sidecar);
    db.prepare("UPDATE jsonl_index_runs SET entries = x'00' WHERE thread_id = 't2'").run();
    db.close();
    const damaged = await openKept();
    expect(await answers(damaged.store)).toEqual(await truth());
    // Emptied when t2 is reached: t3 and t1, read from it before (the last events newest first) and checked, stay.
    expect(damaged.reads.sort()).toEqual(filesOf('t2'));
    await damaged.store.close();
    const next = await openKept();
    expect(await answers(next.store)).toEqual(await truth());
    expect(next.reads).toEqual([]);
  });
});

describe("a page's first page of a thread of many runs, from its kept messages", () => {
  // Every thread counts as one of many runs: each keeps its messages.
  const many = { keptMessagesRuns: 1 };
  const latest = { limit: 2 };
  const truthOf = async (thread: string) => {
    const { threads, perThread } = await truth();
    return perThread[threads.findIndex((t) => t.thread_id === thread)];
  };
  /** One column of the kept messages table, as the sidecar now holds it. */
  const keptColumn = (sql: string) => {
    const db = new Database(sidecar, { readonly: true });
    try {
      return db.prepare(sql).pluck().all();
    } finally {
      db.close();
    }
  };
  const keptMessageThreads = () => keptColumn('SELECT thread_id FROM jsonl_index_message_heads ORDER BY thread_id');

  /** A page's store on the kept index whose pass is held before its first thread, and the threads it says changed. */
  async function openPage() {
    const { store, reads } = await openKept(identity(), many);
    const changed: string[][] = [];
    let told!: () => void;
    const toldOnce = new Promise<void>((resolve) => (told = resolve));
    store.indexInBackground({
      onProgress: () => {},
      gate: () => new Promise(() => {}),
      onChanged: (threadIds) => {
        changed.push(threadIds);
        told();
      },
    });
    return { store, reads, changed, toldOnce };
  }

  beforeEach(async () => {
    // Written an hour ago: no file is being written, so none is checked with every page.
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const file of allFiles()) utimesSync(path.join(root, file), hourAgo, hourAgo);
    const { store } = await openKept(identity(), many);
    await store.listThreads();
    await store.close();
    expect(keptMessageThreads()).toEqual(['t1', 't2', 't3']);
  });

  it('answers every cursor as the files do, reading no file to index it', async () => {
    const expected = await truthOf('t3');
    const { store, reads } = await openPage();
    expect(await store.listMessages('t3', { limit: 3 })).toEqual(expected.messages);
    expect(await store.listMessages('t3', { beforeSeq: 4, limit: 2 })).toEqual(expected.earlier);
    expect((await store.listMessages('t3', { afterSeq: 3, limit: 3 })).map((e) => e.seq)).toEqual([5, 7, 9]);
    expect(reads).toEqual([]);
  });

  it('checks only the files the page reads: a change elsewhere is found by the check begun then, and the page is told', async () => {
    // r1 is not on the latest page (seqs 9 and 11, in r3); a line appended to it in place leaves the runs folder as it was.
    appendFileSync(runFile(root, 't3', 'r1'), formatJsonlLine(event('t3', 'r1', 13, 0)));
    const { store, reads, changed, toldOnce } = await openPage();
    expect((await store.listMessages('t3', latest)).map((e) => e.seq)).toEqual([9, 11]);
    await toldOnce;
    expect(changed).toEqual([['t3']]);
    expect(reads).toEqual(filesOf('t3').slice(0, 1));
    expect((await store.listMessages('t3', latest)).map((e) => e.seq)).toEqual([11, 13]);
    expect(await store.listRuns('t3')).toEqual((await truthOf('t3')).runs);
  });

  it('takes the thread in and checks it first when a file the page reads changed, or a run file was added or removed', async () => {
    appendFileSync(runFile(root, 't3', 'r3'), formatJsonlLine(event('t3', 'r3', 13, 0)));
    writeRun('t2', 'r2', formatJsonlLine(event('t2', 'r2', 5, 0)));
    rmSync(runFile(root, 't1', 'r2'));
    const { store, changed } = await openPage();
    for (const thread of ['t1', 't2', 't3']) expect(await store.listMessages(thread, latest)).toEqual((await truthOf(thread)).messages.slice(-2));
    expect(changed).toEqual([]);
  });

  it('checks with every page the files being written when they were kept', async () => {
    const now = new Date();
    utimesSync(runFile(root, 't3', 'r1'), now, now);
    const { store } = await openKept(identity(), many);
    await store.listThreads();
    await store.close();
    appendFileSync(runFile(root, 't3', 'r1'), formatJsonlLine(event('t3', 'r1', 13, 0)));
    const { store: page, changed } = await openPage();
    expect((await page.listMessages('t3', latest)).map((e) => e.seq)).toEqual([11, 13]);
    expect(changed).toEqual([]);
  });

  it('keeps the runs folder as its last check found it, when only the folder changed', async () => {
    const runs = path.join(root, 'threads', 't3', 'runs');
    const keptFolder = () => keptColumn("SELECT folder_mtime_ms FROM jsonl_index_message_heads WHERE thread_id = 't3'");
    expect(keptFolder()).toEqual([statSync(runs).mtimeMs]);
    writeFileSync(path.join(runs, 'scratch'), '');
    rmSync(path.join(runs, 'scratch'));
    const { store, reads } = await openKept(identity(), many);
    await store.listThreads();
    expect(reads).toEqual([]);
    expect(keptFolder()).toEqual([statSync(runs).mtimeMs]);
  });

  it('keeps those of a folder just written in full at a later close, once it rests', async () => {
    // More files being written than a page would check.
    for (let i = 0; i < 65; i++) writeRun('t5', `r${i}`, formatJsonlLine(event('t5', `r${i}`, i + 1, 0)));
    const written = await openKept(identity(), many);
    await written.store.listThreads();
    await written.store.close();
    expect(keptMessageThreads()).toEqual(['t1', 't2', 't3']);
    const later = await openKept(identity(), { ...many, clock: () => Date.now() + 3_600_000 });
    await later.store.listThreads();
    await later.store.close();
    expect(later.reads).toEqual([]);
    expect(keptMessageThreads()).toEqual(['t1', 't2', 't3', 't5']);
  });

  it('is not used by a store without a page (a script): it checks the thread first', async () => {
    appendFileSync(runFile(root, 't3', 'r1'), formatJsonlLine(event('t3', 'r1', 13, 0)));
    const { store } = await openKept(identity(), many);
    expect((await store.listMessages('t3', latest)).map((e) => e.seq)).toEqual([11, 13]);
  });

  it('waits for a thread being written to rest, or for the store to close, before its messages are kept again', async () => {
    const { store } = await openKept(identity(), many);
    await store.put({ thread_id: 't2', run_id: 'r1', event_type: 'llm.human.input', category: 'message', content: 'now' });
    expect(keptMessageThreads()).toEqual(['t1', 't3']);
    await store.close();
    expect(keptMessageThreads()).toEqual(['t1', 't2', 't3']);
    const { store: page } = await openPage();
    expect(await page.listMessages('t2', latest)).toEqual((await truthOf('t2')).messages.slice(-2));
  });
});

describe('a query meeting a file rewritten under the index', () => {
  it('reads the thread again and answers as the file now is, though its stat did not change', async () => {
    const store = await openJsonlStore(root, { rescanMs: 60_000 });
    stores.push(store);
    expect((await store.listMessages('t2')).map((e) => e.seq)).toEqual([1, 3]);
    // Same size, same mtime (as a copy that keeps times would leave it): only the lines tell.
    const file = runFile(root, 't2', 'r1');
    const { mtime } = statSync(file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"seq": 1,', '"seq": 7,'));
    utimesSync(file, mtime, mtime);
    expect((await store.listMessages('t2')).map((e) => e.seq)).toEqual([3, 7]);
    expect(await answers(store)).toEqual(await truth());
  });
});

describe('the first read in the background', () => {
  /** A gate that holds the read once `files` files are read, until released. */
  function holdAfter(files: number) {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const pushes: SourceIndexing[] = [];
    const indexing = {
      onProgress: (progress: SourceIndexing) => pushes.push(progress),
      gate: async (progress: SourceIndexing) => {
        if (progress.done >= files) await released;
      },
    };
    return { indexing, release, pushes };
  }

  it('lists the threads read so far, and reads a thread asked for first, answering in full', async () => {
    const everything = await truth();
    const reads: string[] = [];
    const store = await openJsonlStore(root, { onFileRead: (file) => reads.push(path.relative(root, file)) });
    stores.push(store);
    const hold = holdAfter(1);
    store.indexInBackground(hold.indexing);
    // Held after the first thread (newest first: t3, whose runs folder was written last).
    await expect.poll(() => store.indexingStatus()).toEqual({ done: 3, total: 6, ready: false });
    expect((await store.listThreadsSoFar()).map((t) => t.thread_id)).toEqual(['t3']);

    const complete = store.listThreads();
    let settled = false;
    void complete.then(() => (settled = true));

    const t1 = everything.threads.findIndex((t) => t.thread_id === 't1');
    expect(await store.listMessages('t1', { limit: 3 })).toEqual(everything.perThread[t1].messages);
    expect(await store.listRuns('t1')).toEqual(everything.perThread[t1].runs);
    expect(reads.sort()).toEqual([...filesOf('t1'), ...filesOf('t3')].sort());
    expect((await store.listThreadsSoFar()).map((t) => t.thread_id)).toEqual(['t1', 't3']);
    expect(settled).toBe(false);

    hold.release();
    expect(await complete).toEqual(everything.threads);
    expect(await answers(store)).toEqual(everything);
    expect(reads.sort()).toEqual(allFiles().sort());
    expect(hold.pushes.at(0)).toEqual({ done: 0, total: 6, ready: false });
    expect(hold.pushes.at(-1)).toEqual({ done: 6, total: 6, ready: true });
    expect(hold.pushes.filter((p) => p.ready)).toHaveLength(1);
  });

  it('writes and deletes in threads not read yet as in any other', async () => {
    const store = await openJsonlStore(root);
    stores.push(store);
    const hold = holdAfter(1);
    store.indexInBackground(hold.indexing);
    await expect.poll(() => store.indexingStatus().done).toBe(3);
    expect((await store.put({ thread_id: 't1', run_id: 'r2', event_type: 'llm.human.input', category: 'message', content: 'more' })).seq).toBe(9);
    expect(await store.deleteByThread('t2')).toBe(4);
    hold.release();
    expect((await store.listThreads()).map((t) => [t.thread_id, t.event_count])).toEqual([
      ['t1', 9],
      ['t3', 12],
    ]);
  });

  it('stops when the store closes, held or not', async () => {
    const store = await openJsonlStore(root);
    const hold = holdAfter(1);
    store.indexInBackground({ ...hold.indexing, gate: (progress) => (progress.done >= 1 ? new Promise(() => {}) : Promise.resolve()) });
    await expect.poll(() => store.indexingStatus().done).toBe(3);
    await store.close();
    expect(store.indexingStatus().ready).toBe(false);
  });
});
