// postgresError without a server: SQLSTATEs and network failures as the
// store's errors, each naming the source and where it failed.
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../../src-shared/errors.ts';
import { postgresError } from './errors.ts';

const WHERE = { displayUrl: 'postgresql://alice@db.example:6543/events', host: 'db.example', port: 6543 };

/** An error as pg raises it: a message and a code (a SQLSTATE, or a Node network code). */
const pgError = (code: string | undefined, message: string) => Object.assign(new Error(message), code === undefined ? {} : { code });

const mapped = (error: unknown, where = WHERE) => postgresError(error, where) as StoreError;

describe('postgresError', () => {
  it('makes a refused password AUTH, naming the source and the server', () => {
    const error = mapped(pgError('28P01', 'password authentication failed for user "alice"'));
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('AUTH');
    expect(error.message).toBe('postgresql://alice@db.example:6543/events: the server at db.example:6543 refused the login (password authentication failed for user "alice")');
  });

  it('makes a login no password can help (no pg_hba.conf line) a SOURCE error, saying when the server wants TLS', () => {
    const plain = 'no pg_hba.conf entry for host "10.0.0.5", user "alice", database "events", no encryption';
    expect(mapped(pgError('28000', plain))).toMatchObject({
      code: 'SOURCE',
      message: `postgresql://alice@db.example:6543/events: the server at db.example:6543 requires TLS (${plain}); add ?sslmode=require, or verify-full with its certificate`,
    });
    expect(mapped(pgError('28000', 'pg_hba.conf rejects connection for host "10.0.0.5", user "alice", database "events", SSL encryption'))).toMatchObject({
      code: 'SOURCE',
      message: expect.stringContaining('does not let this user in'),
    });
  });

  it('makes a missing database, a cancelled statement and a server not accepting connections SOURCE errors', () => {
    expect(mapped(pgError('3D000', 'database "events" does not exist'))).toMatchObject({
      code: 'SOURCE',
      message: 'postgresql://alice@db.example:6543/events: database "events" does not exist on the server at db.example:6543',
    });
    expect(mapped(pgError('57014', 'canceling statement due to statement timeout'))).toMatchObject({
      code: 'SOURCE',
      message: expect.stringMatching(/db\.example:6543 took too long to answer \(canceling statement due to statement timeout\); try again$/),
    });
    for (const code of ['57P03', '57P01', '53300']) {
      expect(mapped(pgError(code, 'the database system is starting up'))).toMatchObject({ code: 'SOURCE', message: expect.stringContaining('is not accepting connections') });
    }
  });

  it('makes a read-only transaction and a missing privilege READ_ONLY', () => {
    expect(mapped(pgError('25006', 'cannot execute INSERT in a read-only transaction'))).toMatchObject({
      code: 'READ_ONLY',
      message: 'postgresql://alice@db.example:6543/events is open read-only (cannot execute INSERT in a read-only transaction)',
    });
    expect(mapped(pgError('42501', 'permission denied for table run_events'))).toMatchObject({ code: 'READ_ONLY', message: expect.stringContaining('permission denied') });
  });

  it('makes a NUL in a text value BAD_ARGUMENT: the value cannot be stored there, the source is fine', () => {
    expect(mapped(pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00'))).toMatchObject({
      code: 'BAD_ARGUMENT',
      message: 'postgresql://alice@db.example:6543/events: PostgreSQL text cannot hold a NUL character (U+0000) (invalid byte sequence for encoding "UTF8": 0x00)',
    });
  });

  it('makes a network failure SOURCE, naming host:port and the system\'s code', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE']) {
      expect(mapped(pgError(code, `connect ${code} 10.0.0.1:6543`)), code).toMatchObject({
        code: 'SOURCE',
        message: `postgresql://alice@db.example:6543/events: cannot reach the server at db.example:6543 (${code}: connect ${code} 10.0.0.1:6543)`,
      });
    }
  });

  it('names a socket folder without a port', () => {
    const socket = { displayUrl: 'postgresql://alice@:5432/events?host=%2Frun%2Fpg', host: '/run/pg', port: 5432 };
    expect(mapped(pgError('ENOENT', 'connect ENOENT /run/pg/.s.PGSQL.5432'), socket).message).toContain('cannot reach the server at /run/pg (ENOENT');
  });

  it("makes node-postgres's own timeouts, dropped connections and TLS failures SOURCE errors", () => {
    expect(mapped(pgError(undefined, 'timeout expired'))).toMatchObject({ code: 'SOURCE', message: expect.stringContaining('the connection to db.example:6543 failed (timeout expired)') });
    expect(mapped(pgError(undefined, 'Connection terminated unexpectedly'))).toMatchObject({ code: 'SOURCE', message: expect.stringContaining('failed (Connection terminated unexpectedly)') });
    expect(mapped(pgError(undefined, 'The server does not support SSL connections'))).toMatchObject({ code: 'SOURCE', message: expect.stringContaining('the TLS connection to db.example:6543 failed') });
    expect(mapped(pgError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'))).toMatchObject({ code: 'SOURCE', message: expect.stringContaining('TLS connection') });
  });

  it('makes any other SQLSTATE a SOURCE error with the server\'s words', () => {
    expect(mapped(pgError('42P01', 'relation "run_events" does not exist'))).toMatchObject({
      code: 'SOURCE',
      message: 'postgresql://alice@db.example:6543/events: relation "run_events" does not exist',
    });
  });

  it('passes a StoreError, a bug of ours and a non-Error through unchanged', () => {
    const store = new StoreError('BAD_ARGUMENT', 'limit: must be positive');
    expect(postgresError(store, WHERE)).toBe(store);
    const bug = new TypeError('x is undefined');
    expect(postgresError(bug, WHERE)).toBe(bug);
    expect(postgresError('text', WHERE)).toBe('text');
  });
});
