// The main process never blocks (issue 14): `npm run bench -- --only main-thread`.
// A page's session opens the generated store (read-only) and serves a page
// (main-thread-page.ts, in a worker thread of its own) that asks, as the
// page does, one request at a time, for its slow reads, each cold: the thread
// list, the big thread's runs, its counts, its overview strip (kept marks,
// then the full one) and its longest run's anatomy. Over the real transports
// of this thread: browser mode's HTTP server, and the desktop app's IPC
// handlers with Electron's part on this thread stood in for (each reply
// v8-serialised here, as Electron's structured clone does it, and copied
// out, as into Mojo's buffer). Meanwhile a 1 ms interval timer measures the
// main event loop's longest gap (how long the page's other requests would
// wait) and the main thread's own CPU time in each gap, and which read the
// page was waiting for: on a busy machine other processes delay any thread's
// timers too (the same timer's longest gap with nothing to do is measured
// beside it), but only the app's own work on the thread uses its CPU. The
// target is for that work; the gaps are shown beside it. With the reads in
// the read worker (src-main/reads) over both transports, and once over HTTP
// in this process (a session without a worker entry), so the gain shows;
// medians of a few passes, each on fresh connections. The main thread (and
// so the workers it starts, which take its priority) runs at a raised
// priority where the OS allows it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';
import { MessageChannel, Worker } from 'node:worker_threads';
import { createHandlers } from '../src-main/handlers/handlers.ts';
import { Session } from '../src-main/handlers/session.ts';
import { openSqliteStore } from '../src-main/store/sqlite/sqlite-store.ts';
import { startHttpServer } from '../src-main/transports/http-server.ts';
import { registerIpcHandlers, type IpcMainLike } from '../src-main/transports/ipc.ts';
import { log, record } from './figures.ts';
import type { IpcRequest, IpcResponse, PageReport, PageSpec } from './main-thread-page.ts';

const PAGE_URL = new URL('./main-thread-page.ts', import.meta.url);
const TARGET_MS = 16;
const PASSES = 3;
/** How long the idle baseline listens. */
const IDLE_MS = 3_000;
/** A nice value above the other processes' (which it cannot be without the right to raise it: then the figure says so). */
const MAIN_THREAD_NICE = -10;

v8.setFlagsFromString('--expose-gc');
/** A full collection before each pass: none pays for the garbage of the one before (the in-process pass's answers). */
const collect = runInNewContext('gc') as () => void;

type Transport = 'http' | 'ipc';

interface Gaps {
  /** The main event loop's longest gap between two turns, in ms. */
  wall: number;
  /** The most CPU time the main thread used in one such gap, in ms: its longest stretch of work. */
  work: number;
}

interface ReadFigures {
  /** The read's time as the page waits for it, in ms. */
  ms: number;
  /** The page's own time taking the answer in (deserialising, parsing), in ms. */
  takeInMs: number;
  /** The main thread's longest stretch of work while the page waited for it, in ms. */
  work: number;
}

interface Pass extends Gaps {
  /** What the page was waiting for during the longest stretch (or 'open' / 'close' of the session). */
  during: string;
  reads: Map<string, ReadFigures>;
}

const threadCpuMs = () => {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
};

/**
 * The longest the event loop went without running a 1 ms timer while `work` ran, and the most CPU
 * this thread used in one of those gaps, each gap's CPU told to `onGap` (the gap still open at
 * the end included).
 */
async function longestGap(work: () => Promise<void>, onGap: (cpuMs: number) => void = () => {}): Promise<Gaps> {
  let last = performance.now();
  let lastCpu = threadCpuMs();
  const gaps: Gaps = { wall: 0, work: 0 };
  const measure = () => {
    const [now, cpu] = [performance.now(), threadCpuMs()];
    gaps.wall = Math.max(gaps.wall, now - last);
    gaps.work = Math.max(gaps.work, cpu - lastCpu);
    onGap(cpu - lastCpu);
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

/** Electron's ipcMain as far as this thread's share goes: each reply structured-cloned here (v8.serialize) and copied out to the page's thread. */
function ipcMainStandIn(): { ipcMain: IpcMainLike<null>; page: PageSpec } {
  const listeners = new Map<string, (event: null, ...args: unknown[]) => unknown>();
  const { port1: here, port2: page } = new MessageChannel();
  here.on('message', async ({ id, channel, args }: IpcRequest) => {
    const reply = await listeners.get(channel)!(null, ...args);
    here.postMessage({ id, reply: v8.serialize(reply) } satisfies IpcResponse);
  });
  return {
    ipcMain: { handle: (channel, listener) => listeners.set(channel, listener), removeHandler: (channel) => listeners.delete(channel) },
    page: { kind: 'ipc', port: page },
  };
}

/** The page's session and the transport it is served by on this thread; what the page is started with. */
async function serve(session: Session, transport: Transport, rendererDir: string): Promise<{ page: PageSpec; stop: () => Promise<void> }> {
  const handlers = createHandlers(session);
  if (transport === 'http') {
    const server = await startHttpServer({ handlers, push: session.push, rendererDir });
    return { page: { kind: 'http', origin: server.origin, token: server.token }, stop: () => server.close() };
  }
  const { ipcMain, page } = ipcMainStandIn();
  const unregister = registerIpcHandlers(ipcMain, handlers, { isAllowedSender: () => true });
  return {
    page,
    stop: async () => {
      unregister();
      if (page.kind === 'ipc') page.port.close();
    },
  };
}

/** The page's thread, started (before main's measurement begins); `read` tells it how to reach main and waits until it is done. */
function startPage(): { read(page: PageSpec, onReport: (report: PageReport) => void): Promise<void>; stop(): Promise<number> } {
  const worker = new Worker(PAGE_URL, { workerData: { page: true } });
  const failed = new Promise<never>((_, reject) => worker.once('error', reject));
  return {
    read: (page, onReport) => {
      const done = new Promise<void>((resolve, reject) => {
        worker.on('message', (report: PageReport) => {
          onReport(report);
          if (report.type === 'done') resolve();
          if (report.type === 'failed') reject(new Error(`the page failed: ${report.message}`));
        });
      });
      worker.postMessage(page, page.kind === 'ipc' ? [page.port] : []);
      return Promise.race([done, failed]);
    },
    stop: () => worker.terminate(),
  };
}

async function pageReads(file: string, inWorker: boolean, transport: Transport, userDataDir: string): Promise<Pass> {
  collect();
  const reads = new Map<string, ReadFigures>();
  /** The main thread's longest stretch while the page waited for each read (or the session opened, closed). */
  const stretches = new Map<string, number>();
  let during = 'open';
  let worst = { work: 0, during };
  const onGap = (cpuMs: number) => {
    stretches.set(during, Math.max(stretches.get(during) ?? 0, cpuMs));
    if (cpuMs > worst.work) worst = { work: cpuMs, during };
  };
  const thePage = startPage();
  const gaps = await longestGap(async () => {
    const session = await Session.create(file, {
      transport: transport === 'http' ? 'browser' : 'electron',
      workerUrl: inWorker ? undefined : null,
      userDataDir,
      openSource: async (source) => openSqliteStore(source!, { create: false, readOnly: true }),
    });
    const { page, stop } = await serve(session, transport, userDataDir);
    try {
      await thePage.read(page, (report) => {
        if (report.type === 'reading') during = report.read;
        if (report.type !== 'read') return;
        // The stretch during it is known once the pass is over.
        reads.set(report.read, { ms: report.ms, takeInMs: report.takeInMs, work: NaN });
        during = 'between reads';
      });
    } finally {
      during = 'close';
      await stop();
      await session.close();
    }
  }, onGap).finally(() => thePage.stop());
  for (const [read, figures] of reads) figures.work = stretches.get(read) ?? 0;
  const each = [...stretches].map(([during, work]) => `${during} ${work.toFixed(1)}`).join(', ');
  log(`    ${inWorker ? 'read worker' : 'in-process'}, ${transport}: longest stretch ${gaps.work.toFixed(1)} ms (${each})`);
  return { ...gaps, during: worst.during, reads };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The passes' median of each figure; what the page waited for during the longest stretch, in each pass. */
function medianPass(passes: Pass[]): Pass {
  const of = (read: string, figure: keyof ReadFigures) => median(passes.map((pass) => pass.reads.get(read)?.[figure] ?? NaN));
  const reads = new Map([...passes[0].reads.keys()].map((read) => [read, { ms: of(read, 'ms'), takeInMs: of(read, 'takeInMs'), work: of(read, 'work') }]));
  return {
    wall: median(passes.map((pass) => pass.wall)),
    work: median(passes.map((pass) => pass.work)),
    during: [...new Set(passes.map((pass) => pass.during))].join(' / '),
    reads,
  };
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

const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

export async function benchMainThread(file: string, events: number): Promise<void> {
  log('main thread (issue 14): the event loop while a page reads a big SQLite store over HTTP and IPC, read worker vs in-process');
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-bench-main-thread-'));
  const size = `${events.toLocaleString('en-US')}-event store`;
  const niceBefore = os.getPriority();
  const priority = raiseMainThread();
  try {
    const idle: Gaps[] = [];
    const passes = { http: [] as Pass[], ipc: [] as Pass[], here: [] as Pass[] };
    for (let pass = 0; pass < PASSES; pass++) {
      idle.push(await longestGap(() => new Promise((resolve) => setTimeout(resolve, IDLE_MS))));
      passes.http.push(await pageReads(file, true, 'http', userDataDir));
      passes.ipc.push(await pageReads(file, true, 'ipc', userDataDir));
    }
    // Last: the answers they take in leave this thread's heap big, and shrinking it (V8's memory reducer, once the
    // collection before each pass has found it mostly garbage) holds the thread for up to half a second.
    for (let pass = 0; pass < PASSES; pass++) passes.here.push(await pageReads(file, false, 'http', userDataDir));
    const [http, ipc, inProcess] = [medianPass(passes.http), medianPass(passes.ipc), medianPass(passes.here)];
    const quiet = median(idle.map((gaps) => gaps.wall));
    const of = `${PASSES} passes, median; ${priority}`;
    const transports = { http: 'over HTTP (browser mode)', ipc: "over IPC (the desktop app's, Electron's part stood in for)" };
    for (const [transport, pass] of [['http', http], ['ipc', ipc]] as const) {
      record({
        name: `main thread's longest stretch of work (its CPU time between two turns of its loop) while the page's slow reads run cold, ${size}, reads in the read worker, ${transports[transport]}`,
        value: pass.work,
        unit: 'ms',
        target: { atMost: TARGET_MS },
        note: `while the page waited for: ${pass.during}; in-process (HTTP): ${ms(inProcess.work)}; ${of}`,
      });
    }
    record({
      name: `main event loop's longest gap (wall clock, other processes' delays included), the same reads, ${size}, read worker, HTTP`,
      value: http.wall,
      unit: 'ms',
      note: `IPC: ${ms(ipc.wall)}; in-process: ${ms(inProcess.wall)}; with nothing to do: ${quiet.toFixed(1)} ms (this machine's own); ${of}`,
    });
    record({ name: `main thread's longest stretch of work, the same reads in-process, HTTP, ${size}`, value: inProcess.work, unit: 'ms', note: `for comparison; ${of}` });
    for (const [read, figures] of http.reads) {
      const overIpc = ipc.reads.get(read)!;
      record({
        name: `${read} cold as the page waits, ${size}, read worker, HTTP`,
        value: figures.ms,
        unit: 'ms',
        note:
          `IPC: ${ms(overIpc.ms)}; in-process: ${ms(inProcess.reads.get(read)?.ms ?? NaN)}; main's longest stretch meanwhile ${ms(figures.work)} (IPC ${ms(overIpc.work)}); ` +
          `the page's own time taking the answer in ${ms(figures.takeInMs)} (IPC, its pieces deserialised and parsed: ${ms(overIpc.takeInMs)})`,
      });
    }
  } finally {
    os.setPriority(niceBefore);
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}
