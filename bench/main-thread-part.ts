// The main process never blocks (issue 14): `npm run bench -- --only main-thread`.
// A page's session opens the generated store (read-only) and asks, as the
// page does, one request at a time, for its slow reads, each cold: the thread
// list, the big thread's runs, its counts, its overview strip (kept marks,
// then the full one) and its longest run's anatomy; each answer serialised
// as the browser transport sends it. Meanwhile a 1 ms interval timer
// measures the main event loop's longest gap (how long the page's other
// requests would wait) and the main thread's own CPU time in each gap: on a
// busy machine other processes delay any thread's timers too (the same
// timer's longest gap with nothing to do is measured beside it), but only
// the app's own work on the thread uses its CPU. The target is for that work;
// the gaps are shown beside it. Once with the reads in the read worker
// (src-main/reads), once in this process (a session without a worker entry),
// so the gain shows; medians of a few passes, each on fresh connections. The
// main thread (and so the workers it starts, which take its priority) runs
// at a raised priority where the OS allows it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ThreadSummary, RunSummary } from '../src-shared/types.ts';
import { createHandlers, dispatch } from '../src-main/handlers/handlers.ts';
import { Session } from '../src-main/handlers/session.ts';
import { openSqliteStore } from '../src-main/store/sqlite/sqlite-store.ts';
import { log, record } from './figures.ts';

/** The page's strip asks for this many buckets (src-renderer/messages/overview-strip.ts OVERVIEW_BUCKETS). */
const OVERVIEW_BUCKETS = 1_000;
const TARGET_MS = 16;
const PASSES = 3;
/** How long the idle baseline listens. */
const IDLE_MS = 3_000;
/** A nice value above the other processes' (which it cannot be without the right to raise it: then the figure says so). */
const MAIN_THREAD_NICE = -10;

interface Gaps {
  /** The main event loop's longest gap between two turns, in ms. */
  wall: number;
  /** The most CPU time the main thread used in one such gap, in ms: its longest stretch of work. */
  work: number;
}

interface Pass extends Gaps {
  /** Each read's time as the page waits for it, in ms. */
  reads: Map<string, number>;
}

const threadCpuMs = () => {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
};

/** The longest the event loop went without running a 1 ms timer while `work` ran, and the most CPU this thread used in one of those gaps; the gap still open at its end included. */
async function longestGap(work: () => Promise<void>): Promise<Gaps> {
  let last = performance.now();
  let lastCpu = threadCpuMs();
  const gaps: Gaps = { wall: 0, work: 0 };
  const measure = () => {
    const [now, cpu] = [performance.now(), threadCpuMs()];
    gaps.wall = Math.max(gaps.wall, now - last);
    gaps.work = Math.max(gaps.work, cpu - lastCpu);
    [last, lastCpu] = [now, cpu];
  };
  const tick = setInterval(measure, 1);
  try {
    await work();
    measure();
    return gaps;
  } finally {
    clearInterval(tick);
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function pageReads(file: string, inWorker: boolean, userDataDir: string): Promise<Pass> {
  const reads = new Map<string, number>();
  const gaps = await longestGap(async () => {
    const session = await Session.create(file, {
      transport: 'browser',
      workerUrl: inWorker ? undefined : null,
      userDataDir,
      openSource: async (source) => openSqliteStore(source!, { create: false, readOnly: true }),
    });
    try {
      const handlers = createHandlers(session);
      const ask = async <T>(name: string, method: string, params: object): Promise<T> => {
        // Each request arrives on its own turn of the loop, as the page's do.
        await nextTurn();
        const started = performance.now();
        const answer = await dispatch(handlers, method, params);
        JSON.stringify(answer);
        reads.set(name, performance.now() - started);
        return answer as T;
      };
      const threads = await ask<ThreadSummary[]>('listThreads', 'listThreads', {});
      const big = threads.reduce((a, b) => (b.event_count > a.event_count ? b : a));
      const threadId = big.thread_id;
      const runs = await ask<RunSummary[]>(`listRuns (${big.run_count.toLocaleString('en-US')} runs)`, 'listRuns', { threadId });
      await ask('eventCounts', 'eventCounts', { threadId });
      await ask('threadOverview (kept marks)', 'threadOverview', { threadId, buckets: OVERVIEW_BUCKETS, marks: 'kept' });
      await ask('threadOverview', 'threadOverview', { threadId, buckets: OVERVIEW_BUCKETS });
      const longest = runs.reduce((a, b) => (b.event_count > a.event_count ? b : a));
      await ask(`runSummary (${longest.event_count.toLocaleString('en-US')} events)`, 'runSummary', { threadId, runId: longest.run_id });
    } finally {
      await session.close();
    }
  });
  return { ...gaps, reads };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The passes' median of each figure. */
function medianPass(passes: Pass[]): Pass {
  const reads = new Map([...passes[0].reads.keys()].map((read) => [read, median(passes.map((pass) => pass.reads.get(read) ?? NaN))]));
  return { wall: median(passes.map((pass) => pass.wall)), work: median(passes.map((pass) => pass.work)), reads };
}

/** Raises this thread's priority (on Linux a nice value is a thread's; a thread started later takes it); says which it has. */
function raiseMainThread(): string {
  const before = os.getPriority();
  try {
    os.setPriority(MAIN_THREAD_NICE);
    return `main thread at nice ${MAIN_THREAD_NICE}`;
  } catch {
    return `main thread at nice ${before} (not allowed to raise it)`;
  }
}

export async function benchMainThread(file: string, events: number): Promise<void> {
  log('main thread (issue 14): the event loop while the page reads a big SQLite store, read worker vs in-process');
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-bench-main-thread-'));
  const size = `${events.toLocaleString('en-US')}-event store`;
  const niceBefore = os.getPriority();
  const priority = raiseMainThread();
  try {
    const idle: Gaps[] = [];
    const off: Pass[] = [];
    const here: Pass[] = [];
    for (let pass = 0; pass < PASSES; pass++) {
      idle.push(await longestGap(() => new Promise((resolve) => setTimeout(resolve, IDLE_MS))));
      off.push(await pageReads(file, true, userDataDir));
      here.push(await pageReads(file, false, userDataDir));
    }
    const [worker, inProcess] = [medianPass(off), medianPass(here)];
    const quiet = median(idle.map((gaps) => gaps.wall));
    const of = `${PASSES} passes, median; ${priority}`;
    record({
      name: `main thread's longest stretch of work (its CPU time between two turns of its loop) while the page's slow reads run cold, ${size}, reads in the read worker`,
      value: worker.work,
      unit: 'ms',
      target: { atMost: TARGET_MS },
      note: `in-process: ${Math.round(inProcess.work)} ms; ${of}`,
    });
    record({
      name: `main event loop's longest gap (wall clock, other processes' delays included), the same reads, ${size}, read worker`,
      value: worker.wall,
      unit: 'ms',
      note: `in-process: ${Math.round(inProcess.wall)} ms; with nothing to do: ${quiet.toFixed(1)} ms (this machine's own); ${of}`,
    });
    record({ name: `main thread's longest stretch of work, the same reads in-process, ${size}`, value: inProcess.work, unit: 'ms', note: `for comparison; ${of}` });
    for (const [read, ms] of worker.reads) {
      record({ name: `${read} cold as the page waits, ${size}, read worker`, value: ms, unit: 'ms', note: `in-process: ${Math.round(inProcess.reads.get(read) ?? NaN)} ms` });
    }
  } finally {
    os.setPriority(niceBefore);
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}
