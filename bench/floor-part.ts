// The read path at the floor (issue 14, rows 1–3): `npm run bench -- --only floor`.
// On the generated store (only read): 50-message pages at the start, middle
// and end of the big thread and a 16-event run's events, answered
//  - by `run-inspector rpc` in a child process, as a user's script talks to
//    it: one request at a time (from writing the line to reading the whole
//    answer line), once V8 has optimised the process's path and over its
//    first rounds (and, where taskset is, a run's events with the two
//    processes placed on one CPU and on two), and pipelined (a batch written
//    at once, total / N). The
//    child is `node src-main/cli/cli.ts rpc`: the package's bin starts the
//    same CLI (built) with the script's pipes inherited, so once started its
//    round trip is this one;
//  - by a plain python3 + sqlite3 script in-process, decoding as DeerFlow's
//    reader does and json.dumps-ing the list (bench/python/rpc_anchor.py);
//  - by the store in-process, and by raw better-sqlite3 rows decoded the same
//    way (JSON.parse of metadata and marked content, created_at as ISO).
// The figures are ratios measured in one run.
import { execFileSync, spawn } from 'node:child_process';
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
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

/** `run-inspector rpc DATABASE` as a script spawns it, talked to through its pipes; on CPU `cpu` when one is given (taskset). */
function spawnRpcServer(file: string, cpu?: number) {
  const command = [process.execPath, CLI, 'rpc', file];
  const [program, ...args] = cpu === undefined ? command : ['taskset', '-c', String(cpu), ...command];
  const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  // Only the last answer is kept (to check it): a client that kept them all would time its own memory.
  let lastLine: Buffer[] = [];
  let lines = 0;
  let wanted = 0;
  let arrived: ((last: string) => void) | null = null;
  child.stdout.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
      if (++lines === wanted && arrived) {
        const last = Buffer.concat([...lastLine, chunk.subarray(start, end)]).toString('utf8');
        arrived(last);
        arrived = null;
      }
      lastLine = [];
      start = end + 1;
    }
    if (start < chunk.length) lastLine.push(chunk.subarray(start));
  });
  let id = 0;
  /** Writes the requests in one write; resolves with the last answer line once every answer has arrived. */
  const send = (requests: Request[]): Promise<string> => {
    lines = 0;
    wanted = requests.length;
    const text = requests.map((r) => `{"jsonrpc":"2.0","id":${++id},"method":"${r.method}","params":${JSON.stringify(r.params)}}\n`).join('');
    return new Promise((resolve) => {
      arrived = resolve;
      child.stdin.write(text);
    });
  };
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { send, close: () => (child.stdin.end(), exited) };
}

const resultLength = (line: string) => {
  const answer = JSON.parse(line) as { result?: unknown[]; error?: { message: string } };
  if (!answer.result) throw new Error(`rpc answered an error: ${answer.error?.message}`);
  return answer.result.length;
};

interface RpcTimings {
  single: number;
  /** The same, over the process's first FIRST_ROUNDS rounds. */
  first: number;
  pipelined: number;
  rows: number;
}

async function rpcTimings(file: string, requests: Record<string, Request>, cpu?: number): Promise<Record<string, RpcTimings>> {
  const rpc = spawnRpcServer(file, cpu);
  const kinds = Object.entries(requests);
  try {
    // Rounds of one request of each kind, so the machine's load moves every kind's figure alike.
    const first = new Map<string, number[]>(kinds.map(([name]) => [name, []]));
    for (let round = 0; round < WARM_UP_ROUNDS; round++) {
      for (const [name, request] of kinds) {
        const started = performance.now();
        await rpc.send([request]);
        if (round < FIRST_ROUNDS) first.get(name)!.push(performance.now() - started);
      }
    }
    const single = new Map<string, number[]>(kinds.map(([name]) => [name, []]));
    const last = new Map<string, string>();
    for (let round = 0; round < REPEATS; round++) {
      for (const [name, request] of kinds) {
        const started = performance.now();
        last.set(name, await rpc.send([request]));
        single.get(name)!.push(performance.now() - started);
      }
    }
    const timings: Record<string, RpcTimings> = {};
    for (const [name, request] of kinds) {
      const batch = Array<Request>(PIPELINED).fill(request);
      const pipelined: number[] = [];
      for (let i = 0; i < REPEATS / 10; i++) {
        const started = performance.now();
        await rpc.send(batch);
        pipelined.push((performance.now() - started) / batch.length);
      }
      timings[name] = { single: median(single.get(name)!), first: median(first.get(name)!), pipelined: median(pipelined), rows: resultLength(last.get(name)!) };
    }
    return timings;
  } finally {
    const code = await rpc.close();
    if (code !== 0) log(`  rpc exited ${code}`);
  }
}

/** Linux's taskset with `args`, its output; null where there is none. */
function taskset(args: string[]): string | null {
  try {
    return execFileSync('taskset', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

/**
 * The one-at-a-time round trip of `request` with this process (the script) on CPU 0 and the rpc
 * process on `rpcCpu`, then this process's CPUs as they were; null without taskset. On a VM a
 * wake-up across CPUs costs tens of µs each way and the woken CPU runs the request colder, so
 * where the scheduler puts the two moves the figure most.
 */
async function placedRoundTrip(file: string, request: Request, rpcCpu: number): Promise<number | null> {
  const mask = /mask: ([0-9a-f]+)/.exec(taskset(['-p', String(process.pid)]) ?? '')?.[1];
  if (mask === undefined) return null;
  taskset(['-a', '-p', '-c', '0', String(process.pid)]);
  try {
    return (await rpcTimings(file, { request }, rpcCpu)).request.single;
  } finally {
    taskset(['-a', '-p', mask, String(process.pid)]);
  }
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
    const placed = os.availableParallelism() < 2 ? [] : [await placedRoundTrip(file, requests.run, 0), await placedRoundTrip(file, requests.run, 1)];
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
      if (ms === null) return;
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
