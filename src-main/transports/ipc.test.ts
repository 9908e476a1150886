import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserPageApi, contract, desktopPageApi, type Handlers } from '../../src-shared/contract.ts';
import { StoreError } from '../../src-shared/errors.ts';
import { invokeFailure, ipcPieceChannel, resultOf, type IpcPieceReply, type IpcReply } from '../../src-shared/ipc-reply.ts';
import { SerializedResult } from '../../src-shared/serialized-result.ts';
import { describeHandlerCases, type CallFailure } from '../../test/support/handler-cases.suite.ts';
import { workerReads, workerSession } from '../../test/support/worker-session.ts';
import { createHandlers } from '../handlers/handlers.ts';
import { memorySession } from '../../test/support/test-session.ts';
import { registerIpcHandlers, type IpcMainLike, type IpcOptions } from './ipc.ts';

interface FakeEvent {
  senderUrl: string;
}
type Listener = (event: FakeEvent, ...args: unknown[]) => unknown;

/**
 * ipcMain's handle/invoke pair without Electron, carrying what Electron
 * carries: params and result structured-cloned, and a thrown error reduced
 * to a new Error whose message is "Error invoking remote method '<channel>':
 * " and the error's toString() — its class and code do not cross.
 */
class FakeIpcMain implements IpcMainLike<FakeEvent> {
  readonly listeners = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.listeners.has(channel)) throw new Error(`second handler for ${channel}`);
    this.listeners.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.listeners.delete(channel);
  }
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    return this.invokeFrom('app://run-inspector/index.html', channel, ...args);
  }
  async invokeFrom(senderUrl: string, channel: string, ...args: unknown[]): Promise<unknown> {
    const listener = this.listeners.get(channel);
    if (!listener) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    try {
      return structuredClone(await listener({ senderUrl }, ...structuredClone(args)));
    } catch (error) {
      throw new Error(`Error invoking remote method '${channel}': ${String(error)}`);
    }
  }
}

const isAllowedSender = (event: FakeEvent) => event.senderUrl.startsWith('app://run-inspector/');

/** What the preload does with a call (src-main/preload.ts): the reply, its further pieces asked for one by one. */
async function preloadCall(ipc: FakeIpcMain, channel: string, params: unknown): Promise<unknown> {
  const invoke = async <Reply>(on: string, ...args: unknown[]): Promise<Reply> => {
    try {
      return (await ipc.invoke(on, ...args)) as Reply;
    } catch (error) {
      throw invokeFailure(error);
    }
  };
  const reply = await invoke<IpcReply>(channel, params);
  return resultOf(reply, (answer, index) => invoke<IpcPieceReply>(ipcPieceChannel, answer, index));
}

/** Registered on a fake ipcMain, with `handlers` (by default a memory session's). */
async function registered(options: Partial<IpcOptions<FakeEvent>> = {}, handlers?: (own: Handlers) => Handlers) {
  const session = await memorySession();
  const ipc = new FakeIpcMain();
  const own = createHandlers(session);
  const unregister = registerIpcHandlers(ipc, handlers?.(own) ?? own, { isAllowedSender, ...options });
  return { session, ipc, unregister };
}

describeHandlerCases('ipc', 'electron', async () => {
  const session = await memorySession();
  const ipc = new FakeIpcMain();
  registerIpcHandlers(ipc, createHandlers(session), { isAllowedSender });
  return {
    call: (method, params) =>
      preloadCall(ipc, contract[method as keyof typeof contract].channel, params).catch((error: unknown) => {
        // Only a StoreError the preload rebuilt from a reply has a code; anything else fails the case.
        if (!(error instanceof StoreError)) throw error;
        throw { code: error.code, message: error.message } satisfies CallFailure;
      }),
    seed: (events) => session.store.putBatch(events),
    close: () => session.close(),
  };
}, { callsByName: false, page: 'desktop' });

describe('ipc replies', () => {
  it('a failed call resolves with its code and message, which survive Electron\'s structured clone', async () => {
    const session = await memorySession();
    const ipc = new FakeIpcMain();
    registerIpcHandlers(ipc, createHandlers(session), { isAllowedSender });
    expect(await ipc.invoke('events:listMessages', { threadId: 't1', limit: 0 })).toEqual({
      ok: false,
      error: { code: 'BAD_ARGUMENT', message: expect.stringMatching(/^limit: /) },
    });
    expect(await ipc.invoke('events:countMessages', { threadId: 't1' })).toEqual({ ok: true, result: 0 });
    await session.close();
  });

  it('the preload turns a reply into its result or a StoreError with the code; Electron\'s wrapping off the rest', async () => {
    const noPieces = () => Promise.reject(new Error('no piece was asked for'));
    expect(await resultOf({ ok: true, result: [1] }, noPieces)).toEqual([1]);
    expect(await resultOf({ ok: true, json: new TextEncoder().encode('[1,"熊"]') }, noPieces)).toEqual([1, '熊']);
    const error = (await resultOf({ ok: false, error: { code: 'READ_ONLY', message: 'x.jsonl is open read-only' } }, noPieces).catch((thrown: unknown) => thrown)) as StoreError;
    expect(error).toBeInstanceOf(StoreError);
    expect([error?.code, error?.message]).toEqual(['READ_ONLY', 'x.jsonl is open read-only']);
    const refused = new Error("Error invoking remote method 'threads:list': Error: threads:list: refused, the call does not come from the app's own page");
    expect(invokeFailure(refused).message).toBe("threads:list: refused, the call does not come from the app's own page");
  });
});

describe('ipc registration', () => {
  it('registers one channel per desktop page method (desktopPageApi: no writes of events, no typed paths), and the pieces\' one, and removes them all', async () => {
    const { session, ipc, unregister } = await registered();
    expect([...ipc.listeners.keys()].sort()).toEqual([...desktopPageApi.map((m) => contract[m].channel), ipcPieceChannel].sort());
    for (const write of ['put', 'putBatch', 'putIfAbsent'] as const) expect(ipc.listeners.has(contract[write].channel), write).toBe(false);
    // Browser mode's typed paths: the desktop page could otherwise open, import from or export to anywhere.
    for (const typed of ['openSource', 'importJsonl', 'exportSource', 'completePath'] as const) {
      expect(browserPageApi, typed).toContain(typed);
      expect(ipc.listeners.has(contract[typed].channel), typed).toBe(false);
    }
    await expect(ipc.invoke(contract.exportSource.channel, { out: '/tmp/anywhere' })).rejects.toThrow(/No handler registered/);
    unregister();
    expect(ipc.listeners.size).toBe(0);
    await session.close();
  });

  it('refuses a call from any other frame before it reaches a handler', async () => {
    const session = await memorySession();
    const ipc = new FakeIpcMain();
    registerIpcHandlers(ipc, createHandlers(session), { isAllowedSender });
    await session.store.put({ thread_id: 't', run_id: 'r', event_type: 'x', category: 'message' });
    await expect(ipc.invokeFrom('https://evil.example/', 'events:deleteByThread', { threadId: 't' })).rejects.toThrow(/refused/);
    expect(await session.store.countMessages('t')).toBe(1);
    await session.close();
  });
});

describe('ipc answers the read worker serialised', () => {
  afterEach(() => vi.useRealTimers());

  const utf8 = new TextEncoder();
  /** A listRuns answered with these bytes, as the read worker answers it. */
  const answeredWith = (json: Uint8Array) => (own: Handlers): Handlers => ({ ...own, listRuns: async () => new SerializedResult(json) });
  const runsChannel = contract.listRuns.channel;
  const ids = Array.from({ length: 40 }, (_, i) => `熊猫-${i}`);
  const json = utf8.encode(JSON.stringify(ids));

  it("carries a worker's answer as its bytes, in pieces when long (characters cut between them), and the page gets the objects read in-process", async () => {
    const { session, readHere, close } = await workerSession('electron');
    const ipc = new FakeIpcMain();
    registerIpcHandlers(ipc, createHandlers(session), { isAllowedSender, pieceBytes: 50 });
    try {
      for (const read of workerReads) {
        const reply = (await ipc.invoke(contract[read.method].channel, read.params)) as IpcReply & { json: Uint8Array };
        expect(reply, read.method).toMatchObject({ ok: true, json: expect.any(Uint8Array) });
        // The worker's bytes are in shared memory, which Electron cannot clone: the reply has a copy.
        expect(reply.json.buffer, read.method).toBeInstanceOf(ArrayBuffer);
        expect(await preloadCall(ipc, contract[read.method].channel, read.params), read.method).toEqual(await readHere(read));
      }
      const threads = (await ipc.invoke(contract.listThreads.channel, {})) as IpcReply & { more?: { pieces: number } };
      expect(threads.more?.pieces).toBeGreaterThan(2);
    } finally {
      await close();
    }
  });

  it('gives a long answer in pieces of at most pieceBytes, each in a buffer of its own, asked for in turn; the last one ends what is kept', async () => {
    const { session, ipc } = await registered({ pieceBytes: 64 }, answeredWith(json));
    const first = (await ipc.invoke(runsChannel, { threadId: 't1' })) as { json: Uint8Array; more: { answer: number; pieces: number } };
    const { answer, pieces } = first.more;
    expect(pieces).toBe(Math.ceil(json.byteLength / 64));
    const all = [first.json];
    for (let index = 1; index < pieces; index++) {
      const piece = (await ipc.invoke(ipcPieceChannel, answer, index)) as IpcPieceReply & { ok: true };
      all.push(piece.json);
    }
    // A view of the whole answer would have carried the whole answer (a clone copies a view's entire buffer).
    for (const piece of all) expect([piece.byteLength, piece.buffer.byteLength]).toEqual([piece.byteLength, piece.byteLength]);
    expect(all.slice(0, -1).every((piece) => piece.byteLength === 64)).toBe(true);
    expect(Buffer.concat(all)).toEqual(Buffer.from(json));
    const gone = { ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('no such piece') } };
    expect(await ipc.invoke(ipcPieceChannel, answer, 1)).toEqual(gone);
    const next = (await ipc.invoke(runsChannel, { threadId: 't1' })) as { more: { answer: number } };
    for (const index of [0, pieces, 1.5, '1']) expect(await ipc.invoke(ipcPieceChannel, next.more.answer, index), String(index)).toEqual(gone);
    expect(await preloadCall(ipc, runsChannel, { threadId: 't1' })).toEqual(ids);
    await session.close();
  });

  it("gives pieces to the app's page only, and drops an answer whose pieces stop being asked for", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { session, ipc } = await registered({ pieceBytes: 64, piecesKeptMs: 1_000 }, answeredWith(json));
    const { more } = (await ipc.invoke(runsChannel, { threadId: 't1' })) as { more: { answer: number; pieces: number } };
    await expect(ipc.invokeFrom('https://evil.example/', ipcPieceChannel, more.answer, 1)).rejects.toThrow(/refused/);
    // Each piece asked for keeps the rest for another piecesKeptMs.
    vi.advanceTimersByTime(999);
    expect(await ipc.invoke(ipcPieceChannel, more.answer, 1)).toMatchObject({ ok: true });
    vi.advanceTimersByTime(999);
    expect(await ipc.invoke(ipcPieceChannel, more.answer, 2)).toMatchObject({ ok: true });
    vi.advanceTimersByTime(1_000);
    expect(await ipc.invoke(ipcPieceChannel, more.answer, 3)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await session.close();
  });

  it('sends an answer that fits one piece whole, in a buffer of its own: not a view of a bigger one, not shared memory', async () => {
    const bigger = new Uint8Array(100);
    bigger.set(json.subarray(0, 10), 0);
    const shared = new Uint8Array(new SharedArrayBuffer(10));
    shared.set(json.subarray(0, 10), 0);
    for (const bytes of [bigger.subarray(0, 10), shared]) {
      const { session, ipc } = await registered({ pieceBytes: 64 }, answeredWith(bytes));
      const reply = (await ipc.invoke(runsChannel, { threadId: 't1' })) as { json: Uint8Array; more?: unknown };
      expect(reply.more).toBeUndefined();
      expect(reply.json.buffer).toBeInstanceOf(ArrayBuffer);
      expect([reply.json.byteLength, reply.json.buffer.byteLength]).toEqual([10, 10]);
      expect(Buffer.from(reply.json)).toEqual(Buffer.from(json.subarray(0, 10)));
      await session.close();
    }
  });
});
