// How a StoreError's code travels on each wire: an HTTP status for browser
// mode, a JSON-RPC error code for stdio.
import type { WireError } from '../../src-shared/contract.ts';
import type { ErrorCode, StoreError } from '../../src-shared/errors.ts';

const httpStatuses: Record<ErrorCode, number> = {
  BAD_ARGUMENT: 400,
  NOT_FOUND: 404,
  METHOD_NOT_FOUND: 404,
  SOURCE: 422,
  READ_ONLY: 409,
  AUTH: 422,
  CANCELLED: 409,
  INTERNAL: 500,
};

export function httpStatusOf(code: ErrorCode): number {
  return httpStatuses[code];
}

/** JSON-RPC 2.0's reserved codes; -32000 is the first of the "server error" range, used for the store's own errors. */
export const rpcCodes = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  storeError: -32000,
} as const;

export function rpcCodeOf(code: ErrorCode): number {
  if (code === 'METHOD_NOT_FOUND') return rpcCodes.methodNotFound;
  if (code === 'BAD_ARGUMENT') return rpcCodes.invalidParams;
  if (code === 'INTERNAL') return rpcCodes.internalError;
  return rpcCodes.storeError;
}

export function toWireError({ code, message }: StoreError): WireError {
  return { code, message };
}
