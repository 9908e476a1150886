// Playwright's global setup: one PostgreSQL server of the run's own
// (test/support/postgres-server.ts) for the specs that serve a PostgreSQL
// SOURCE, stopped by the teardown it returns. Its address reaches the
// workers through the environment, which they inherit from this process; if
// the runner dies instead, the server's supervisor sees its pipe close and
// stops it itself.
import { type PostgresServerAddress, startPostgresServer } from '../test/support/postgres-server.ts';

const ADDRESS_ENV = 'RUN_INSPECTOR_E2E_POSTGRES';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const server = await startPostgresServer();
  const { url, host, port, user, password } = server;
  process.env[ADDRESS_ENV] = JSON.stringify({ url, host, port, user, password } satisfies PostgresServerAddress);
  return () => server.stop();
}

/** The run's server, in a spec (a worker of this run). */
export function e2ePostgresServer(): PostgresServerAddress {
  const address = process.env[ADDRESS_ENV];
  if (!address) throw new Error(`${ADDRESS_ENV} is not set: the PostgreSQL specs run under playwright.config.ts, whose global setup starts the server`);
  return JSON.parse(address) as PostgresServerAddress;
}
