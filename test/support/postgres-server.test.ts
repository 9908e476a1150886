// The tests' own PostgreSQL server leaves nothing behind: not when stopped,
// not when the process that started it dies without stopping it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
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

  it('stops the server when the process that started it is killed without stopping it', async () => {
    const script = `import { startPostgresServer } from ${JSON.stringify(path.join(import.meta.dirname, 'postgres-server.ts'))};
      const server = await startPostgresServer();
      console.log(JSON.stringify({ host: server.host, port: server.port, folder: server.folder }));
      setInterval(() => {}, 60_000);`;
    const owner = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let started: { host: string; port: number; folder: string };
    try {
      const [line] = (await once(createInterface({ input: owner.stdout }), 'line')) as [string];
      started = JSON.parse(line) as typeof started;
      expect(await listening(started.host, started.port)).toBe(true);
    } finally {
      owner.kill('SIGKILL');
    }
    await expect.poll(() => existsSync(started.folder), { timeout: 10_000 }).toBe(false);
    expect(await listening(started.host, started.port)).toBe(false);
  });
});
