// TLS on a real server (servers of this file's own, with a CA made at their
// start): the URL's sslmode as libpq means it. The store's own pool is
// checked from the server's side (pg_stat_ssl), each store under an
// application_name of its own so no other connection is counted.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres-databases.ts';
import { postgresUrl, startPostgresServer, type PostgresServer } from '../../../test/support/postgres-server.ts';
import { makeCertificateAuthority } from '../../../test/support/tls-certificates.ts';
import { openPostgresStore, type PostgresStore } from './postgres-store.ts';

/** ssl=on, plain logins still taken: what a client asks for is what it gets. */
let offering: PostgresServer;
/** pg_hba.conf takes TLS logins only (hostssl). */
let requiring: PostgresServer;
let db: TestDatabase;
let folder: string;
/** A CA that signed neither server's certificate. */
let otherCaFile: string;

beforeAll(async () => {
  [offering, requiring] = await Promise.all([startPostgresServer({ tls: 'offered' }), startPostgresServer({ tls: 'required' })]);
  db = await createTestDatabase({ server: offering });
  folder = mkdtempSync(path.join(os.tmpdir(), 'run-inspector-tls-test-'));
  otherCaFile = path.join(folder, 'other-ca.crt');
  writeFileSync(otherCaFile, makeCertificateAuthority('Not the server CA').certificate);
}, 30_000);

afterAll(async () => {
  await db?.drop();
  await Promise.all([offering?.stop(), requiring?.stop()]);
  if (folder) rmSync(folder, { recursive: true, force: true });
});

const stores: PostgresStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

/** The SOURCE a user would give: the server's login and database, with these URL parameters. */
function source(server: PostgresServer, database: string, parameters: Record<string, string>): string {
  return `${postgresUrl({ ...server, tls: undefined }, database)}?${new URLSearchParams(parameters)}`;
}

/** Opens the test database on the offering server as `name` (its connections' application_name); env {}: no PGSSLMODE. */
async function open(name: string, parameters: Record<string, string>): Promise<PostgresStore> {
  const store = await openPostgresStore(source(offering, db.name, { ...parameters, application_name: name }), { env: {} });
  stores.push(store);
  return store;
}

/** Whether every connection of the store the server sees is encrypted; null when it sees none. */
async function encryptedOf(name: string): Promise<boolean | null> {
  const [row] = await db.query<{ encrypted: boolean | null }>(
    'SELECT bool_and(s.ssl) AS encrypted FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.application_name = $1',
    [name],
  );
  return row.encrypted;
}

/** The error a promise rejects with (the test fails if it resolves). */
async function failureOf(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  const outcome = await promise.then(
    (store) => {
      if (store) stores.push(store as PostgresStore);
      return null;
    },
    (error: unknown) => error as Error & { code?: string },
  );
  expect(outcome, 'expected a rejection').not.toBeNull();
  return outcome!;
}

describe('a server that offers TLS', () => {
  it('sslmode=require connects encrypted', async () => {
    const store = await open('tls-require', { sslmode: 'require' });
    expect(await store.listThreads()).toEqual([]);
    expect(await encryptedOf('tls-require')).toBe(true);
  });

  it("sslmode=verify-full with the server's CA connects encrypted to 127.0.0.1, the address its certificate names", async () => {
    expect(offering.host).toBe('127.0.0.1');
    const store = await open('tls-verify-full', { sslmode: 'verify-full', sslrootcert: offering.tls!.caFile });
    expect(await store.listThreads()).toEqual([]);
    expect(await encryptedOf('tls-verify-full')).toBe(true);
  });

  it.each(['verify-full', 'verify-ca'])('sslmode=%s with a CA that did not sign its certificate is refused: a SOURCE error saying the certificate failed', async (sslmode) => {
    const error = await failureOf(open(`tls-wrong-ca-${sslmode}`, { sslmode, sslrootcert: otherCaFile }));
    expect(error.code).toBe('SOURCE');
    expect(error.message).toMatch(/TLS|certificate/i);
    expect(error.message).toContain(`127.0.0.1:${offering.port}`);
    expect(error.message).not.toContain(offering.password);
  });

  // libpq's prefer: TLS when the server offers it, plain only when it does not.
  it('the default sslmode (prefer) connects encrypted', async () => {
    const store = await open('tls-prefer', {});
    expect(await store.listThreads()).toEqual([]);
    expect(await encryptedOf('tls-prefer')).toBe(true);
    // The live follower's own connection too.
    const live = store.liveClient({ statementTimeoutMs: 5_000, settings: {} });
    await live.connect();
    try {
      expect(await encryptedOf('tls-prefer (live)')).toBe(true);
    } finally {
      await live.end();
    }
  });

  it('sslmode=disable connects plain (the check above can tell them apart)', async () => {
    await open('tls-disable', { sslmode: 'disable' });
    expect(await encryptedOf('tls-disable')).toBe(false);
  });
});

describe('a server that requires TLS (hostssl only)', () => {
  // No password can help here, so it must not be an AUTH error (the app would ask for one).
  it('sslmode=disable is refused with a SOURCE error that says the server requires TLS and how to ask for it', async () => {
    const error = await failureOf(openPostgresStore(source(requiring, 'postgres', { sslmode: 'disable' }), { env: {} }));
    expect(error.code).toBe('SOURCE');
    expect(error.message).toMatch(/requires TLS/);
    expect(error.message).toContain('sslmode=require');
    expect(error.message).toContain(`127.0.0.1:${requiring.port}`);
    expect(error.message).not.toContain(requiring.password);
  });
});
