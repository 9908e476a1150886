// How a contract call's outcome crosses Electron IPC. Electron hands the
// page a handler's thrown error as a new Error holding only "Error invoking
// remote method '<channel>': <name>: <message>", its code lost; so main
// resolves every call with a reply that keeps the code (ipc.ts), and the
// preload turns the reply back into the result or a StoreError. Past the
// preload, contextBridge again copies an error's message only: the page
// reads messages, which name the field or the file.
import { StoreError, type ErrorCode } from './errors.ts';

export type IpcReply = { ok: true; result: unknown } | { ok: false; error: { code: ErrorCode; message: string } };

export function resultOf(reply: IpcReply): unknown {
  if (reply.ok) return reply.result;
  throw new StoreError(reply.error.code, reply.error.message);
}

// Electron's wrapping, on the failures that get no reply: a call refused
// before any handler ran, or made before the handlers were registered.
const remotePrefix = /^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/;

/** An ipcRenderer.invoke rejection as the error its message describes. */
export function invokeFailure(error: unknown): Error {
  return new Error(error instanceof Error ? error.message.replace(remotePrefix, '') : String(error));
}
