// The page's only door to main (window.runInspector): one named function per
// method the desktop page may call (contract.ts `desktopPageApi`: no writes of
// events, no path the page names), each bound to its own channel, push
// subscriptions limited to the push channels. A drop passes the File itself:
// its path is asked of Electron here, so page code never supplies a path
// string. No generic invoke, no ipcRenderer, nothing else crosses the bridge.
// Bundled into one CommonJS file (electron.vite.config.ts): a sandboxed
// preload can require only 'electron'.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  contract,
  desktopPageApi,
  pushChannels,
  type DesktopBridge,
  type DesktopPageMethodName,
  type DropOutcome,
  type PushChannel,
  type PushListener,
} from '../src-shared/contract.ts';
import { invokeFailure, ipcPieceChannel, resultOf, type IpcPieceReply, type IpcReply } from '../src-shared/ipc-reply.ts';

async function invokeChannel<Reply>(channel: string, ...args: unknown[]): Promise<Reply> {
  try {
    return (await ipcRenderer.invoke(channel, ...args)) as Reply;
  } catch (error) {
    throw invokeFailure(error);
  }
}

/** A long result comes in pieces, asked for here one by one and parsed here: the page gets the objects. */
async function invoke(method: DesktopPageMethodName, params: unknown): Promise<unknown> {
  const reply = await invokeChannel<IpcReply>(contract[method].channel, params);
  return resultOf(reply, (answer, index) => invokeChannel<IpcPieceReply>(ipcPieceChannel, answer, index));
}

function invoker(method: DesktopPageMethodName) {
  // A named function per method: the page sees `listThreads`, not an anonymous proxy.
  const call = { [method]: (params: unknown) => invoke(method, params) }[method];
  return [method, call] as const;
}

async function openDropped(file: File): Promise<DropOutcome> {
  // Electron answers '' for a File that is not on disk (one the page made up).
  const path = webUtils.getPathForFile(file);
  if (path === '') throw new Error('openDropped: the dropped item is not a file or folder on this computer');
  return (await invoke('openDropped', { path })) as DropOutcome;
}

function onPush<C extends PushChannel>(channel: C, listener: PushListener<C>): () => void {
  if (!pushChannels.includes(channel)) throw new Error(`onPush: unknown push channel ${String(channel)}`);
  // The event (with its sender) stays on this side; the page gets the message only.
  const forward = (_event: IpcRendererEvent, message: Parameters<PushListener<C>>[0]) => listener(message);
  ipcRenderer.on(channel, forward);
  return () => {
    ipcRenderer.removeListener(channel, forward);
  };
}

const bridge = {
  ...(Object.fromEntries(desktopPageApi.map(invoker)) as unknown as Omit<DesktopBridge, 'openDropped' | 'onPush'>),
  openDropped,
  onPush,
} satisfies DesktopBridge;

contextBridge.exposeInMainWorld('runInspector', bridge);
