// A contract method's result already serialised as JSON where it was made
// (the read worker, src-main/reads): the transports send these bytes on as
// they are, so the main thread neither takes in the objects nor serialises
// them a second time (issue 14, "The main process never blocks"). Only a
// caller that needs the value itself parses it (resultValue).

export class SerializedResult<T> {
  /** The result's type, for the compiler only: a SerializedResult of runs is not one of threads. */
  declare readonly of?: T;
  /** The result's JSON, as UTF-8. */
  readonly json: Uint8Array;

  constructor(json: Uint8Array) {
    this.json = json;
  }
}

/** A result as a handler may answer it: the value, or its JSON made elsewhere. */
export type Answer<T> = T | SerializedResult<T>;

/** JSON text given as UTF-8 in pieces (cut anywhere, even inside a character), parsed. */
export function parseJsonPieces(pieces: readonly Uint8Array[]): unknown {
  const decoder = new TextDecoder();
  let text = '';
  for (const piece of pieces) text += decoder.decode(piece, { stream: true });
  return JSON.parse(text + decoder.decode());
}

/** The value itself: a serialised result parsed here. */
export function resultValue<T>(answer: Answer<T>): T {
  return answer instanceof SerializedResult ? (parseJsonPieces([answer.json]) as T) : answer;
}
