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
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from '../src-main/handlers/session.ts';
import type { SourceIndexing } from '../src-shared/contract.ts';
import type { ThreadSummary } from '../src-shared/types.ts';
import { byLatestActivity } from '../src-renderer/threads/thread-order.ts';
import { log, record } from './figures.ts';

const PAGE = 50;
const MB = 1024 * 1024;

/** The thread the page shows first, and its latest messages. */
async function firstPage(session: Session, threads: ThreadSummary[]): Promise<number> {
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

const heapMb = () => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / MB;
};

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
    const firstMessages = await firstPage(first, threads);
    const page = performance.now() - started;
    const heap = heapMb() - heapBefore;
    await first.close();
    record({ name: `jsonl first open of the ${events}-event export: first thread listed`, value: firstListed ?? allRead, unit: 'ms', note: `${total.toLocaleString('en-US')} run files` });
    record({ name: 'jsonl first open: every run file read (the thread list complete)', value: allRead, unit: 'ms', note: `${threads.length.toLocaleString('en-US')} threads` });
    record({ name: 'jsonl first open: first page then (thread list + latest 50 messages of the first thread)', value: page, unit: 'ms', note: `${firstMessages} messages` });
    record({ name: 'jsonl index in memory after the first open (heap)', value: heap, unit: 'MB', note: 'was 1,256 MB: every event held' });

    started = performance.now();
    const second = await Session.create(exportDir, options);
    const checked = whenIndexed(second, () => {});
    const kept = await second.listThreads();
    const listed = performance.now() - started;
    const secondMessages = await firstPage(second, kept);
    const secondPage = performance.now() - started;
    await checked;
    const allChecked = performance.now() - started;
    await second.close();
    record({ name: 'jsonl second open: thread list (from the kept index)', value: listed, unit: 'ms', target: { atMost: 1000 }, note: `${kept.length.toLocaleString('en-US')} threads` });
    record({ name: 'jsonl second open: first page (thread list + latest 50 messages of the first thread)', value: secondPage, unit: 'ms', target: { atMost: 1000 }, note: `${secondMessages} messages` });
    record({ name: 'jsonl second open: every run file checked by stat', value: allChecked, unit: 'ms' });

    started = performance.now();
    const script = await Session.create(exportDir, { ...options, transport: 'rpc' });
    const complete = await script.listThreads();
    const scriptList = performance.now() - started;
    await script.close();
    record({ name: "jsonl second open, a script's complete thread list (every file checked)", value: scriptList, unit: 'ms', target: { atMost: 1000 }, note: `${complete.length.toLocaleString('en-US')} threads` });
  } finally {
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}
