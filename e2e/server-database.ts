// The PostgreSQL specs' databases on the run's own server (postgres-setup.ts),
// filled by DeerFlow's writer with the generated e2e threads (named in
// threads_meta): one per worker that the specs only read, or are refused a
// write on, dropped when the worker ends; and one a test writes to, its own,
// dropped after it.
import { E2E_STORE, generateEvents, planThreads, type ThreadPlan } from '../src-main/generator/generate.ts';
import { withoutPassword } from '../src-main/handlers/server-passwords.ts';
import type { RunEvent } from '../src-shared/types.ts';
import { createTestDatabase, deerflowWriteEvents, deerflowWriteThread } from '../test/support/postgres-databases.ts';
import { expect, test as base } from './fixtures.ts';
import { e2ePostgresServer } from './postgres-setup.ts';

export interface ServerDatabase {
  /** The SOURCE `serve` is given, password included. */
  url: string;
  /** As a user types it into the page: no password in it. */
  typed: string;
  /** What the app names it by: no password. */
  displayUrl: string;
  /** The server's password, for the page's password dialog. */
  password: string;
  plans: ThreadPlan[];
  events: RunEvent[];
}

/** A fresh database, filled; dropped once `use` ends, whoever is still connected to it. */
async function withFilledDatabase(use: (database: ServerDatabase) => Promise<void>): Promise<void> {
  const server = e2ePostgresServer();
  const db = await createTestDatabase({ server });
  try {
    const plans = planThreads(E2E_STORE);
    const events = [...generateEvents(E2E_STORE)];
    const seqs = await deerflowWriteEvents(db.pool, events);
    // DeerFlow gives out the seqs (max + 1 per thread): they must be the generator's for the expectations to hold.
    expect(seqs).toEqual(events.map((event) => event.seq));
    for (const { thread_id, display_name } of plans) await deerflowWriteThread(db.pool, { thread_id, display_name });
    const displayUrl = `postgresql://${server.user}@${server.host}:${server.port}/${db.name}`;
    await use({ url: db.url, typed: withoutPassword(db.url), displayUrl, password: server.password, plans, events });
  } finally {
    await db.drop();
  }
}

export const test = base.extend<{ writableDatabase: ServerDatabase }, { serverDatabase: ServerDatabase }>({
  serverDatabase: [async ({}, use) => withFilledDatabase(use), { scope: 'worker' }],
  /**
   * The test's own database, to write to. Name it before `inspectSource` in the test's fixtures:
   * set up first, it is dropped last, once the `serve` on it has stopped.
   */
  writableDatabase: async ({}, use) => withFilledDatabase(use),
});
