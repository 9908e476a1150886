// The read path at the floor (issue 14, rows 1–3): `npm run bench -- --only floor`.
// On the generated store (only read): 50-message pages at the start, middle
// and end of the big thread and a 16-event run's events, answered
//  - by `run-inspector rpc` to a python3 script talking to it through its
//    pipes (bench/python/rpc_client.py), as a user's script does: one request
//    at a time (from writing the line to reading the whole answer line), once
//    V8 has optimised the rpc process's path and over its first rounds (and,
//    where taskset is, a run's events with the two processes placed on one
//    CPU and on two), and pipelined (a batch written at once, total / N). The
//    rpc process is `node src-main/cli/cli.ts rpc`: the package's bin starts
//    the same CLI (built) with the script's pipes inherited, so once started
//    its round trip is this one;
//  - by a plain python3 + sqlite3 script in-process, decoding as DeerFlow's
//    reader does and json.dumps-ing the list (bench/python/rpc_anchor.py);
//  - by the store in-process, and by raw better-sqlite3 rows decoded the same
//    way (JSON.parse of metadata and marked content, created_at as ISO).
// The figures are ratios measured in one run.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type GenerateOptions, planThreads } from '../src-main/generator/generate.ts';
import type { EventParams } from '../src-main/store/sqlite/rows.ts';
import { openSqliteStore } from '../src-main/store/sqlite/sqlite-store.ts';
import { log, record } from './figures.ts';
import { runPythonAnchor } from './python-anchor.ts';

type Timed = (work: () => unknown, repeats: number) => Promise<number>;

const REPEATS = 300;
/**
 * Rounds before anything is timed, enough for V8 to optimise the rpc process's whole path: what a
 * request runs once (the line's parse, dispatch, each kind's own handler and statement, the
 * stream's write) is compiled by TurboFan after some thousands of calls, and until then a 16-event
 * run's round trip is half as long again (it falls until ~3,000 requests of a kind, then stays).
 */
const WARM_UP_ROUNDS = 3000;
/** The first rounds of the warm-up, timed too: what a short script gets from a process just started. */
const FIRST_ROUNDS = 250;
/** Requests written at once for the pipelined figure, a median of REPEATS / 10 such batches. */
const PIPELINED = 50;
const CLI = path.join(import.meta.dirname, '..', 'src-main', 'cli', 'cli.ts');
const SELECTED = 'thread_id, run_id, user_id, event_type, category, content, event_metadata, seq, created_at';
const RUN_EVENTS = 16;

interface Request {
  method: 'listMessages' | 'listEvents';
  params: { threadId: string; runId?: string; limit?: number; afterSeq?: number; beforeSeq?: number };
}

/** The floor: a row decoded as DeerFlow's reader does, with nothing else done. */
function decodeRaw(row: EventParams) {
  const metadata = JSON.parse(row.event_metadata) as Record<string, unknown>;
  const content: unknown = metadata.content_is_json || metadata.content_is_dict ? JSON.parse(row.content) : row.content;
  const created_at = `${row.created_at.slice(0, 10)}T${row.created_at.slice(11)}+00:00`;
  return { thread_id: row.thread_id, run_id: row.run_id, event_type: row.event_type, category: row.category, content, metadata, seq: row.seq, created_at, user_id: row.user_id };
}

/** Raw better-sqlite3 with DeerFlow's queries (the planner picks the same indexes for them), prepared once. */
function rawReader(db: Database.Database) {
  const statement = (where: string, order: 'ASC' | 'DESC') =>
    db.prepare<unknown[], EventParams>(`SELECT ${SELECTED} FROM run_events WHERE ${where} ORDER BY seq ${order} LIMIT ?`);
  const after = statement("thread_id = ? AND category = 'message' AND seq > ?", 'ASC');
  const before = statement("thread_id = ? AND category = 'message' AND seq < ?", 'DESC');
  const latest = statement("thread_id = ? AND category = 'message'", 'DESC');
  const events = statement('thread_id = ? AND run_id = ? AND seq > ?', 'ASC');
  return ({ method, params: p }: Request) => {
    if (method === 'listEvents') return events.all(p.threadId, p.runId, p.afterSeq ?? 0, p.limit ?? 500).map(decodeRaw);
    const limit = p.limit ?? 50;
    if (p.afterSeq !== undefined) return after.all(p.threadId, p.afterSeq, limit).map(decodeRaw);
    const rows = p.beforeSeq !== undefined ? before.all(p.threadId, p.beforeSeq, limit) : latest.all(p.threadId, limit);
    return rows.reverse().map(decodeRaw);
  };
}

/** `run-inspector rpc DATABASE` as a script starts it, on CPU `cpu` when one is given (taskset). */
function rpcCommand(file: string, cpu?: number): string[] {
  const command = [process.execPath, CLI, 'rpc', file];
  return cpu === undefined ? command : ['taskset', '-c', String(cpu), ...command];
}

interface RpcTimings {
  single: number;
  /** The same, over the process's first FIRST_ROUNDS rounds. */
  first: number;
  pipelined: number;
  rows: number;
}

/**
 * The rpc figures as a python script talking to `run-inspector rpc` through its pipes measures
 * them (bench/python/rpc_client.py): the anchor is that script answering in-process, so the two
 * sides differ only in who answers. On `cpus` (the script's, then rpc's) when given.
 */
function rpcTimings(file: string, requests: Record<string, Request>, cpus?: [number, number]): Promise<Record<string, RpcTimings>> {
  const counts = [WARM_UP_ROUNDS, FIRST_ROUNDS, REPEATS, PIPELINED].map(String);
  const args = [JSON.stringify(requests), ...counts, '--', ...rpcCommand(file, cpus?.[1])];
  return runPythonAnchor<Record<string, RpcTimings>>('rpc_client.py', args, cpus === undefined ? undefined : { cpu: cpus[0] });
}

/** Whether Linux's taskset is here to place processes on CPUs. */
function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The one-at-a-time round trip of `request` with the script on CPU 0 and the rpc process on
 * `rpcCpu`. On a VM a wake-up across CPUs costs tens of µs each way and the woken CPU runs the
 * request colder, so where the scheduler puts the two moves the figure most.
 */
async function placedRoundTrip(file: string, request: Request, rpcCpu: number): Promise<number> {
  return (await rpcTimings(file, { request }, [0, rpcCpu])).request.single;
}

/** The big thread's first run of exactly RUN_EVENTS events. */
function runOfSixteen(db: Database.Database, threadId: string): string {
  const run = db
    .prepare<[string, number], string>('SELECT run_id FROM run_events WHERE thread_id = ? GROUP BY run_id HAVING count(*) = ? ORDER BY min(seq) LIMIT 1')
    .pluck()
    .get(threadId, RUN_EVENTS);
  if (!run) throw new Error(`the thread has no run of ${RUN_EVENTS} events`);
  return run;
}

export async function benchFloor(file: string, options: GenerateOptions, medianMs: Timed): Promise<void> {
  log('read path at the floor: rpc and in-process against python3 + sqlite3 and raw better-sqlite3');
  const big = planThreads(options)[0];
  const bigEvents = options.bigThreadEvents ?? big.events;
  const raw = new Database(file, { readonly: true });
  const store = openSqliteStore(file, { create: false, readOnly: true });
  try {
    const threadId = big.thread_id;
    const pages: Record<string, Request> = {
      start: { method: 'listMessages', params: { threadId, afterSeq: 0, limit: 50 } },
      middle: { method: 'listMessages', params: { threadId, beforeSeq: Math.floor(bigEvents / 2), limit: 50 } },
      end: { method: 'listMessages', params: { threadId, limit: 50 } },
    };
    const requests: Record<string, Request> = { ...pages, run: { method: 'listEvents', params: { threadId, runId: runOfSixteen(raw, threadId) } } };
    const where = (name: string) => (name === 'run' ? `a ${RUN_EVENTS}-event run's events (listEvents)` : `50-message page, ${name} of the ${bigEvents.toLocaleString('en-US')}-event thread`);

    type Anchor = Record<string, number> & { rows: Record<string, number> };
    const anchorArgs = [file, JSON.stringify(requests), String(REPEATS)];
    const before = await runPythonAnchor<Anchor>('rpc_anchor.py', anchorArgs);
    const rpc = await rpcTimings(file, requests);
    const placed = os.availableParallelism() < 2 || !hasTaskset() ? [] : [await placedRoundTrip(file, requests.run, 0), await placedRoundTrip(file, requests.run, 1)];
    // Python again after the rpc figures, its better median kept: the machine's load moves both.
    const after = await runPythonAnchor<Anchor>('rpc_anchor.py', anchorArgs);
    for (const name of Object.keys(requests)) {
      const python = Math.min(before[name], after[name]);
      const rows = rpc[name].rows === before.rows[name] ? '' : `; rpc had ${rpc[name].rows} records, python ${before.rows[name]}`;
      record({
        name: `rpc round trip, one request at a time, ${where(name)} vs python3 in-process (median)`,
        value: rpc[name].single / python,
        unit: '×',
        target: { atMost: 1 },
        note: `${rpc[name].single.toFixed(3)} vs ${python.toFixed(3)} ms${rows}`,
      });
      record({
        name: `rpc round trip, one request at a time, the process's first ${FIRST_ROUNDS} of each kind (V8 still optimising it), ${where(name)} vs python3 in-process (median)`,
        value: rpc[name].first / python,
        unit: '×',
        note: `${rpc[name].first.toFixed(3)} vs ${python.toFixed(3)} ms`,
      });
      record({
        name: `rpc pipelined (${PIPELINED} written at once, per request, median of ${REPEATS / 10}), ${where(name)} vs python3 in-process`,
        value: rpc[name].pipelined / python,
        unit: '×',
        note: `${rpc[name].pipelined.toFixed(3)} vs ${python.toFixed(3)} ms`,
      });
    }

    const python = Math.min(before.run, after.run);
    placed.forEach((ms, rpcCpu) => {
      record({
        name: `rpc round trip, one request at a time, ${where('run')}, the script and the rpc process on ${rpcCpu === 0 ? 'one CPU' : 'two CPUs'} (taskset) vs python3 in-process (median)`,
        value: ms / python,
        unit: '×',
        note: `${ms.toFixed(3)} vs ${python.toFixed(3)} ms`,
      });
    });

    const floor = rawReader(raw);
    for (const [name, request] of Object.entries(requests)) {
      const { threadId: thread, runId, ...cursors } = request.params;
      const read = request.method === 'listEvents' ? () => store.listEvents(thread, runId!, cursors) : () => store.listMessages(thread, cursors);
      const got = await read();
      const expected = floor(request);
      const app = await medianMs(read, REPEATS);
      const rawMs = await medianMs(() => floor(request), REPEATS);
      record({
        name: `${request.method} in-process vs raw better-sqlite3 rows decoded the same way, ${where(name)} (median)`,
        value: app / rawMs,
        unit: '×',
        target: request.method === 'listMessages' ? { atMost: 1.3 } : undefined,
        note: `${app.toFixed(3)} vs ${rawMs.toFixed(3)} ms${got.length === expected.length ? '' : `; ${got.length} vs ${expected.length} records`}`,
      });
    }
  } finally {
    await store.close();
    raw.close();
  }
}
