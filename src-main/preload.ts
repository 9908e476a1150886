// The page's only door to main (window.runInspector): one named function per
// method the page may call (contract.ts `pageApi`: no writes of events), each
// bound to its own channel, push subscriptions limited
// to the push channels, and the path of a dropped file. No generic invoke,
// no ipcRenderer, nothing else crosses the bridge. Bundled into one CommonJS
// file (electron.vite.config.ts): a sandboxed preload can require only 'electron'.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { contract, pageApi, pushChannels, type BridgeApi, type PageApi, type PageMethodName, type PushChannel, type PushListener } from '../src-shared/contract.ts';
import { invokeFailure, resultOf, type IpcReply } from '../src-shared/ipc-reply.ts';

function invoker(method: PageMethodName) {
  const channel = contract[method].channel;
  // A named function per method: the page sees `listThreads`, not an anonymous proxy.
  const call = {
    async [method](params: unknown) {
      let reply: IpcReply;
      try {
        reply = (await ipcRenderer.invoke(channel, params)) as IpcReply;
      } catch (error) {
        throw invokeFailure(error);
      }
      return resultOf(reply);
    },
  }[method];
  return [method, call] as const;
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
  ...(Object.fromEntries(pageApi.map(invoker)) as unknown as PageApi),
  onPush,
  pathForFile: (file: File) => webUtils.getPathForFile(file),
} satisfies BridgeApi;

contextBridge.exposeInMainWorld('runInspector', bridge);
