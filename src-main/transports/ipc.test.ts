import { describe, expect, it } from 'vitest';
import { browserPageApi, contract, desktopPageApi } from '../../src-shared/contract.ts';
import { StoreError } from '../../src-shared/errors.ts';
import { invokeFailure, resultOf, type IpcReply } from '../../src-shared/ipc-reply.ts';
import { describeHandlerCases, type CallFailure } from '../../test/support/handler-cases.suite.ts';
import { createHandlers } from '../handlers/handlers.ts';
import { memorySession } from '../../test/support/test-session.ts';
import { registerIpcHandlers, type IpcMainLike } from './ipc.ts';

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
  async invoke(channel: string, params: unknown, senderUrl = 'app://run-inspector/index.html'): Promise<unknown> {
    const listener = this.listeners.get(channel);
    if (!listener) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    try {
      return structuredClone(await listener({ senderUrl }, structuredClone(params)));
    } catch (error) {
      throw new Error(`Error invoking remote method '${channel}': ${String(error)}`);
    }
  }
}

const isAllowedSender = (event: FakeEvent) => event.senderUrl.startsWith('app://run-inspector/');

/** What the preload does with a call (src-main/preload.ts). */
async function preloadCall(ipc: FakeIpcMain, channel: string, params: unknown): Promise<unknown> {
  let reply: IpcReply;
  try {
    reply = (await ipc.invoke(channel, params)) as IpcReply;
  } catch (error) {
    throw invokeFailure(error);
  }
  return resultOf(reply);
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
    expect(resultOf({ ok: true, result: [1] })).toEqual([1]);
    const error = (() => {
      try {
        resultOf({ ok: false, error: { code: 'READ_ONLY', message: 'x.jsonl is open read-only' } });
      } catch (thrown) {
        return thrown as StoreError;
      }
    })();
    expect(error).toBeInstanceOf(StoreError);
    expect([error?.code, error?.message]).toEqual(['READ_ONLY', 'x.jsonl is open read-only']);
    const refused = new Error("Error invoking remote method 'threads:list': Error: threads:list: refused, the call does not come from the app's own page");
    expect(invokeFailure(refused).message).toBe("threads:list: refused, the call does not come from the app's own page");
  });
});

describe('ipc registration', () => {
  it('registers one channel per desktop page method (desktopPageApi: no writes of events, no typed paths) and removes them all', async () => {
    const session = await memorySession();
    const ipc = new FakeIpcMain();
    const unregister = registerIpcHandlers(ipc, createHandlers(session), { isAllowedSender });
    expect([...ipc.listeners.keys()].sort()).toEqual(desktopPageApi.map((m) => contract[m].channel).sort());
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
    await expect(ipc.invoke('events:deleteByThread', { threadId: 't' }, 'https://evil.example/')).rejects.toThrow(/refused/);
    expect(await session.store.countMessages('t')).toBe(1);
    await session.close();
  });
});
