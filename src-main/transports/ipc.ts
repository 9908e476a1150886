// Electron IPC: every contract method on its channel, through the same
// dispatch as the other transports. Typed against the one method it uses, so
// it is tested with a fake and never imports electron.
import { contract, methodNames, type Handlers } from '../../src-shared/contract.ts';
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
 * Registers `ipcMain.handle(channel)` for every method; returns the
 * unregister function. Electron passes only an error's message to the
 * renderer, so errors are thrown as they are (the message names the field).
 */
export function registerIpcHandlers<Event>(ipcMain: IpcMainLike<Event>, handlers: Handlers, { isAllowedSender }: IpcOptions<Event>): () => void {
  for (const method of methodNames) {
    ipcMain.handle(contract[method].channel, (event, params) => {
      if (!isAllowedSender(event)) throw new Error(`${contract[method].channel}: refused, the call does not come from the app's own page`);
      return dispatch(handlers, method, params);
    });
  }
  return () => {
    for (const method of methodNames) ipcMain.removeHandler(contract[method].channel);
  };
}
