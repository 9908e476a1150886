// The CLI as users and scripts run it: a child process of this Node.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src-shared/types.ts';
import { cli, CLI } from '../../test/support/cli-process.ts';
import { formatJsonlLine } from '../store/jsonl/format.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';

const record = (seq: number, over: Partial<RunEvent> = {}): RunEvent => ({
  thread_id: 't1',
  run_id: 'r1',
  event_type: 'llm.ai.response',
  category: 'message',
  content: `message ${seq}`,
  metadata: {},
  seq,
  created_at: '2026-04-04T00:49:25.123456+00:00',
  ...over,
});

describe('cli', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-cli-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints its usage with --help and exits 0', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    const commands = [
      'run-inspector [SOURCE] [--write]',
      'serve SOURCE [--port N] [--write] [--init]',
      'import JSONL --into DB [--write] [--init]',
      'export SOURCE --out DIR',
      'rpc SOURCE|--memory [--write] [--init]',
      'search SOURCE QUERY [--thread T] [--run R] [--limit N] [--json]',
      'check SOURCE [--thread T] [--json]',
    ];
    for (const command of commands) {
      expect(stdout).toContain(command);
    }
  });

  it('runs through the package bin shim with the project\'s Node', async () => {
    const shim = path.join(path.dirname(CLI), '..', '..', 'bin', 'run-inspector.js');
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [shim, 'rpc', '--memory'], { stdio: 'pipe' });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('close', (exit) => resolve({ code: exit, stdout: out }));
      child.stdin.end('{"jsonrpc":"2.0","id":1,"method":"appInfo"}\n');
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).result).toMatchObject({ name: 'Run Inspector', transport: 'rpc' });
  });

  it('reports usage errors in one line and exits 2', async () => {
    for (const args of [['import', 'x.jsonl'], ['serve', '--port', 'eighty', '--memory'], ['rpc'], ['rpc', 'a.db', '--memory'], ['export', 'a.db'], ['rpc', '--memry'], ['a', 'b']]) {
      const { code, stderr, stdout } = await cli(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.split('\n')[0], args.join(' ')).toMatch(/^run-inspector: .+/);
      expect(stdout).toBe('');
    }
  });

  it('refuses a URL SOURCE of another scheme in every command, naming it without its password, and makes nothing in the working folder', async () => {
    const commands = [
      ['rpc', 'mysql://ana:s3cret@db.example:3306/deerflow'],
      ['serve', 'mysql://ana:s3cret@db.example/deerflow'],
      ['search', 'mysql://ana:s3cret@db.example/deerflow', 'rate'],
      ['export', 'mysql://ana:s3cret@db.example/deerflow', '--out', 'out'],
      ['import', 'events.jsonl', '--into', 'mysql://ana:s3cret@db.example/deerflow'],
      ['rpc', 'https://example.com/runs.db'],
    ];
    for (const args of commands) {
      const { code, stderr } = await cli(args, '', { cwd: dir });
      expect(code, args.join(' ')).toBe(1);
      expect(stderr, args.join(' ')).not.toContain('s3cret');
      const scheme = args.find((arg) => arg.includes('://'))!.split(':')[0];
      expect(stderr, args.join(' ')).toContain(`${scheme}:// is not a source this app opens`);
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  describe('a first word that is not a command', () => {
    it('is a usage error naming it and the commands when it cannot mean a SOURCE', async () => {
      for (const args of [['bogus'], ['sevre', 'a.db'], ['export.json']]) {
        const { code, stderr, stdout } = await cli(args, '', { cwd: dir });
        expect(code, args.join(' ')).toBe(2);
        expect(stderr.split('\n')[0]).toBe(`run-inspector: unknown command '${args[0]}' (commands: serve, rpc, import, export, search, check; or a SOURCE to open)`);
        expect(stdout).toBe('');
      }
      expect(fs.readdirSync(dir)).toEqual([]);
    });

    it('is a SOURCE when it is an existing path, a database name, a URL or has a path separator', async () => {
      fs.mkdirSync(path.join(dir, 'runs'));
      fs.writeFileSync(path.join(dir, 'events'), '');
      for (const word of ['runs', 'events', 'new.db', 'NEW.SQLITE', 'x.sqlite3', 'postgres://localhost/deerflow', 'missing/folder', '.']) {
        // A second SOURCE makes the command stop at its argument check, before it opens anything.
        const { code, stderr } = await cli([word, 'other'], '', { cwd: dir });
        expect(code, word).toBe(2);
        expect(stderr.split('\n')[0], word).toBe('run-inspector: expected one SOURCE, got 2');
      }
    });
  });

  describe('relative paths', () => {
    const root = path.resolve(path.dirname(CLI), '..', '..');
    const name = () => `ri-cli-relative-${process.pid}-${Math.random().toString(36).slice(2)}`;

    it('mean the caller\'s folder under `npm run cli` (package folder as cwd, the caller\'s in INIT_CWD)', async () => {
      const [layout, db, out] = [name(), `${name()}.db`, name()];
      const file = path.join(dir, layout, 'threads', 't1', 'runs', 'r1.jsonl');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, formatJsonlLine(record(1)) + formatJsonlLine(record(2)));
      const npmRun = { cwd: root, env: { ...process.env, INIT_CWD: dir } };
      try {
        expect((await cli(['import', layout, '--into', db], '', npmRun)).code).toBe(0);
        expect(fs.existsSync(path.join(dir, db))).toBe(true);
        expect((await cli(['export', db, '--out', out], '', npmRun)).code).toBe(0);
        expect(fs.existsSync(path.join(dir, out, 'threads', 't1', 'runs', 'r1.jsonl'))).toBe(true);
        const rpc = await cli(['rpc', db], '{"id":1,"method":"sourceInfo"}\n{"id":2,"method":"countMessages","params":{"threadId":"t1"}}\n', npmRun);
        expect(rpc.stdout.trimEnd().split('\n').map((line) => JSON.parse(line).result)).toEqual([
          { kind: 'sqlite', path: path.join(dir, db), readOnly: false },
          2,
        ]);
      } finally {
        for (const made of [layout, db, out]) fs.rmSync(path.join(root, made), { recursive: true, force: true });
      }
      for (const made of [layout, db, out]) expect(fs.existsSync(path.join(root, made)), made).toBe(false);
    });

    it('mean the working folder anywhere else, even with an INIT_CWD inherited from an npm script', async () => {
      const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-cli-elsewhere-'));
      try {
        const rpc = await cli(['rpc', 'here.db'], '{"id":1,"method":"sourceInfo"}\n', { cwd: dir, env: { ...process.env, INIT_CWD: elsewhere } });
        expect(JSON.parse(rpc.stdout).result.path).toBe(path.join(dir, 'here.db'));
        expect(fs.readdirSync(elsewhere)).toEqual([]);
      } finally {
        fs.rmSync(elsewhere, { recursive: true, force: true });
      }
    });
  });

  describe('import', () => {
    const writeLayout = () => {
      const file = path.join(dir, 'threads', 't1', 'runs', 'r1.jsonl');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, [formatJsonlLine(record(1)), 'not json\n', formatJsonlLine(record(2))].join(''));
      return file;
    };

    it('prints the summary and each skipped line, exits 0, and a re-run only finds duplicates', async () => {
      const file = writeLayout();
      const db = path.join(dir, 'x.db');
      const first = await cli(['import', dir, '--into', db]);
      expect(first.code).toBe(0);
      const lines = first.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^imported 2, skipped 1, duplicates 0, in \d+(\.\d+)? s$/);
      expect(lines.slice(1)).toEqual([`${file}:2`]);
      expect(first.stderr).toContain(`${file}:2: malformed JSON`);
      const again = await cli(['import', dir, '--into', db]);
      expect(again.stdout.split('\n')[0]).toMatch(/^imported 0, skipped 1, duplicates 2, in /);
      const store = openSqliteStore(db, { create: false });
      expect((await store.listMessages('t1')).map((e) => e.seq)).toEqual([1, 2]);
      await store.close();
    });

    it('exits 1 when nothing can be read or the target is not a database', async () => {
      const missing = await cli(['import', path.join(dir, 'nope.jsonl'), '--into', path.join(dir, 'x.db')]);
      expect([missing.code, missing.stderr.trim()]).toEqual([1, `run-inspector: error: ${path.join(dir, 'nope.jsonl')}: no such file or directory`]);
      fs.writeFileSync(path.join(dir, 'junk.jsonl'), 'junk\n\n');
      const junk = await cli(['import', path.join(dir, 'junk.jsonl'), '--into', path.join(dir, 'x.db')]);
      expect(junk.code).toBe(1);
      expect(junk.stdout).toContain('imported 0, skipped 2');
      writeLayout();
      fs.writeFileSync(path.join(dir, 'text.db'), 'hello');
      const target = await cli(['import', dir, '--into', path.join(dir, 'text.db')]);
      expect(target.code).toBe(1);
      expect(target.stderr).toMatch(/^run-inspector: error: .*text\.db/);
    });
  });

  describe('export', () => {
    it('writes the layout of a database and reports it', async () => {
      const db = path.join(dir, 'src.db');
      const store = openSqliteStore(db, { create: true });
      store.importEvents([record(1), record(2, { run_id: 'r2' }), record(1, { thread_id: 't2' })]);
      await store.close();
      const out = path.join(dir, 'out');
      const all = await cli(['export', db, '--out', out]);
      expect([all.code, all.stdout]).toEqual([0, expect.stringMatching(/^exported 3 events \(2 threads, 3 runs\) to .*out in [\d.]+ s\n$/)]);
      expect(fs.readFileSync(path.join(out, 'threads', 't1', 'runs', 'r2.jsonl'), 'utf8')).toBe(formatJsonlLine(record(2, { run_id: 'r2' })));
      const one = await cli(['export', db, '--out', path.join(dir, 'one'), '--thread', 't1', '--run', 'r1']);
      expect(one.stdout).toMatch(/^exported 1 event \(1 thread, 1 run\)/);
      const none = await cli(['export', db, '--out', path.join(dir, 'none'), '--thread', 'nope']);
      expect([none.code, none.stderr]).toEqual([1, 'run-inspector: error: nothing to export: no events for thread nope\n']);
      const missing = await cli(['export', path.join(dir, 'typo'), '--out', path.join(dir, 'x')]);
      expect(missing.code).toBe(1);
      expect(fs.existsSync(path.join(dir, 'typo'))).toBe(false);
    });
  });

  describe('rpc', () => {
    it('opens a SOURCE and answers from it', async () => {
      const db = path.join(dir, 'src.db');
      const store = openSqliteStore(db, { create: true });
      store.importEvents([record(1), record(2)]);
      await store.close();
      const { code, stdout } = await cli(['rpc', db], '{"jsonrpc":"2.0","id":1,"method":"countMessages","params":{"threadId":"t1"}}\n');
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual({ jsonrpc: '2.0', id: 1, result: 2 });
    });

    it('opens a file as it always has with --write and --init, which are for a PostgreSQL SOURCE', async () => {
      const db = path.join(dir, 'new.db');
      const file = path.join(dir, 'export.jsonl');
      fs.writeFileSync(file, formatJsonlLine(record(1)));
      for (const [source, readOnly] of [[db, false], [file, true]] as const) {
        const { code, stdout } = await cli(['rpc', source, '--write', '--init'], '{"id":1,"method":"sourceInfo"}\n');
        expect([code, JSON.parse(stdout).result.readOnly], source).toEqual([0, readOnly]);
      }
      expect(fs.readFileSync(file, 'utf8')).toBe(formatJsonlLine(record(1)));
    });

    it('exits 1 with one line when the SOURCE cannot be opened', async () => {
      fs.writeFileSync(path.join(dir, 'empty.db'), '');
      const { code, stderr } = await cli(['rpc', path.join(dir, 'empty.db')]);
      expect(code).toBe(1);
      expect(stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^run-inspector: error: .*empty\.db/)]);
    });
  });

  describe('search', () => {
    const userData = () => ({ env: { ...process.env, RUN_INSPECTOR_USER_DATA: path.join(dir, 'user-data') } });
    const searchCli = (args: string[]) => cli(['search', ...args], '', userData());
    /** stderr but the index's progress lines, which come as often as the build takes. */
    const notes = (stderr: string) => stderr.split('\n').filter((line) => line !== '' && !/^indexing: [\d,]+ of [\d,]+ events$/.test(line));
    const hit = (seq: number, over: Partial<RunEvent> = {}) => record(seq, { created_at: `2026-04-04T00:50:0${seq}+00:00`, ...over });

    it('prints the hits newest first, one per line: thread, run, seq, type, time, snippet; the source left unchanged', async () => {
      const db = path.join(dir, 'src.db');
      const store = openSqliteStore(db, { create: true });
      store.importEvents([
        hit(1, { content: 'the Borealis plan' }),
        hit(2, { content: { type: 'ai', content: 'borealis \u001b[31mred' }, run_id: 'r2', event_type: 'llm.end', category: 'trace' }),
        hit(3, { content: 'nothing here' }),
        hit(1, { thread_id: 't2', content: 'BOREALIS elsewhere' }),
      ]);
      await store.close();
      const before = fs.readFileSync(db);
      const all = await searchCli([db, 'borealis']);
      expect([all.code, notes(all.stderr)]).toEqual([0, []]);
      expect(all.stdout.trimEnd().split('\n')).toEqual([
        't1\tr2\t2\tllm.end\t2026-04-04T00:50:02+00:00\tai borealis \\u001b[31mred',
        't1\tr1\t1\tllm.ai.response\t2026-04-04T00:50:01+00:00\tthe Borealis plan',
        't2\tr1\t1\tllm.ai.response\t2026-04-04T00:50:01+00:00\tBOREALIS elsewhere',
      ]);
      expect(fs.readFileSync(db).equals(before)).toBe(true);
      const scoped = await searchCli([db, 'borealis', 'plan', '--thread', 't1', '--run', 'r1']);
      expect(scoped.stdout).toBe('t1\tr1\t1\tllm.ai.response\t2026-04-04T00:50:01+00:00\tthe Borealis plan\n');
    });

    it('prints JSON lines with --json, says when --limit left hits out or none matched, and exits 0 either way', async () => {
      const root = path.join(dir, '.deer-flow');
      const file = path.join(root, 'threads', 't1', 'runs', 'r1.jsonl');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, [1, 2, 3].map((seq) => formatJsonlLine(hit(seq, { content: `北美 report ${seq}` }))).join(''));
      const json = await searchCli([root, '北美', '--limit', '2', '--json']);
      expect(json.code).toBe(0);
      expect(json.stdout.trimEnd().split('\n').map((line) => JSON.parse(line))).toEqual([
        { thread_id: 't1', run_id: 'r1', seq: 3, event_type: 'llm.ai.response', category: 'message', created_at: '2026-04-04T00:50:03+00:00', snippet: '北美 report 3' },
        { thread_id: 't1', run_id: 'r1', seq: 2, event_type: 'llm.ai.response', category: 'message', created_at: '2026-04-04T00:50:02+00:00', snippet: '北美 report 2' },
      ]);
      expect(notes(json.stderr)).toEqual(['more events match than these 2: raise --limit (at most 500) or narrow with --thread / --run']);
      const none = await searchCli([root, '南美']);
      expect([none.code, none.stdout, notes(none.stderr)]).toEqual([0, '', ['no event matches']]);
    });

    it('exits 2 on a usage mistake, naming the flag, and 1 on a missing SOURCE, creating nothing', async () => {
      const db = path.join(dir, 'src.db');
      await openSqliteStore(db, { create: true }).close();
      const mistakes: [string[], string][] = [
        [[db], 'search: expected a SOURCE and a QUERY, got 1 argument'],
        [[db, '""'], 'search: QUERY: must have at least one term'],
        [[db, 'x', '--run', 'r1'], 'search: --run needs --thread'],
        [[db, 'x', '--limit', '0'], 'search: --limit: must be ≥ 1'],
        [[db, 'x', '--limit', '501'], 'search: --limit: must be ≤ 500'],
        [[db, 'x', '--limit', 'ten'], 'search: --limit: expected a whole number, got "ten"'],
        [[db, 'x', '--thread', 't'.repeat(65)], 'search: --thread: must be at most 64 characters'],
      ];
      for (const [args, message] of mistakes) {
        const { code, stdout, stderr } = await searchCli(args);
        expect([code, stdout, stderr.split('\n')[0]], args.join(' ')).toEqual([2, '', `run-inspector: ${message}`]);
      }
      const missing = await searchCli([path.join(dir, 'typo.db'), 'x']);
      expect([missing.code, missing.stderr]).toEqual([1, `run-inspector: error: ${path.join(dir, 'typo.db')}: no such file or folder\n`]);
      expect(fs.existsSync(path.join(dir, 'typo.db'))).toBe(false);
    });
  });

  describe('serve', () => {
    it('prints the URL alone on its line, serves the API with the token, ignores stdin, and stops cleanly on SIGTERM', async () => {
      const child = spawn(process.execPath, [CLI, 'serve', '--memory'], { stdio: 'pipe' });
      child.stdin.end('this is ignored\n');
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const firstLine = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
      expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+$/);
      const url = new URL(firstLine);
      const token = url.searchParams.get('token');
      const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
      const response = await fetch(new URL('/api/sourceInfo', url), { method: 'POST', headers, body: '{}' });
      expect(await response.json()).toEqual({ result: { kind: 'memory', path: null, readOnly: false } });
      expect((await fetch(new URL('/api/sourceInfo', url), { method: 'POST', body: '{}' })).status).toBe(401);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    });

    it('says so in one line when the port is taken', async () => {
      const first = spawn(process.execPath, [CLI, 'serve', '--memory'], { stdio: 'pipe' });
      const line = await new Promise<string>((resolve) => createInterface({ input: first.stdout }).once('line', resolve));
      const { port } = new URL(line);
      const second = await cli(['serve', '--memory', '--port', port]);
      expect([second.code, second.stderr]).toEqual([1, `run-inspector: error: port ${port} is already in use\n`]);
      first.kill('SIGINT');
      await new Promise((resolve) => first.on('exit', resolve));
    });
  });
});
