// Electron IPC: every method the desktop page may call (contract.ts
// `desktopPageApi`) on its channel, through the same dispatch as the other
// transports; writes of events and methods that take a path the page would
// type (browser mode's) have no channel at all. Typed against the one method it uses, so it
// is tested with a fake and never imports electron.
//
// Electron structured-clones a reply on the main thread: an answer of
// objects member by member (the runs of a 2,000,000-event thread, 58,579 of
// them: ~65 ms of V8's serialiser alone), bytes as one copy into a freshly
// mapped buffer (~1–2 ms a MB, electron/electron#52920's figures). So a
// result the read worker serialised goes as its bytes, and a long one in
// pieces of PIECE_BYTES, one per request (src-shared/ipc-reply.ts): main's
// share of any answer stays a few ms.
import { contract, desktopPageApi, type Handlers } from '../../src-shared/contract.ts';
import { ipcPieceChannel, type IpcPieceReply, type IpcReply } from '../../src-shared/ipc-reply.ts';
import { SerializedResult } from '../../src-shared/serialized-result.ts';
import { asStoreError } from '../as-store-error.ts';
import { dispatch } from '../handlers/handlers.ts';

export interface IpcMainLike<Event> {
  handle(channel: string, listener: (event: Event, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface IpcOptions<Event> {
  /** True only for the app's own top frame (src-main/electron supplies it); every other caller is refused. */
  isAllowedSender: (event: Event) => boolean;
  /** The most bytes of a serialised result one reply carries (PIECE_BYTES). */
  pieceBytes?: number;
  /** How long the rest of a result given in pieces is kept after its last piece was asked for (a page reloaded meanwhile asks no more). */
  piecesKeptMs?: number;
}

const PIECE_BYTES = 1024 * 1024;
const PIECES_KEPT_MS = 60_000;

/**
 * Bytes in a buffer of their own: Electron clones a typed array's whole buffer, not the part it
 * views (a piece sent as a view of the answer would carry the whole answer), and cannot clone
 * shared memory (the read worker's answers are in it).
 */
const alone = (bytes: Uint8Array): Uint8Array =>
  bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();

/** The rest of the results being given in pieces, by answer number, each until its last piece or PIECES_KEPT_MS after the latest. */
class PiecesOwed {
  private readonly owed = new Map<number, { json: Uint8Array; expiry: NodeJS.Timeout }>();
  private nextAnswer = 1;
  private readonly pieceBytes: number;
  private readonly keptMs: number;

  constructor(pieceBytes: number, keptMs: number) {
    this.pieceBytes = pieceBytes;
    this.keptMs = keptMs;
  }

  /** The reply to a call answered with `json`: the whole when it fits one piece, else its first piece, the rest kept. */
  reply(json: Uint8Array): IpcReply {
    const pieces = Math.ceil(json.byteLength / this.pieceBytes);
    if (pieces <= 1) return { ok: true, json: alone(json) };
    const answer = this.nextAnswer++;
    this.owed.set(answer, { json, expiry: this.expiry(answer) });
    return { ok: true, json: json.slice(0, this.pieceBytes), more: { answer, pieces } };
  }

  piece(answer: unknown, index: unknown): IpcPieceReply {
    const entry = typeof answer === 'number' ? this.owed.get(answer) : undefined;
    const pieces = entry ? Math.ceil(entry.json.byteLength / this.pieceBytes) : 0;
    if (!entry || !Number.isInteger(index) || (index as number) < 1 || (index as number) >= pieces) {
      return { ok: false, error: { code: 'NOT_FOUND', message: `piece ${String(index)} of answer ${String(answer)}: no such piece (asked for too late?)` } };
    }
    const at = index as number;
    clearTimeout(entry.expiry);
    if (at === pieces - 1) this.owed.delete(answer as number);
    else entry.expiry = this.expiry(answer as number);
    return { ok: true, json: entry.json.slice(at * this.pieceBytes, (at + 1) * this.pieceBytes) };
  }

  clear(): void {
    for (const { expiry } of this.owed.values()) clearTimeout(expiry);
    this.owed.clear();
  }

  private expiry(answer: number): NodeJS.Timeout {
    return setTimeout(() => this.owed.delete(answer), this.keptMs).unref();
  }
}

/**
 * Registers `ipcMain.handle(channel)` for every desktop page method, and the channel that gives a
 * long result's further pieces; returns the unregister function. A call resolves with an IpcReply,
 * its error's code kept (Electron would pass a thrown error's message only); a caller that is not
 * the app's page gets a thrown refusal and nothing else.
 */
export function registerIpcHandlers<Event>(
  ipcMain: IpcMainLike<Event>,
  handlers: Handlers,
  { isAllowedSender, pieceBytes = PIECE_BYTES, piecesKeptMs = PIECES_KEPT_MS }: IpcOptions<Event>,
): () => void {
  const owed = new PiecesOwed(pieceBytes, piecesKeptMs);
  const refuseOthers = (event: Event, channel: string) => {
    if (!isAllowedSender(event)) throw new Error(`${channel}: refused, the call does not come from the app's own page`);
  };
  for (const method of desktopPageApi) {
    const { channel } = contract[method];
    ipcMain.handle(channel, async (event, params): Promise<IpcReply> => {
      refuseOthers(event, channel);
      try {
        const result = await dispatch(handlers, method, params, desktopPageApi, { keepSerialized: true });
        return result instanceof SerializedResult ? owed.reply(result.json) : { ok: true, result };
      } catch (error) {
        const { code, message } = asStoreError(error);
        return { ok: false, error: { code, message } };
      }
    });
  }
  ipcMain.handle(ipcPieceChannel, (event, answer, index): IpcPieceReply => {
    refuseOthers(event, ipcPieceChannel);
    return owed.piece(answer, index);
  });
  return () => {
    for (const method of desktopPageApi) ipcMain.removeHandler(contract[method].channel);
    ipcMain.removeHandler(ipcPieceChannel);
    owed.clear();
  };
}
