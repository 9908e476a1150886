// The page of the main-thread part (main-thread-part.ts), in a worker thread
// of its own so that nothing it does runs on the main thread being measured:
// it asks, as the page does, one request at a time, for the slow reads of a
// big store, each cold, over browser mode's HTTP (fetch, as the page's
// http-api.ts) or over the desktop app's IPC (main's replies come serialised
// as Electron's structured clone makes them, and are taken in as the preload
// does, src-shared/ipc-reply.ts). It tells main which read it is waiting for,
// and how long each took and how long taking its answer in took here.
import v8 from 'node:v8';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { RunSummary, ThreadSummary } from '../src-shared/types.ts';
import { browserProtocol, contract, type MethodName } from '../src-shared/contract.ts';
import { ipcPieceChannel, resultOf, type IpcPieceReply, type IpcReply } from '../src-shared/ipc-reply.ts';

/** The page's strip asks for this many buckets (src-renderer/messages/overview-strip.ts OVERVIEW_BUCKETS). */
const OVERVIEW_BUCKETS = 1_000;

export type PageSpec = { kind: 'http'; origin: string; token: string } | { kind: 'ipc'; port: MessagePort };

/** What main's side of the IPC stand-in is asked: a channel's handler called with these arguments. */
export interface IpcRequest {
  id: number;
  channel: string;
  args: unknown[];
}

/** Its reply, v8-serialised on main as Electron's structured clone does it there. */
export interface IpcResponse {
  id: number;
  reply: Uint8Array;
}

export type PageReport =
  | { type: 'reading'; read: string }
  | { type: 'read'; read: string; ms: number; takeInMs: number }
  | { type: 'done' }
  | { type: 'failed'; message: string };

/** A method's result, and the time taken here to take it in (parse, deserialise), not waiting. */
type Call = (method: MethodName, params: object) => Promise<{ value: unknown; takeInMs: number }>;

function httpCalls(origin: string, token: string): Call {
  return async (method, params) => {
    const response = await fetch(`${origin}${browserProtocol.apiPrefix}${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(params),
    });
    const body = await response.arrayBuffer();
    const started = performance.now();
    const parsed = JSON.parse(new TextDecoder().decode(body)) as { result?: unknown; error?: { message: string } };
    const takeInMs = performance.now() - started;
    if (!response.ok) throw new Error(`${method}: ${response.status} ${parsed.error?.message}`);
    return { value: parsed.result, takeInMs };
  };
}

function ipcCalls(port: MessagePort): Call {
  const waiting = new Map<number, (reply: Uint8Array) => void>();
  let nextId = 1;
  port.on('message', ({ id, reply }: IpcResponse) => {
    waiting.get(id)?.(reply);
    waiting.delete(id);
  });
  return async (method, params) => {
    let takeInMs = 0;
    const invoke = async <Reply>(channel: string, ...args: unknown[]): Promise<Reply> => {
      const id = nextId++;
      const serialised = await new Promise<Uint8Array>((resolve) => {
        waiting.set(id, resolve);
        port.postMessage({ id, channel, args } satisfies IpcRequest);
      });
      const started = performance.now();
      const reply = v8.deserialize(serialised) as Reply;
      takeInMs += performance.now() - started;
      return reply;
    };
    const reply = await invoke<IpcReply>(contract[method].channel, params);
    let waited = 0;
    const started = performance.now();
    const value = await resultOf(reply, async (answer, index) => {
      const asked = performance.now();
      const piece = await invoke<IpcPieceReply>(ipcPieceChannel, answer, index);
      waited += performance.now() - asked;
      return piece;
    });
    // The pieces' waits are not the page's work; their deserialising is, and was counted.
    return { value, takeInMs: takeInMs + performance.now() - started - waited };
  };
}

async function readAsThePageDoes(call: Call, report: (message: PageReport) => void): Promise<void> {
  const read = async <T>(name: string, method: MethodName, params: object): Promise<T> => {
    report({ type: 'reading', read: name });
    const started = performance.now();
    const { value, takeInMs } = await call(method, params);
    report({ type: 'read', read: name, ms: performance.now() - started, takeInMs });
    return value as T;
  };
  const threads = await read<ThreadSummary[]>('listThreads', 'listThreads', {});
  const big = threads.reduce((a, b) => (b.event_count > a.event_count ? b : a));
  const threadId = big.thread_id;
  const runs = await read<RunSummary[]>(`listRuns (${big.run_count.toLocaleString('en-US')} runs)`, 'listRuns', { threadId });
  await read('eventCounts', 'eventCounts', { threadId });
  await read('threadOverview (kept marks)', 'threadOverview', { threadId, buckets: OVERVIEW_BUCKETS, marks: 'kept' });
  await read('threadOverview', 'threadOverview', { threadId, buckets: OVERVIEW_BUCKETS });
  const longest = runs.reduce((a, b) => (b.event_count > a.event_count ? b : a));
  await read(`runSummary (${longest.event_count.toLocaleString('en-US')} events)`, 'runSummary', { threadId, runId: longest.run_id });
}

// Started before main's measurement begins (a thread's start costs main a few ms): it reads once told how to reach main.
if (parentPort && (workerData as { page?: boolean } | undefined)?.page) {
  const out = parentPort;
  const report = (message: PageReport) => out.postMessage(message);
  out.once('message', (spec: PageSpec) => {
    const call = spec.kind === 'http' ? httpCalls(spec.origin, spec.token) : ipcCalls(spec.port);
    readAsThePageDoes(call, report).then(
      () => report({ type: 'done' }),
      (error: unknown) => report({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
}
