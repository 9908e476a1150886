// Electron IPC: every method the desktop page may call (contract.ts
// `desktopPageApi`) on its channel, through the same dispatch as the other
// transports; writes of events and methods that take a path the page would
// type (browser mode's) have no channel at all. Typed against the one method it uses, so it
// is tested with a fake and never imports electron.
import { contract, desktopPageApi, type Handlers } from '../../src-shared/contract.ts';
import type { IpcReply } from '../../src-shared/ipc-reply.ts';
import { asStoreError } from '../as-store-error.ts';
import { dispatch } from '../handlers/handlers.ts';

export interface IpcMainLike<Event> {
  handle(channel: string, listener: (event: Event, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface IpcOptions<Event> {
  /** True only for the app's own top frame (src-main/electron supplies it); every other caller is refused. */
  isAllowedSender: (event: Event) => boolean;
}

/**
 * Registers `ipcMain.handle(channel)` for every desktop page method; returns the
 * unregister function. A call resolves with an IpcReply, its error's code
 * kept (Electron would pass a thrown error's message only); a caller that is
 * not the app's page gets a thrown refusal and nothing else.
 */
export function registerIpcHandlers<Event>(ipcMain: IpcMainLike<Event>, handlers: Handlers, { isAllowedSender }: IpcOptions<Event>): () => void {
  for (const method of desktopPageApi) {
    ipcMain.handle(contract[method].channel, async (event, params): Promise<IpcReply> => {
      if (!isAllowedSender(event)) throw new Error(`${contract[method].channel}: refused, the call does not come from the app's own page`);
      try {
        return { ok: true, result: await dispatch(handlers, method, params, desktopPageApi) };
      } catch (error) {
        const { code, message } = asStoreError(error);
        return { ok: false, error: { code, message } };
      }
    });
  }
  return () => {
    for (const method of desktopPageApi) ipcMain.removeHandler(contract[method].channel);
  };
}
