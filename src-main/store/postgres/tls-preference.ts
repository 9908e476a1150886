// libpq's sslmode=prefer (its default): TLS when the server offers it, else
// a plain connection. node-postgres cannot fall back by itself, so one
// connection asks first, with TLS; a server without TLS answers at once that
// it has none, and the pool then connects plain.
import pg from 'pg';
import type { PostgresSource } from './connection.ts';

/** What node-postgres says when the server answered the TLS request with "no". */
const NO_TLS = /does not support SSL/i;

/** TLS that checks nothing: prefer's promise is privacy on the wire, as libpq's, not the server's identity. */
const UNVERIFIED_TLS = { rejectUnauthorized: false } as const;

/** The ssl option the pool connects with: the URL's, or for prefer, TLS when the server has it. */
export async function negotiatedTls(source: PostgresSource, Client: typeof pg.Client): Promise<pg.PoolConfig['ssl']> {
  if (source.sslMode !== 'prefer') return source.config.ssl;
  const probe = new Client({ ...source.config, ssl: UNVERIFIED_TLS });
  try {
    await probe.connect();
    return UNVERIFIED_TLS;
  } catch (error) {
    if (error instanceof Error && NO_TLS.test(error.message)) return false;
    throw error;
  } finally {
    await probe.end().catch(() => {});
  }
}
