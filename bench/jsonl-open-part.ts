// Opening the 1M-event JSONL export (issue 14, "JSONL index persisted"),
// in-process as the app does it: a page's Session (browser mode's) on the
// layout folder, its sidecar in a user data folder of the benchmark's own.
// The first open reads every run file in the background: how long until the
// page's thread list has a thread, until every file is read, and the page's
// first page then (the list, and the latest 50 messages of the thread it
// shows first). A second session on the same sidecar lists the threads from
// the kept index and checks the files by stat: how long until the thread
// list, and until the first page (target ≤ 1,000 ms each), and until every
// file is checked. A script's session (rpc) on it waits for the whole list.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Session } from '../src-main/handlers/session.ts';
import type { SourceIndexing } from '../src-shared/contract.ts';
import type { ThreadSummary } from '../src-shared/types.ts';
import { byLatestActivity } from '../src-renderer/threads/thread-order.ts';
import { log, record } from './figures.ts';

const PAGE = 50;
const MB = 1024 * 1024;

/** The thread the page shows first, and its latest messages. */
async function showFirstPage(session: Session, threads: ThreadSummary[]): Promise<number> {
  const [first] = byLatestActivity(threads);
  return (await session.store.listMessages(first.thread_id, { limit: PAGE })).length;
}

/** Resolves once the first read is done (its push, or already); `onPush` hears every push before. */
function whenIndexed(session: Session, onPush: (progress: SourceIndexing) => void): Promise<SourceIndexing> {
  return new Promise((resolve) => {
    const unsubscribe = session.push.subscribe((event) => {
      if (event.channel !== 'source:indexing') return;
      onPush(event.message);
      if (event.message.ready) {
        unsubscribe();
        resolve(event.message);
      }
    });
    const now = session.indexingStatus();
    if (now.ready) {
      unsubscribe();
      resolve(now);
    }
  });
}

// A full collection before each reading, so the heap figure is what is held, not garbage.
v8.setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

const heapMb = () => {
  collect();
  return process.memoryUsage().heapUsed / MB;
};

/** What the later opens measured (laterOpens, in a process of their own). */
interface LaterOpens {
  listed: number;
  firstPage: number;
  messages: number;
  allChecked: number;
  scriptList: number;
  threads: number;
}

/** A page's session on the kept index, then a script's. */
async function laterOpens(exportDir: string, userDataDir: string): Promise<LaterOpens> {
  const options = { transport: 'browser' as const, userDataDir, workerUrl: null };
  let started = performance.now();
  const page = await Session.create(exportDir, options);
  const checked = whenIndexed(page, () => {});
  const kept = await page.listThreads();
  const listed = performance.now() - started;
  const messages = await showFirstPage(page, kept);
  const firstPage = performance.now() - started;
  await checked;
  const allChecked = performance.now() - started;
  await page.close();
  started = performance.now();
  const script = await Session.create(exportDir, { ...options, transport: 'rpc' });
  const threads = (await script.listThreads()).length;
  const scriptList = performance.now() - started;
  await script.close();
  return { listed, firstPage, messages, allChecked, scriptList, threads };
}

export async function benchJsonlOpen(exportDir: string, totalEvents: number): Promise<void> {
  log(`jsonl open (a page's Session on ${path.relative(process.cwd(), exportDir)}, its sidecar in a fresh user data folder)`);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-bench-jsonl-open-'));
  const options = { transport: 'browser' as const, userDataDir, workerUrl: null };
  const events = totalEvents.toLocaleString('en-US');
  try {
    const heapBefore = heapMb();
    let started = performance.now();
    const first = await Session.create(exportDir, options);
    let firstListed: number | null = null;
    const listedYet = async () => {
      if (firstListed === null && (await first.listThreads()).length > 0) firstListed ??= performance.now() - started;
    };
    const indexed = whenIndexed(first, () => void listedYet());
    await listedYet();
    const { total } = await indexed;
    const allRead = performance.now() - started;
    started = performance.now();
    const threads = await first.listThreads();
    const firstMessages = await showFirstPage(first, threads);
    const page = performance.now() - started;
    const heap = heapMb() - heapBefore;
    await first.close();
    record({ name: `jsonl first open of the ${events}-event export: first thread listed`, value: firstListed ?? allRead, unit: 'ms', note: `${total.toLocaleString('en-US')} run files` });
    record({ name: 'jsonl first open: every run file read (the thread list complete)', value: allRead, unit: 'ms', note: `${threads.length.toLocaleString('en-US')} threads` });
    record({ name: 'jsonl first open: first page then (thread list + latest 50 messages of the first thread)', value: page, unit: 'ms', note: `${firstMessages} messages` });
    record({ name: 'jsonl index in memory after the first open (heap)', value: heap, unit: 'MB', note: 'was 1,256 MB: every event held' });

    // Later opens in a process of their own, as the app started again: no heap or caches left by the first open.
    const later = spawnSync(process.execPath, [fileURLToPath(import.meta.url), exportDir, userDataDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (later.status !== 0) throw new Error(`the later opens failed (exit ${later.status})`);
    const figures = JSON.parse(later.stdout.trim().split('\n').at(-1)!) as LaterOpens;
    const threadsNote = `${figures.threads.toLocaleString('en-US')} threads`;
    record({ name: 'jsonl second open (a new process): thread list (from the kept index)', value: figures.listed, unit: 'ms', target: { atMost: 1000 }, note: threadsNote });
    record({ name: 'jsonl second open: first page (thread list + latest 50 messages of the first thread)', value: figures.firstPage, unit: 'ms', target: { atMost: 1000 }, note: `${figures.messages} messages` });
    record({ name: 'jsonl second open: every run file checked by stat', value: figures.allChecked, unit: 'ms' });
    record({ name: "jsonl third open, a script's session (rpc): complete thread list, every file checked", value: figures.scriptList, unit: 'ms', note: threadsNote });
  } finally {
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

// The later opens' own process: `node jsonl-open-part.ts EXPORT USER_DATA` prints their figures as JSON.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [exportDir, userDataDir] = process.argv.slice(2);
  console.log(JSON.stringify(await laterOpens(exportDir, userDataDir)));
}
