// The package as a user gets it: `npm pack` (whose prepack builds out/cli),
// then `npm install -g` of the tarball into a temporary prefix, run from
// elsewhere on the machine's own Node first on PATH — the installed CLI must
// bring its Node 22 and need nothing from the checkout.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, deerflowWriteEvents } from '../../test/support/postgres-databases.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };

/** The caller's PATH without the checkout's node_modules/.bin, whose Node 22 would hide a CLI that does not bring its own. */
const userPath = (process.env.PATH ?? '')
  .split(path.delimiter)
  .filter((dir) => !path.resolve(dir).startsWith(root + path.sep))
  .join(path.delimiter);

function listFiles(dir: string, under = ''): string[] {
  return fs.readdirSync(path.join(dir, under), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(under, entry.name);
    if (entry.isDirectory()) return relative === 'node_modules' ? [] : listFiles(dir, relative);
    return [relative];
  });
}

describe('the packed package, installed with npm install -g', () => {
  let dir: string;
  let prefix: string;
  let installed: string;
  const runInspector = (args: string[], input = '') =>
    spawnSync(path.join(prefix, 'bin', 'run-inspector'), args, { cwd: dir, input, encoding: 'utf8', env: { ...process.env, PATH: userPath } });

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-package-'));
    prefix = path.join(dir, 'prefix');
    execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = path.join(dir, `${pkg.name}-${pkg.version}.tgz`);
    // npm's cache holds every tarball since `npm install` ran; only package metadata may need the registry.
    execFileSync('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    installed = path.join(prefix, 'lib', 'node_modules', pkg.name);
  }, 90_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('holds the built CLI, the renderer and the bin shim, no sources or tests', () => {
    const files = listFiles(installed);
    expect(files).toContain('out/cli/cli.js');
    expect(files).toContain('out/cli/job-worker.js');
    expect(files).toContain('out/renderer/index.html');
    // npm always packs package.json's "main" (the desktop app's entry, for Electron).
    const shipped = /^(bin\/|out\/cli\/|out\/renderer\/|package\.json$|README\.md$|out\/main\/main\.js$)/;
    expect(files.filter((file) => !shipped.test(file))).toEqual([]);
    expect(files.filter((file) => /\.tsx?$/.test(file))).toEqual([]);
  });

  it('prints its version', () => {
    const { status, stdout, stderr } = runInspector(['--version']);
    expect(stderr).toBe('');
    expect([status, stdout]).toEqual([0, `${pkg.version}\n`]);
  });

  it('answers rpc on a new SQLite database through better-sqlite3 on its own Node, jobs included', () => {
    const db = path.join(dir, 'runs.db');
    const event = { thread_id: 't1', run_id: 'r1', event_type: 'llm.human.input', category: 'message', content: 'hello', created_at: '2026-04-04T00:49:25.123456+00:00' };
    const requests = [
      { jsonrpc: '2.0', id: 1, method: 'put', params: { event } },
      { jsonrpc: '2.0', id: 2, method: 'listMessages', params: { threadId: 't1' } },
      // A job, which rpc lets finish before it exits.
      { jsonrpc: '2.0', id: 3, method: 'exportSource', params: { out: path.join(dir, 'exported') } },
    ];
    const { status, stdout, stderr } = runInspector(['rpc', db], requests.map((request) => `${JSON.stringify(request)}\n`).join(''));
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const [put, list] = stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(put).toMatchObject({ id: 1, result: { ...event, seq: 1 } });
    expect(list).toMatchObject({ id: 2, result: [{ ...event, seq: 1 }] });
    expect(fs.readFileSync(path.join(dir, 'exported', 'threads', 't1', 'runs', 'r1.jsonl'), 'utf8')).toContain('"content": "hello"');
  });

  it('answers rpc on a PostgreSQL URL through pg, installed with the package', async () => {
    const db = await createTestDatabase();
    try {
      await deerflowWriteEvents(db.pool, [{ thread_id: 't1', run_id: 'r1', event_type: 'llm.human.input', category: 'message', content: 'hello' }]);
      const requests = [
        { jsonrpc: '2.0', id: 1, method: 'sourceInfo' },
        { jsonrpc: '2.0', id: 2, method: 'countMessages', params: { threadId: 't1' } },
      ];
      const { status, stdout, stderr } = runInspector(['rpc', db.url], requests.map((request) => `${JSON.stringify(request)}\n`).join(''));
      expect(stderr).toBe('');
      expect(status).toBe(0);
      expect(stdout.trimEnd().split('\n').map((line) => JSON.parse(line).result)).toEqual([{ kind: 'postgres', path: expect.stringMatching(/^postgresql:\/\/[^:@]+@/), readOnly: true }, 1]);
    } finally {
      await db.drop();
    }
  });

  it('opens a SOURCE in browser mode, having no desktop app, and serves the page from the package', async () => {
    const db = path.join(dir, 'opened.db');
    const child = spawn(path.join(prefix, 'bin', 'run-inspector'), [db], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PATH: userPath } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = new URL(await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve)));
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(fs.readFileSync(path.join(installed, 'out', 'renderer', 'index.html'), 'utf8'));
    const headers = { Authorization: `Bearer ${url.searchParams.get('token')}`, 'Content-Type': 'application/json' };
    const source = await fetch(new URL('/api/sourceInfo', url), { method: 'POST', headers, body: '{}' });
    expect(await source.json()).toEqual({ result: { kind: 'sqlite', path: db, readOnly: false } });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/^The installed package has no desktop app .*: starting browser mode instead\.\n/);
  });
});
