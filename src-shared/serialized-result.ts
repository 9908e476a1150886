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

/**
 * JSON text given as UTF-8 in pieces (cut anywhere, even inside a character), parsed. The pieces
 * are joined first: one decode and a flat string parse in about two thirds of the time a decode
 * per piece and the string they add up to take (the 5,782 runs of the 1M-event store's big
 * thread, 2.3 MB: 6–9 ms against 10–14; V8 deserialises them as objects in 5–7 ms).
 */
export function parseJsonPieces(pieces: readonly Uint8Array[]): unknown {
  return JSON.parse(new TextDecoder().decode(joined(pieces)));
}

function joined(pieces: readonly Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0];
  const whole = new Uint8Array(pieces.reduce((bytes, piece) => bytes + piece.byteLength, 0));
  let at = 0;
  for (const piece of pieces) {
    whole.set(piece, at);
    at += piece.byteLength;
  }
  return whole;
}

/** The value itself: a serialised result parsed here. */
export function resultValue<T>(answer: Answer<T>): T {
  return answer instanceof SerializedResult ? (parseJsonPieces([answer.json]) as T) : answer;
}
