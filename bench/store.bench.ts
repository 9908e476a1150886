// Store speed on generated data (issue 2, "Speed"; search: issue 10): `npm run bench`, or
// `npm run bench -- --events 20000` for a quick check (`--only sqlite,floor,main-thread,import,export,jsonl,jsonl-open,search,anatomy,live,compare,postgres,summary,health`
// picks parts; `--only floor` is the read path over rpc and in-process against python3 + sqlite3 and raw
// better-sqlite3, issue 14; `--only main-thread` is the main thread's longest stretch of work while a page's
// slow reads run cold over HTTP and IPC, in the read worker and in-process, issue 14; `--only export` is `run-inspector export` and `import`
// against python3 scripts doing the same (bench/python/export_anchor.py, import_anchor.py), issue 14; `--only jsonl-open`
// opens the store's JSONL export as a page's session does, a first time and again on the kept index, issue 14;
// `--only anatomy` is runSummary on its own 10,000-event run, issue 11; `--only live` follows
// a copy of the database, idle and then written by another process (appends, runs updates, deletes), issue 12; `--only compare` compares
// two generated runs of about 5,000 steps each in the job worker, issue 12; `--only postgres` loads the store into a PostgreSQL
// server of the benchmark's own and measures the postgres backend's reads, issue 13; `--only summary` is the SQLite thread
// list at a first and a later open, and after another connection's appends and deletes (on a copy; of the 1M-event store
// when this one is bigger), issue 14; `--only health` is a whole-store health check in the job worker against its SQL
// alone, and `run-inspector check`, issue 15). Prints each figure
// with its target; it is a measurement, not a test, and always exits 0 once
// it has measured. Data lives in bench/data/ (git-ignored) and is reused
// while the parameters and the generator's code are unchanged.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { runAnatomy } from '../src-main/anatomy/run-anatomy.ts';
import { generateEvents, LONG_RUN_THREAD_ID, planThreads, type GenerateOptions } from '../src-main/generator/generate.ts';
import { writeSqliteStore } from '../src-main/generator/write-store.ts';
import { importJsonl } from '../src-main/jobs/import-jsonl.ts';
import { JobRunner } from '../src-main/jobs/job-runner.ts';
import { openIndexEngine } from '../src-main/search/index-engine.ts';
import type { SearchEngine } from '../src-main/search/search-engine.ts';
import { removeSidecar } from '../src-main/search/sidecar-file.ts';
import { sidecarPath } from '../src-main/search/sidecar-location.ts';
import { openJsonlStore } from '../src-main/store/jsonl/jsonl-store.ts';
import { createdAtToDb } from '../src-main/store/sqlite/encoding.ts';
import { openSqliteStore } from '../src-main/store/sqlite/sqlite-store.ts';
import { nowIso } from '../src-shared/time.ts';
import { followDatabase } from '../src-main/live/database-follower.ts';
import { LiveWriterProcess } from '../test/support/live-writer-process.ts';
import { log, printTable, record } from './figures.ts';
import { benchExport } from './export-part.ts';
import { benchFloor } from './floor-part.ts';
import { benchHealth } from './health-part.ts';
import { benchJsonlOpen } from './jsonl-open-part.ts';
import { benchMainThread } from './main-thread-part.ts';
import { benchPostgres } from './postgres-part.ts';
import { benchSummary } from './summary-part.ts';

const DATA_ROOT = path.join(import.meta.dirname, 'data');
const GENERATOR_DIR = path.join(import.meta.dirname, '..', 'src-main', 'generator');
const GENERATE_CLI = path.join(GENERATOR_DIR, 'generate-cli.ts');
const PAGE_REPEATS = 200;
const SEARCH_REPEATS = 15;
/** In about 0.4 % of the generator's events (its tool errors): under 10,000 of a million. */
const RARE_TERM = 'intermittent';
/** In the caller metadata of nearly every event the generator writes. */
const TERM_IN_EVERY_EVENT = 'lead_agent';
/** In about 2 % of the generator's events (its market topic): past the 20,000 matches of the join plan from 1M events, so the order is walked. */
const MIDDLING_TERM = 'revenue';
/** Two characters of the generator's Chinese texts: no trigram, one token of the short-term table. */
const CJK_TERM = '分析';
/** One character of one topic's texts (熊猫), in under 1 % of the events: answered from the short-term table, not by a walk. */
const RARE_CJK_CHARACTER = '熊';
const NEW_EVENTS = 1000;
const ANATOMY_REPEATS = 15;
const LIST_THREADS_REPEATS = 7;
const SUMMARY_COPY_EVENTS = 1_000_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function timeOnce(work: () => unknown): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** This process's CPU time (user and system) since `before`, a process.cpuUsage() reading, in ms. */
function cpuMsSince(before: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(before);
  return (user + system) / 1000;
}

/** Median wall time of `work`, after a few untimed calls that warm caches and JIT. */
async function medianMs(work: () => unknown, repeats: number): Promise<number> {
  for (let i = 0; i < Math.min(10, repeats); i++) await work();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) times.push(await timeOnce(work));
  return median(times);
}

/** Changes whenever the generator's code does, so stale data is not reused. */
function generatorStamp(): string {
  const hash = createHash('sha256');
  for (const name of fs.readdirSync(GENERATOR_DIR).sort()) {
    if (name.endsWith('.ts') && !name.endsWith('.test.ts')) hash.update(name).update(fs.readFileSync(path.join(GENERATOR_DIR, name)));
  }
  return hash.digest('hex').slice(0, 10);
}

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
}

/** Runs the generator CLI unless its output is already there (it only appears once complete). */
function ensureGenerated(out: string, options: GenerateOptions, format: 'sqlite' | 'jsonl'): void {
  if (fs.existsSync(out)) {
    log(`reusing ${path.relative(process.cwd(), out)}`);
    return;
  }
  log(`generating ${path.relative(process.cwd(), out)} …`);
  const args = ['--seed', String(options.seed), '--threads', String(options.threads), '--format', format, '--out', out];
  if (options.totalEvents !== undefined) args.push('--events', String(options.totalEvents));
  if (options.bigThreadEvents !== undefined) args.push('--big-thread', String(options.bigThreadEvents));
  if (options.longRunEvents !== undefined) args.push('--long-run', String(options.longRunEvents));
  const result = spawnSync(process.execPath, [GENERATE_CLI, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`the generator failed (exit ${result.status})`);
}

function dataDir(key: string): string {
  const dir = path.join(DATA_ROOT, `${key}-${generatorStamp()}`);
  // Data of the same size from an older generator is dead weight (gigabytes at full size).
  for (const name of fs.existsSync(DATA_ROOT) ? fs.readdirSync(DATA_ROOT) : []) {
    if (name.startsWith(`${key}-`) && path.join(DATA_ROOT, name) !== dir) fs.rmSync(path.join(DATA_ROOT, name), { recursive: true, force: true });
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

async function benchSqlite(file: string, options: GenerateOptions): Promise<void> {
  log('sqlite backend');
  const store = openSqliteStore(file, { create: false });
  try {
    const big = planThreads(options)[0];
    const bigEvents = options.bigThreadEvents ?? big.events;
    const pages = [
      ['start', { afterSeq: 0, limit: 50 }],
      ['middle', { beforeSeq: Math.floor(bigEvents / 2), limit: 50 }],
      ['end', { limit: 50 }],
    ] as const;
    for (const [where, page] of pages) {
      const got = await store.listMessages(big.thread_id, page);
      record({
        name: `listMessages 50-message page, ${where} of the ${bigEvents.toLocaleString('en-US')}-event thread (median)`,
        value: await medianMs(() => store.listMessages(big.thread_id, page), PAGE_REPEATS),
        unit: 'ms',
        target: { atMost: 2 },
        note: got.length === 50 ? undefined : `page had ${got.length} messages`,
      });
    }

    const runs = await store.listRuns(big.thread_id);
    const longest = runs.reduce((a, b) => (b.event_count > a.event_count ? b : a));
    const [first] = await store.listEvents(big.thread_id, longest.run_id, { limit: 1 });
    const afterSeq = first.seq + Math.floor(longest.event_count / 4);
    const page = await store.listEvents(big.thread_id, longest.run_id, { limit: 500, afterSeq });
    record({
      name: `listEvents 500-event page, in a ${longest.event_count.toLocaleString('en-US')}-event run (median)`,
      value: await medianMs(() => store.listEvents(big.thread_id, longest.run_id, { limit: 500, afterSeq }), PAGE_REPEATS / 4),
      unit: 'ms',
      target: { atMost: 10 },
      note: page.length === 500 ? undefined : `page had ${page.length} events`,
    });

    const threads = await store.listThreads();
    record({
      name: `listThreads over the whole store, ${threads.length.toLocaleString('en-US')} threads (median)`,
      value: await medianMs(() => store.listThreads(), LIST_THREADS_REPEATS),
      unit: 'ms',
      target: { atMost: 300 },
    });

    // The read worker's pass when a page opens the source (issue 11): the overview strip's marks of every thread.
    const started = performance.now();
    const marked = await store.scanOverviewMarks();
    record({
      name: `overview marks of every thread, one pass over the store in the read worker at open (${marked.size.toLocaleString('en-US')} threads)`,
      value: performance.now() - started,
      unit: 'ms',
      note: "off the page's thread; a strip opened sooner reads its own thread's rows",
    });
  } finally {
    await store.close();
  }
}

async function countHits(engine: SearchEngine, query: string): Promise<number> {
  let count = 0;
  for (let cursor: string | null = null; ; ) {
    const page = await engine.search(query, { limit: 500, cursor });
    count += page.hits.length;
    if ((cursor = page.nextCursor) === null) return count;
  }
}

async function benchSearch(file: string, options: GenerateOptions, totalEvents: number): Promise<void> {
  log('search index (src-main/search/index-engine.ts; built by the job worker)');
  const userDataDir = path.join(path.dirname(file), 'user-data');
  const store = openSqliteStore(file, { create: false });
  const sidecar = sidecarPath({ path: file, createdByApp: store.createdByApp }, userDataDir);
  removeSidecar(sidecar);
  const jobs = new JobRunner({ onProgress: () => {}, onDone: () => {} });
  try {
    // The engine's own first sync builds in the worker: the new events below are then indexed by the engine that did the build, as in the app.
    const started = performance.now();
    const engine = await openIndexEngine(store, { userDataDir, jobs, onStatus: () => {} });
    await engine.refresh();
    const { indexed } = engine.status();
    const seconds = (performance.now() - started) / 1000;
    record({
      name: `index build of the ${totalEvents.toLocaleString('en-US')}-event database in the worker`,
      value: indexed / seconds,
      unit: 'events/s',
      target: { atLeast: 25_000 },
      note: `${seconds.toFixed(1)} s`,
    });
    const sidecarBytes = ['', '-wal'].reduce((sum, suffix) => sum + (fs.statSync(sidecar + suffix, { throwIfNoEntry: false })?.size ?? 0), 0);
    record({
      name: 'sidecar size, in % of the database size',
      value: (100 * sidecarBytes) / fs.statSync(file).size,
      unit: '%',
      target: { atMost: 60 },
      note: `${(sidecarBytes / 2 ** 20).toFixed(0)} MiB`,
    });

    const [big] = planThreads(options);
    // The longest the event loop waited while the searches ran: serve answers every other request on this thread.
    const stalls = monitorEventLoopDelay({ resolution: 1 });
    stalls.enable();
    const firstPage = async (name: string, query: string, atMost: number, scope = {}) => {
      const result = await engine.search(query, scope);
      record({
        name,
        value: await medianMs(() => engine.search(query, scope), SEARCH_REPEATS),
        unit: 'ms',
        target: { atMost },
        note: result.hits.length === 50 ? undefined : `page had ${result.hits.length} hits`,
      });
    };
    await firstPage(`search first page store-wide, "${RARE_TERM}" (in ${(await countHits(engine, RARE_TERM)).toLocaleString('en-US')} events) (median)`, RARE_TERM, 50);
    await firstPage(`search first page store-wide, "${TERM_IN_EVERY_EVENT}" (in nearly every event) (median)`, TERM_IN_EVERY_EVENT, 500);
    await firstPage(`search first page store-wide, "${MIDDLING_TERM}" (in ${(await countHits(engine, MIDDLING_TERM)).toLocaleString('en-US')} events) (median)`, MIDDLING_TERM, 500);
    await firstPage(`search first page store-wide, "${MIDDLING_TERM} ${TERM_IN_EVERY_EVENT}" (median)`, `${MIDDLING_TERM} ${TERM_IN_EVERY_EVENT}`, 500);
    await firstPage(
      `search first page store-wide, one-character CJK term "${RARE_CJK_CHARACTER}" (in ${(await countHits(engine, RARE_CJK_CHARACTER)).toLocaleString('en-US')} events) (median)`,
      RARE_CJK_CHARACTER,
      500,
    );
    await firstPage(`search first page, two-character CJK term within the ${(options.bigThreadEvents ?? 0).toLocaleString('en-US')}-event thread (median)`, CJK_TERM, 200, {
      threadId: big.thread_id,
    });
    stalls.disable();
    record({ name: 'longest wait of the event loop during those searches, every page of them', value: stalls.max / 1e6, unit: 'ms', target: { atMost: 16 } });

    const threadId = 'bench-search-new-events';
    const events = Array.from({ length: NEW_EVENTS }, (_, i) => ({
      thread_id: threadId,
      run_id: 'bench-run',
      event_type: 'llm.ai.response',
      category: 'message',
      content: { type: 'ai', content: `new event ${i}: the borealis pricing answer` },
    }));
    await store.putBatch(events);
    record({ name: `${NEW_EVENTS.toLocaleString('en-US')} new events indexed (refresh)`, value: await timeOnce(() => engine.refresh()), unit: 'ms', target: { atMost: 1000 } });
    await store.deleteByThread(threadId);
    record({ name: `the same ${NEW_EVENTS.toLocaleString('en-US')} events deleted, removed from the index (refresh)`, value: await timeOnce(() => engine.refresh()), unit: 'ms' });
    await engine.close();
  } finally {
    await jobs.idle();
    await store.close();
  }
}

async function benchImport(exportDir: string, into: string, totalEvents: number): Promise<void> {
  log('import (src-main/jobs/import-jsonl.ts importJsonl, as `run-inspector import` runs it)');
  removeDatabase(into);
  try {
    const cpuBefore = process.cpuUsage();
    const summary = await importJsonl({ kind: 'import', path: exportDir, into }, { onProgress: () => {}, signal: new AbortController().signal });
    // The import reads in a thread of its own and inserts in this one: its CPU time beside the wall time says how much other processes held it back.
    const cpuMs = cpuMsSince(cpuBefore);
    if (summary.imported !== totalEvents) throw new Error(`import wrote ${summary.imported} of ${totalEvents} events (${summary.skipped} skipped)`);
    record({
      name: `import of the ${totalEvents.toLocaleString('en-US')}-event JSONL export into a new database`,
      value: summary.imported / summary.seconds,
      unit: 'events/s',
      target: { atLeast: 100_000 },
      note: `${summary.seconds.toFixed(1)} s, CPU ${(cpuMs / 1000).toFixed(1)} s`,
    });
  } finally {
    removeDatabase(into);
  }
}

async function benchJsonl(root: string, options: GenerateOptions): Promise<void> {
  log('jsonl backend');
  const [thread] = planThreads(options);
  const started = performance.now();
  const opened = await openJsonlStore(root);
  await opened.listThreads(); // opening reads nothing: the thread list reads every file, as the first open of a page does
  const openMs = performance.now() - started;
  try {
    const count = (options.totalEvents ?? thread.events).toLocaleString('en-US');
    record({ name: `jsonl open (index build) of a ${count}-event thread`, value: openMs, unit: 'ms' });
    record({
      name: 'jsonl listMessages 50-message page, first query after opening',
      value: await timeOnce(() => opened.listMessages(thread.thread_id, { limit: 50 })),
      unit: 'ms',
      target: { atMost: 5 },
    });
    const middle = { beforeSeq: Math.floor(thread.events / 2), limit: 50 };
    record({
      name: 'jsonl listMessages 50-message page, middle of the thread (median)',
      value: await medianMs(() => opened.listMessages(thread.thread_id, middle), PAGE_REPEATS),
      unit: 'ms',
      target: { atMost: 5 },
    });
  } finally {
    await opened.close();
  }
}

/** runSummary of the generator's long run, in-process on SQLite: its one pass over the events and the derivation. */
async function benchAnatomy(file: string, runEvents: number): Promise<void> {
  log('run anatomy');
  const store = openSqliteStore(file, { create: false });
  try {
    const [run] = await store.listRuns(LONG_RUN_THREAD_ID);
    const anatomy = await runAnatomy(store, LONG_RUN_THREAD_ID, run.run_id);
    record({
      name: `runSummary of a ${run.event_count.toLocaleString('en-US')}-event run, ${anatomy.spans.length.toLocaleString('en-US')} spans (median)`,
      value: await medianMs(() => runAnatomy(store, LONG_RUN_THREAD_ID, run.run_id), ANATOMY_REPEATS),
      unit: 'ms',
      target: { atMost: 100 },
      note: run.event_count === runEvents ? undefined : `the run had ${run.event_count} events`,
    });
  } finally {
    await store.close();
  }
}

/** The generator's long run takes about 1.25 steps (calls, results, answers…) per event: some 5,000 steps. */
const COMPARE_RUN_EVENTS = 4_000;
const COMPARE_REPEATS = 7;

/**
 * compareRuns of two long runs generated from two seeds (issue 12: 2 × 5,000 steps in ≤ 500 ms in the worker),
 * each its own thread of one fresh database, timed as the page waits for it: the worker started, the
 * database opened read-only, both runs read, aligned and sent back.
 */
async function benchCompare(dir: string, seed: number): Promise<void> {
  log('compare runs');
  const file = path.join(dir, 'compare.db');
  removeDatabase(file);
  const longRun = (runSeed: number) =>
    [...generateEvents({ seed: runSeed, threads: 1, totalEvents: 10, longRunEvents: COMPARE_RUN_EVENTS })]
      .filter((event) => event.thread_id === LONG_RUN_THREAD_ID)
      .map((event) => ({ ...event, thread_id: `compare-${runSeed}` }));
  const [left, right] = [longRun(seed), longRun(seed + 1)];
  await writeSqliteStore(file, [...left, ...right], []);
  const jobs = new JobRunner({ onProgress: () => {}, onDone: () => {} });
  const spec = { source: file, a: { threadId: left[0].thread_id, runId: left[0].run_id }, b: { threadId: right[0].thread_id, runId: right[0].run_id } };
  try {
    const { steps } = await jobs.runCompare(spec);
    const count = (side: 'a' | 'b') => steps.filter((step) => step[side] !== null).length.toLocaleString('en-US');
    record({
      name: `compareRuns of a ${count('a')}-step and a ${count('b')}-step run in the job worker, ${steps.filter((step) => step.kind !== 'same').length.toLocaleString('en-US')} differences (median)`,
      value: await medianMs(() => jobs.runCompare(spec), COMPARE_REPEATS),
      unit: 'ms',
      target: { atMost: 500 },
    });
  } finally {
    removeDatabase(file);
  }
}

const LIVE_IDLE_SECONDS = 10;
const LIVE_WRITES_PER_SECOND = 200;
const LIVE_WRITE_SECONDS = 10;
const LIVE_THREADS = ['live-bench-a', 'live-bench-b', 'live-bench-c', 'live-bench-d', 'live-bench-e'];
/** A runs row updated once a second, as DeerFlow does while a run goes (its status, at its end its tokens). */
const LIVE_RUN_UPDATES = 10;
/** The budget for what the main process spends on one commit it follows. */
const LIVE_CHECK_MS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * DeerFlow stamps a runs or threads_meta row with the time it writes it, so
 * none is later than now; the generator spreads its stamps into the future.
 * The follower sees an update by its updated_at passing the latest stamp.
 */
function stampNoLaterThanNow(file: string): void {
  const db = new Database(file);
  try {
    const now = createdAtToDb(nowIso());
    for (const table of ['runs', 'threads_meta']) db.prepare(`UPDATE ${table} SET updated_at = @now WHERE updated_at > @now`).run({ now });
  } finally {
    db.close();
  }
}

/**
 * The follower's CPU for each of `changes` commits of another process, one a
 * second, beyond what its idle polls cost meanwhile (`idleMsPerSecond`), and
 * how many pushes named a thread a commit wrote (or everything).
 */
async function followerCpuPerCommit(
  pushes: { threadIds: string[] | null }[],
  idleMsPerSecond: number,
  changes: number,
  commit: (i: number) => Promise<string>,
): Promise<{ perCheckMs: number; pushed: number }> {
  const pushesBefore = pushes.length;
  const threads: string[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < changes; i++) {
    threads.push(await commit(i));
    await sleep(1000);
  }
  const cpuMs = cpuMsSince(cpuBefore);
  const idleMs = (idleMsPerSecond * (performance.now() - started)) / 1000;
  const pushed = pushes.slice(pushesBefore).filter((push) => push.threadIds?.some((thread) => threads.includes(thread)) ?? true).length;
  return { perCheckMs: Math.max(0, cpuMs - idleMs) / changes, pushed };
}

/**
 * Following a database (issue 12): the CPU an idle one costs, then how soon
 * each commit of a writer in another process is announced, then what a
 * check costs after a runs row's update and after a delete, on a copy (the
 * writer must not change the bench's database).
 */
async function benchLive(file: string): Promise<void> {
  const copy = path.join(path.dirname(file), 'live-copy.db');
  log(`copying ${file} to follow it`);
  fs.copyFileSync(file, copy);
  stampNoLaterThanNow(copy);
  const pushes: { threadIds: string[] | null; at: number }[] = [];
  const follower = followDatabase(copy, { onChanged: (threadIds) => pushes.push({ threadIds, at: performance.timeOrigin + performance.now() }), onReplaced: () => {} });
  try {
    const cpuBefore = process.cpuUsage();
    await sleep(LIVE_IDLE_SECONDS * 1000);
    const idleMsPerSecond = cpuMsSince(cpuBefore) / LIVE_IDLE_SECONDS;
    record({
      name: `CPU of following an idle ${path.basename(file)} for ${LIVE_IDLE_SECONDS} s, per second (10 ms = 1 % of a core)`,
      value: idleMsPerSecond,
      unit: 'ms',
      target: { atMost: 10 },
    });

    const writer = await LiveWriterProcess.start('sqlite', copy);
    try {
      await benchWrites(writer, pushes, idleMsPerSecond);
    } finally {
      // A figure that throws must not leave the writer process running.
      await writer.close();
    }
  } finally {
    follower.stop();
    removeDatabase(copy);
  }
}

/** benchLive's part with a writer: commit-to-push latency, then the follower's cost per check after a runs update and after a delete. */
async function benchWrites(writer: LiveWriterProcess, pushes: { threadIds: string[] | null; at: number }[], idleMsPerSecond: number): Promise<void> {
  const reply = await writer.send({ op: 'stream', threads: LIVE_THREADS, run: 'r1', perSecond: LIVE_WRITES_PER_SECOND, seconds: LIVE_WRITE_SECONDS });
  await sleep(1000); // the last commits' poll
  const latencies = writer.commits
    .map((commit) => pushes.find((push) => push.at >= commit.at && (push.threadIds?.includes(commit.committed) ?? true)))
    .map((push, i) => (push ? push.at - writer.commits[i].at : Number.POSITIVE_INFINITY))
    .sort((a, b) => a - b);
  const pushed = new Set(pushes.flatMap((push) => push.threadIds ?? LIVE_THREADS));
  const note = `${writer.commits.length} commits, ${reply.errors?.length ?? 0} failed; threads written but not pushed: ${LIVE_THREADS.filter((t) => !pushed.has(t)).length}`;
  const figure = `${LIVE_WRITES_PER_SECOND} events/s for ${LIVE_WRITE_SECONDS} s by another process`;
  record({ name: `commit to push, ${figure} (median)`, value: median(latencies), unit: 'ms', target: { atMost: 1000 }, note });
  record({ name: `commit to push, ${figure} (max)`, value: latencies.at(-1) ?? Number.POSITIVE_INFINITY, unit: 'ms', target: { atMost: 1000 }, note });

  const [thread] = LIVE_THREADS;
  const updates = await followerCpuPerCommit(pushes, idleMsPerSecond, LIVE_RUN_UPDATES, async (i) => {
    await writer.send({ op: 'putRun', thread, run: 'r1', status: i % 2 === 0 ? 'running' : 'success' });
    return thread;
  });
  record({
    name: `follower's CPU per check after another process updates a runs row, once a second ×${LIVE_RUN_UPDATES}`,
    value: updates.perCheckMs,
    unit: 'ms',
    target: { atMost: LIVE_CHECK_MS },
    note: `${updates.pushed} pushes naming the thread for ${LIVE_RUN_UPDATES} commits`,
  });
  // A delete falls back on every thread's count from an index: the one check that reads the whole table.
  const deletes = await followerCpuPerCommit(pushes, idleMsPerSecond, LIVE_THREADS.length, async (i) => {
    await writer.send({ op: 'deleteRun', thread: LIVE_THREADS[i], run: 'r1' });
    return LIVE_THREADS[i];
  });
  record({
    name: `follower's CPU per check after another process deletes a run's events, once a second ×${LIVE_THREADS.length}`,
    value: deletes.perCheckMs,
    unit: 'ms',
    note: `${deletes.pushed} pushes naming the thread for ${LIVE_THREADS.length} commits`,
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '1000000' },
      threads: { type: 'string' },
      'big-thread': { type: 'string' },
      'jsonl-thread': { type: 'string' },
      seed: { type: 'string', default: '1' },
      'long-run': { type: 'string', default: '10000' },
      only: { type: 'string', default: 'sqlite,floor,main-thread,import,export,jsonl,jsonl-open,search,anatomy,live,compare,postgres,summary,health' },
    },
  });
  const parts = new Set(values.only.split(','));
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value.replaceAll('_', '')));
  const events = number(values.events) ?? 1_000_000;
  const seed = number(values.seed) ?? 1;
  // Defaults scale with --events: 1M events → 2,000 threads, one of 200,000; a 100,000-event jsonl thread.
  const store: GenerateOptions = {
    seed,
    totalEvents: events,
    threads: number(values.threads) ?? Math.max(2, Math.round(events / 500)),
    bigThreadEvents: number(values['big-thread']) ?? Math.round(events / 5),
  };
  const longRun = number(values['long-run']) ?? 10_000;
  const anatomyStore: GenerateOptions = { seed, threads: 2, totalEvents: 300, longRunEvents: longRun };
  const jsonlThread: GenerateOptions = { seed, threads: 1, totalEvents: number(values['jsonl-thread']) ?? Math.round(events / 10) };

  const storeDir = dataDir(`store-e${events}-t${store.threads}-b${store.bigThreadEvents}-s${seed}`);
  /** The generated store's database, made the first time a part needs it. */
  const database = () => {
    const file = path.join(storeDir, 'store.db');
    ensureGenerated(file, store, 'sqlite');
    return file;
  };
  /** Its JSONL export in DeerFlow's layout, likewise. */
  const exportDir = () => {
    const dir = path.join(storeDir, 'export');
    ensureGenerated(dir, store, 'jsonl');
    return dir;
  };
  if (parts.has('sqlite')) await benchSqlite(database(), store);
  if (parts.has('floor')) await benchFloor(database(), store, medianMs);
  if (parts.has('main-thread')) await benchMainThread(database(), events);
  if (parts.has('search')) await benchSearch(database(), store, events);
  if (parts.has('import')) await benchImport(exportDir(), path.join(storeDir, 'import-target.db'), events);
  if (parts.has('export')) await benchExport(database(), exportDir(), events, path.join(DATA_ROOT, 'export-scratch'));
  if (parts.has('jsonl')) {
    const jsonlRoot = path.join(dataDir(`jsonl-e${jsonlThread.totalEvents}-s${seed}`), 'layout');
    ensureGenerated(jsonlRoot, jsonlThread, 'jsonl');
    await benchJsonl(jsonlRoot, jsonlThread);
  }
  if (parts.has('jsonl-open')) await benchJsonlOpen(exportDir(), events);
  if (parts.has('live')) await benchLive(database());
  if (parts.has('compare')) await benchCompare(dataDir(`compare-s${seed}`), seed);
  if (parts.has('postgres')) await benchPostgres(database(), store, medianMs);
  if (parts.has('summary')) {
    // The write figures' copy: of the 1M-event store when this one is bigger (copying 10 GB takes longer than the rest).
    const file = database();
    let writable = { file, events };
    if (events > SUMMARY_COPY_EVENTS) {
      const small: GenerateOptions = { seed, totalEvents: SUMMARY_COPY_EVENTS, threads: SUMMARY_COPY_EVENTS / 500, bigThreadEvents: SUMMARY_COPY_EVENTS / 5 };
      writable = { file: path.join(dataDir(`store-e${SUMMARY_COPY_EVENTS}-t${small.threads}-b${small.bigThreadEvents}-s${seed}`), 'store.db'), events: SUMMARY_COPY_EVENTS };
      ensureGenerated(writable.file, small, 'sqlite');
    }
    await benchSummary(file, events, writable);
  }
  if (parts.has('health')) await benchHealth(database(), events);
  if (parts.has('anatomy')) {
    const anatomyDatabase = path.join(dataDir(`anatomy-l${longRun}-s${seed}`), 'store.db');
    ensureGenerated(anatomyDatabase, anatomyStore, 'sqlite');
    await benchAnatomy(anatomyDatabase, longRun);
  }

  // Other processes skew every figure; the load says how much to trust them.
  const load = os.loadavg()[0].toFixed(1);
  console.log(
    `\nRun Inspector store benchmark — ${events.toLocaleString('en-US')} events, ${store.threads.toLocaleString('en-US')} threads, ` +
      `node ${process.version}, ${os.availableParallelism()} CPUs, load average ${load}\n`,
  );
  printTable();
}

await main();
