// Errors that cross a transport keep their code, so every client can tell a
// bad argument from a missing source without parsing messages.
export type ErrorCode = 'BAD_ARGUMENT' | 'NOT_FOUND' | 'SOURCE' | 'READ_ONLY' | 'CANCELLED' | 'METHOD_NOT_FOUND' | 'INTERNAL';

export class StoreError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
  }
}

export function badArgument(message: string): StoreError {
  return new StoreError('BAD_ARGUMENT', message);
}
