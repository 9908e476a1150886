// The server's and the network's failures as the store's errors, naming the
// source (its display URL: never the password) and what failed.
import { StoreError } from '../../../src-shared/errors.ts';

/** SQLSTATEs a user can act on (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const SQLSTATE = {
  invalidPassword: '28P01',
  invalidAuthorization: '28000',
  noSuchDatabase: '3D000',
  queryCanceled: '57014',
  readOnlyTransaction: '25006',
  insufficientPrivilege: '42501',
  cannotConnectNow: '57P03',
  adminShutdown: '57P01',
  tooManyConnections: '53300',
  /** A NUL in a text value: 'invalid byte sequence for encoding "UTF8": 0x00'. */
  characterNotInRepertoire: '22021',
} as const;

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'ENOENT']);

interface Where {
  displayUrl: string;
  host: string;
  port: number;
}

export function postgresError(error: unknown, where: Where): unknown {
  if (error instanceof StoreError || !(error instanceof Error)) return error;
  const code = (error as { code?: string }).code ?? '';
  const at = `${where.host}${where.host.startsWith('/') ? '' : `:${where.port}`}`;
  const source = where.displayUrl;
  switch (code) {
    case SQLSTATE.invalidPassword:
      return new StoreError('AUTH', `${source}: the server at ${at} refused the login (${error.message})`);
    // No password can help (pg_hba.conf has no line for this login): a server that wants TLS says "no encryption".
    case SQLSTATE.invalidAuthorization:
      if (/no encryption|SSL off/i.test(error.message)) {
        return new StoreError('SOURCE', `${source}: the server at ${at} requires TLS (${error.message}); add ?sslmode=require, or verify-full with its certificate`);
      }
      return new StoreError('SOURCE', `${source}: the server at ${at} does not let this user in (${error.message})`);
    case SQLSTATE.noSuchDatabase:
      return new StoreError('SOURCE', `${source}: ${error.message} on the server at ${at}`);
    case SQLSTATE.queryCanceled:
      return new StoreError('SOURCE', `${source}: the server at ${at} took too long to answer (${error.message}); try again`);
    case SQLSTATE.readOnlyTransaction:
      return new StoreError('READ_ONLY', `${source} is open read-only (${error.message})`);
    case SQLSTATE.insufficientPrivilege:
      return new StoreError('READ_ONLY', `${source}: the server refused (${error.message})`);
    case SQLSTATE.characterNotInRepertoire:
      // The value's fault, not the source's: SQLite and JSONL keep a NUL, PostgreSQL's text (and so DeerFlow there) cannot.
      return new StoreError('BAD_ARGUMENT', `${source}: PostgreSQL text cannot hold a NUL character (U+0000) (${error.message})`);
    case SQLSTATE.cannotConnectNow:
    case SQLSTATE.adminShutdown:
    case SQLSTATE.tooManyConnections:
      return new StoreError('SOURCE', `${source}: the server at ${at} is not accepting connections (${error.message})`);
  }
  if (NETWORK_CODES.has(code)) return new StoreError('SOURCE', `${source}: cannot reach the server at ${at} (${code}: ${error.message})`);
  // node-postgres's own words for a connect that timed out or a connection that dropped.
  if (/timeout|terminated|Connection ended/i.test(error.message)) {
    return new StoreError('SOURCE', `${source}: the connection to ${at} failed (${error.message})`);
  }
  if (/SSL|TLS|certificate/i.test(error.message) || code.startsWith('ERR_TLS') || code.startsWith('CERT_') || code.startsWith('UNABLE_TO')) {
    return new StoreError('SOURCE', `${source}: the TLS connection to ${at} failed (${error.message})`);
  }
  if (/^[0-9A-Z]{5}$/.test(code)) return new StoreError('SOURCE', `${source}: ${error.message}`);
  return error;
}

/**
 * The failure of a connection the server or the network dropped while it sat
 * in the pool (a restart ends every session with 57P01): the statement never
 * ran, so a read may be asked again on a new connection.
 */
export function isDroppedConnection(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code ?? '';
  if (code === '57P01' || code === '57P02' || code === 'ECONNRESET' || code === 'EPIPE') return true;
  return /Connection terminated|not queryable/i.test(error.message);
}
