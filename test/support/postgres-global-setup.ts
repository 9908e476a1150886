// vitest's global setup: one real PostgreSQL server per `vitest run`, shared
// by every test file (each makes its own databases: postgres-databases.ts).
// The teardown stops it when the run ends, failed or not; if the runner dies
// instead, the server's supervisor sees its pipe close and stops it itself.
import type { TestProject } from 'vitest/node';
import { type PostgresServerAddress, startPostgresServer } from './postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's own server (inject('postgresServer')). */
    postgresServer: PostgresServerAddress;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgresServer();
  const { url, host, port, user, password } = server;
  project.provide('postgresServer', { url, host, port, user, password });
  return () => server.stop();
}
