import { describe, expect, it } from 'vitest';
import { contract, methodNames } from '../../src-shared/contract.ts';
import { StoreError } from '../../src-shared/errors.ts';
import { describeHandlerCases, type CallFailure } from '../handlers/handler-cases.suite.ts';
import { createHandlers } from '../handlers/handlers.ts';
import { memorySession } from '../handlers/test-session.ts';
import { registerIpcHandlers, type IpcMainLike } from './ipc.ts';

interface FakeEvent {
  senderUrl: string;
}
type Listener = (event: FakeEvent, ...args: unknown[]) => unknown;

/** ipcMain's handle/invoke pair without Electron: invoke runs the listener as Electron would. */
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
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return listener({ senderUrl }, params);
  }
}

const isAllowedSender = (event: FakeEvent) => event.senderUrl.startsWith('app://run-inspector/');

describeHandlerCases('ipc', 'electron', async () => {
  const session = await memorySession();
  const ipc = new FakeIpcMain();
  registerIpcHandlers(ipc, createHandlers(session), { isAllowedSender });
  return {
    call: (method, params) =>
      ipc.invoke(contract[method as keyof typeof contract].channel, params).catch((error: StoreError) => {
        throw { code: error.code, message: error.message } satisfies CallFailure;
      }),
    close: () => session.close(),
  };
}, { callsByName: false });

describe('ipc registration', () => {
  it('registers one channel per contract method and removes them all', async () => {
    const session = await memorySession();
    const ipc = new FakeIpcMain();
    const unregister = registerIpcHandlers(ipc, createHandlers(session), { isAllowedSender });
    expect([...ipc.listeners.keys()].sort()).toEqual(methodNames.map((m) => contract[m].channel).sort());
    unregister();
    expect(ipc.listeners.size).toBe(0);
    await session.close();
  });

  it('refuses a call from any other frame before it reaches a handler', async () => {
    const session = await memorySession();
    const ipc = new FakeIpcMain();
    registerIpcHandlers(ipc, createHandlers(session), { isAllowedSender });
    const event = { thread_id: 't', run_id: 'r', event_type: 'x', category: 'message' };
    await expect(ipc.invoke('events:put', { event }, 'https://evil.example/')).rejects.toThrow(/refused/);
    expect(await session.store.listThreads()).toEqual([]);
    await session.close();
  });
});
