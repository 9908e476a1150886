// Errors that cross a transport keep their code, so every client can tell a
// bad argument from a missing source without parsing messages.
export type ErrorCode = 'BAD_ARGUMENT' | 'NOT_FOUND' | 'SOURCE' | 'READ_ONLY' | 'AUTH' | 'CANCELLED' | 'METHOD_NOT_FOUND' | 'INTERNAL';

/** An error with a code callers branch on; the subclasses only say which side raised it. */
export class CodedError<Code extends string = string> extends Error {
  readonly code: Code;
  constructor(code: Code, message: string) {
    super(message);
    this.code = code;
  }
}

/** Raised by the store and the handlers, and rebuilt by the preload from an IPC reply. */
export class StoreError extends CodedError<ErrorCode> {
  override readonly name = 'StoreError';
}

export function badArgument(message: string): StoreError {
  return new StoreError('BAD_ARGUMENT', message);
}
