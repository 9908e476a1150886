// The tests' own PostgreSQL server leaves nothing behind: not when stopped,
// not when the process that started it dies without stopping it, and when
// its supervisor itself is killed outright, no server and, once another
// starts, no folder.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { createConnection } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { startPostgresServer } from './postgres-server.ts';

/** Whether anything accepts a TCP connection on the port. */
function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * The processes working in the cluster's data folder: postgres runs in it, the
 * postmaster and each child it forks (whose command lines do not name it).
 */
function processesIn(folder: string): number[] {
  const data = path.join(folder, 'data');
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`).startsWith(data); // a removed folder reads "… (deleted)"
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

async function answers(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ one: number }>('SELECT 1 AS one')).rows[0].one;
  } finally {
    await client.end();
  }
}

describe('startPostgresServer', () => {
  it("starts a server of its own beside the run's, and stop() ends it and removes its folder", async () => {
    const server = await startPostgresServer();
    expect(server.port).not.toBe(inject('postgresServer').port);
    expect(await answers(server.url)).toBe(1);
    expect(existsSync(path.join(server.folder, 'data', 'postmaster.pid'))).toBe(true);
    await server.stop();
    expect(await listening(server.host, server.port)).toBe(false);
    expect(existsSync(server.folder)).toBe(false);
  });

  it("rejects with postgres's own words when the server cannot start", async () => {
    await expect(startPostgresServer({ settings: { no_such_setting: 'on' } })).rejects.toThrow(/unrecognized configuration parameter "no_such_setting"/);
  });

  // A CI cancel or `timeout -s KILL` kills the runner's whole process group at once, not only the runner.
  it("stops the server and removes its folder when the starter's whole process group is killed without stopping it", async () => {
    const script = `import { startPostgresServer } from ${JSON.stringify(path.join(import.meta.dirname, 'postgres-server.ts'))};
      const server = await startPostgresServer();
      console.log(JSON.stringify({ host: server.host, port: server.port, folder: server.folder }));
      setInterval(() => {}, 60_000);`;
    const owner = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    let started: { host: string; port: number; folder: string };
    try {
      const [line] = (await once(createInterface({ input: owner.stdout }), 'line')) as [string];
      started = JSON.parse(line) as typeof started;
      expect(await listening(started.host, started.port)).toBe(true);
    } finally {
      process.kill(-owner.pid!, 'SIGKILL');
    }
    await expect.poll(() => existsSync(started.folder), { timeout: 10_000 }).toBe(false);
    expect(await listening(started.host, started.port)).toBe(false);
    expect(processesIn(started.folder)).toEqual([]);
  });

  // Nothing is left to remove a folder once its supervisor is killed outright: the next server's start does.
  describe.runIf(process.platform === 'linux')('a supervisor killed outright (Linux: its processes are read in /proc)', () => {
    it.each([
      { killed: 'its whole process group', target: (supervisor: number) => -supervisor },
      // No one kills postgres here but the kernel, with the parent-death signal it was started with.
      { killed: 'itself alone', target: (supervisor: number) => supervisor },
    ])('when $killed is SIGKILLed, the server stops, and the next start removes its folder', async ({ target }) => {
      const server = await startPostgresServer();
      expect(processesIn(server.folder)).not.toEqual([]);
      process.kill(target(server.supervisorPid), 'SIGKILL');
      await expect.poll(() => processesIn(server.folder), { timeout: 10_000 }).toEqual([]);
      expect(await listening(server.host, server.port)).toBe(false);
      expect(existsSync(server.folder)).toBe(true);
      const next = await startPostgresServer();
      try {
        expect(existsSync(server.folder)).toBe(false);
      } finally {
        await next.stop();
      }
    });
  });
});
