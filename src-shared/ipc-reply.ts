// How a contract call's outcome crosses Electron IPC. Electron hands the
// page a handler's thrown error as a new Error holding only "Error invoking
// remote method '<channel>': <name>: <message>", its code lost; so main
// resolves every call with a reply that keeps the code (ipc.ts), and the
// preload turns the reply back into the result or a StoreError. Past the
// preload, contextBridge again copies an error's message only: the page
// reads messages, which name the field or the file.
//
// A result the read worker serialised crosses as its JSON's bytes (Electron
// clones a Uint8Array as one copy, objects member by member, on the main
// thread), in pieces of a bounded size: one clone of a 23 MB answer would
// hold main's thread for tens of ms (ipc.ts). The first piece comes as the
// reply, the preload asks for the others on ipcPieceChannel one at a time, and
// parses the whole: the page gets the same objects either way.
import { StoreError, type ErrorCode } from './errors.ts';
import { parseJsonPieces } from './serialized-result.ts';

type Failed = { ok: false; error: { code: ErrorCode; message: string } };

export type IpcReply =
  | { ok: true; result: unknown }
  /** The result's JSON (UTF-8), or its first piece when `more` says how many there are, under which answer number. */
  | { ok: true; json: Uint8Array; more?: { answer: number; pieces: number } }
  | Failed;

/** One more piece of a reply given in pieces: (answer, index) → the piece, or why there is none. */
export const ipcPieceChannel = 'ipc:piece';

export type IpcPieceReply = { ok: true; json: Uint8Array } | Failed;

const failure = ({ error }: Failed) => new StoreError(error.code, error.message);

/** The result a reply carries, its further pieces asked for by `piece` (ipcRenderer.invoke on ipcPieceChannel), in order. */
export async function resultOf(reply: IpcReply, piece: (answer: number, index: number) => Promise<IpcPieceReply>): Promise<unknown> {
  if (!reply.ok) throw failure(reply);
  if (!('json' in reply)) return reply.result;
  const pieces = [reply.json];
  const { answer, pieces: count } = reply.more ?? { answer: 0, pieces: 1 };
  for (let index = 1; index < count; index++) {
    const next = await piece(answer, index);
    if (!next.ok) throw failure(next);
    pieces.push(next.json);
  }
  return parseJsonPieces(pieces);
}

// Electron's wrapping, on the failures that get no reply: a call refused
// before any handler ran, or made before the handlers were registered.
const remotePrefix = /^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/;

/** An ipcRenderer.invoke rejection as the error its message describes. */
export function invokeFailure(error: unknown): Error {
  return new Error(error instanceof Error ? error.message.replace(remotePrefix, '') : String(error));
}
