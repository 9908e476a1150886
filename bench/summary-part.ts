// The benchmark's kept thread list part (issue 14, "Kept summaries for huge
// stores"; the 10M-event benchmark's thread list): listThreads of a SQLite
// store opened with no kept list yet (one pass over the table), then of a
// store opened anew on the same sidecar, the figure the issue's ≤ 1 s is
// about, then after 1,000 events appended and after a run deleted by another
// connection, in the session and in a store opened anew. The bench store is
// never written: its sidecar lives in a temporary user data folder, and the
// write figures are measured on a copy of `writable` (the 1M-event store when
// the store measured is bigger: copying 10 GB would take longer than
// everything else).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SummaryWork } from '../src-main/store/sqlite/kept-threads.ts';
import { openSqliteStore, type SqliteStore } from '../src-main/store/sqlite/sqlite-store.ts';
import { SqliteSummaryFile } from '../src-main/store/sqlite/summary-file.ts';
import type { EventInput } from '../src-shared/types.ts';
import { log, record } from './figures.ts';

const REOPENS = 5;
const APPENDED = 1000;
const WRITE_ROUNDS = 3;
const TARGET = { atMost: 1000 };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A read-only store on `file` keeping its list in `sidecar`, and what its updates read. */
function keeping(file: string, sidecar: string): { store: SqliteStore; work: SummaryWork[] } {
  const work: SummaryWork[] = [];
  const store = openSqliteStore(file, { create: false, readOnly: true, onSummaryWork: (w) => work.push(w) });
  store.keepSummaryIn(new SqliteSummaryFile(sidecar, 'bench'));
  return { store, work };
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

const describeWork = (work: SummaryWork | undefined) =>
  work ? `${work.rowsRead.toLocaleString('en-US')} rows read${work.countedThreads ? ', threads counted' : ''}, ${work.recomputed.length} threads read again` : 'no update';

/** A new store on the sidecar, listed: median of a few opens. */
async function laterOpens(file: string, sidecar: string): Promise<{ ms: number; work: SummaryWork | undefined }> {
  const times: number[] = [];
  let last: SummaryWork | undefined;
  for (let i = 0; i < REOPENS; i++) {
    const { store, work } = keeping(file, sidecar);
    try {
      times.push((await timed(() => store.listThreads())).ms);
      last = work.at(-1);
    } finally {
      await store.close();
    }
  }
  return { ms: median(times), work: last };
}

async function readFigures(file: string, label: string, sidecar: string): Promise<void> {
  const { store, work } = keeping(file, sidecar);
  try {
    const first = await timed(() => store.listThreads());
    record({
      name: `listThreads at the first open, no kept list yet, ${label} (${first.value.length.toLocaleString('en-US')} threads)`,
      value: first.ms,
      unit: 'ms',
      note: `${describeWork(work.at(-1))}; the list saved in the sidecar`,
    });
  } finally {
    await store.close();
  }
  const later = await laterOpens(file, sidecar);
  record({ name: `listThreads at a later open, from the kept list, ${label} (median of ${REOPENS} opens)`, value: later.ms, unit: 'ms', target: TARGET, note: describeWork(later.work) });
}

/** The thread with the most events: appends and deletes go there, the costliest place for the list to take them in. */
async function biggestThread(writer: SqliteStore): Promise<string> {
  const threads = await writer.listThreads();
  return threads.reduce((a, b) => (b.event_count > a.event_count ? b : a)).thread_id;
}

/** `count` new events in the thread's latest run, as an agent appends them. */
async function append(writer: SqliteStore, thread: string, count: number): Promise<void> {
  const runs = await writer.listRuns(thread);
  const run = runs[runs.length - 1].run_id;
  const events: EventInput[] = Array.from({ length: count }, (_, i) => ({
    thread_id: thread,
    run_id: run,
    event_type: i % 2 ? 'llm.ai.response' : 'llm.tool.result',
    category: 'message',
    content: { type: i % 2 ? 'ai' : 'tool', content: `appended ${i}` },
  }));
  await writer.putBatch(events);
}

/** The thread's run with the most events deleted. */
async function deleteBiggestRun(writer: SqliteStore, thread: string): Promise<void> {
  const runs = await writer.listRuns(thread);
  await writer.deleteByRun(thread, runs.reduce((a, b) => (b.event_count > a.event_count ? b : a)).run_id);
}

/** A store opened anew on the sidecar, listed once. */
async function laterOpen(file: string, sidecar: string): Promise<number> {
  const { store } = keeping(file, sidecar);
  try {
    return (await timed(() => store.listThreads())).ms;
  } finally {
    await store.close();
  }
}

async function writeFigures(writable: string, label: string, folder: string): Promise<void> {
  const copy = path.join(folder, 'copy.db');
  log(`  copying ${path.relative(process.cwd(), writable)} for the write figures …`);
  fs.copyFileSync(writable, copy);
  const sidecar = path.join(folder, 'copy-sidecar.sqlite');
  const writer = openSqliteStore(copy, { create: false });
  const { store, work } = keeping(copy, sidecar);
  try {
    const thread = await biggestThread(writer);
    await store.listThreads();
    const times = { appendedHere: [] as number[], appendedLater: [] as number[], deletedHere: [] as number[], deletedLater: [] as number[], deletedNamed: [] as number[] };
    let appendWork: SummaryWork | undefined;
    let deleteWork: SummaryWork | undefined;
    let namedWork: SummaryWork | undefined;
    for (let round = 0; round < WRITE_ROUNDS; round++) {
      await append(writer, thread, APPENDED);
      times.appendedHere.push((await timed(() => store.listThreads())).ms);
      appendWork = work.at(-1);
      await append(writer, thread, APPENDED);
      times.appendedLater.push(await laterOpen(copy, sidecar));

      await deleteBiggestRun(writer, thread);
      times.deletedHere.push((await timed(() => store.listThreads())).ms);
      deleteWork = work.at(-1);
      await deleteBiggestRun(writer, thread);
      times.deletedLater.push(await laterOpen(copy, sidecar));

      // The app's own delete, or one the live follower saw: the thread is named.
      await deleteBiggestRun(writer, thread);
      store.expire([thread]);
      times.deletedNamed.push((await timed(() => store.listThreads())).ms);
      namedWork = work.at(-1);
    }
    const appended = `${APPENDED.toLocaleString('en-US')} events appended to the biggest thread`;
    const deleted = "the biggest thread's biggest run deleted";
    const name = (what: string, where: string) => `listThreads after ${what} by another connection, ${where}, ${label} (median of ${WRITE_ROUNDS})`;
    record({ name: name(appended, 'in the session'), value: median(times.appendedHere), unit: 'ms', target: TARGET, note: describeWork(appendWork) });
    record({ name: name(appended, 'at a later open'), value: median(times.appendedLater), unit: 'ms', target: TARGET });
    record({ name: name(deleted, 'in the session'), value: median(times.deletedHere), unit: 'ms', target: TARGET, note: describeWork(deleteWork) });
    record({ name: name(deleted, 'at a later open'), value: median(times.deletedLater), unit: 'ms', target: TARGET });
    record({
      name: `listThreads after ${deleted}, the thread named (the app's delete, the live follower's word), in the session, ${label} (median of ${WRITE_ROUNDS})`,
      value: median(times.deletedNamed),
      unit: 'ms',
      target: TARGET,
      note: describeWork(namedWork),
    });
  } finally {
    await store.close();
    await writer.close();
  }
}

/** `file`'s read figures, and the write figures on a copy of `writable` (`file` itself when small enough to copy). */
export async function benchSummary(file: string, totalEvents: number, writable: { file: string; events: number }): Promise<void> {
  log('kept thread list (src-main/store/sqlite/kept-threads.ts)');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-bench-summary-'));
  try {
    await readFigures(file, `${totalEvents.toLocaleString('en-US')}-event store`, path.join(folder, 'sidecar.sqlite'));
    await writeFigures(writable.file, `copy of the ${writable.events.toLocaleString('en-US')}-event store`, folder);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
