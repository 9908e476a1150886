// Every error that leaves a handler or a job crosses a transport as
// {code, message}: a StoreError keeps its code, a file-system error is the
// source's problem, anything else is a bug reported without its stack.
import { StoreError } from '../src-shared/errors.ts';

function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

export function asStoreError(error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  if (isSystemError(error)) return new StoreError('SOURCE', error.message);
  const message = error instanceof Error ? error.message : String(error);
  return new StoreError('INTERNAL', message || 'internal error');
}
