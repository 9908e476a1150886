// The CLI on a PostgreSQL SOURCE (issue 13), against the run's own server
// (postgres-global-setup.ts): read-only unless --write, --init only for an
// empty database, the password never printed, and import, export, search
// and serve as on a file.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { EventInput, RunEvent, SearchResult } from '../../src-shared/types.ts';
import { cli, CLI, spawnRpc } from '../../test/support/cli-process.ts';
import { createTestDatabase, deerflowWriteEvents, type TestDatabase, type TestDatabaseOptions } from '../../test/support/postgres-databases.ts';
import { postgresUrl } from '../../test/support/postgres-server.ts';
import { formatJsonlLine } from '../store/jsonl/format.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';

const server = inject('postgresServer');

/** The URL the app shows and names the database by: no password. */
const displayUrl = (db: TestDatabase) => `postgresql://${server.user}@${server.host}:${server.port}/${db.name}`;

const at = (second: number) => `2026-07-20T01:00:0${second}.423086+00:00`;

/** DeerFlow-shaped events: plain, dict and list content (markers in the database, none in JSONL), non-ASCII text, microseconds. */
const EVENTS: EventInput[] = [
  { thread_id: 't1', run_id: 'r1', event_type: 'llm.human.input', category: 'message', content: 'Plan the Borealis trip', metadata: {}, created_at: at(1) },
  { thread_id: 't1', run_id: 'r1', event_type: 'llm.ai.response', category: 'message', content: { type: 'ai', content: '北美 itinerary', tool_calls: [] }, metadata: { model_name: 'm1' }, created_at: at(2) },
  { thread_id: 't1', run_id: 'r1', event_type: 'llm.end', category: 'trace', content: ['borealis', 1], metadata: {}, created_at: at(3) },
  { thread_id: 't2', run_id: 'r2', event_type: 'llm.human.input', category: 'message', content: 'Another thread', metadata: {}, created_at: '2026-07-20T01:00:04+00:00' },
];

const requestLines = (...requests: object[]) => requests.map((request, i) => `${JSON.stringify({ jsonrpc: '2.0', id: i + 1, ...request })}\n`).join('');
const replies = (stdout: string) => stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { id: number; result?: unknown; error?: { message: string; data: { code: string } } });

/** A port nothing listens on. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const tablesOf = async (db: TestDatabase) =>
  (await db.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")).map((row) => row.table_name);

const indexesOf = async (db: TestDatabase) =>
  (await db.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname")).map((row) => row.indexdef.replace(db.name, 'DB'));

const seqsOf = async (db: TestDatabase, thread: string) =>
  (await db.query<{ seq: number }>('SELECT seq FROM run_events WHERE thread_id = $1 ORDER BY seq', [thread])).map((row) => row.seq);

/** Thread t1 of EVENTS as DeerFlow's JSONL layout under `root`, with a malformed line 2; returns the file. */
function writeThreadOne(root: string): string {
  const file = path.join(root, 'threads', 't1', 'runs', 'r1.jsonl');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const records = EVENTS.slice(0, 3).map((event, i) => formatJsonlLine({ ...event, seq: i + 1 } as RunEvent));
  fs.writeFileSync(file, [records[0], 'not json\n', records[1], records[2]].join(''));
  return file;
}

/** Every file under `root`, by its relative path, with its text. */
function filesUnder(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      files[path.relative(root, file)] = fs.readFileSync(file, 'utf8');
    }
  }
  return files;
}

describe('the CLI on a PostgreSQL SOURCE', () => {
  let dir: string;
  const databases: TestDatabase[] = [];
  const database = async (options?: TestDatabaseOptions) => {
    const db = await createTestDatabase(options);
    databases.push(db);
    return db;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-cli-pg-'));
  });
  afterEach(async () => {
    await Promise.all(databases.splice(0).map((db) => db.drop()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('rpc', () => {
    it('reads a server opened read-only, and refuses a write with READ_ONLY naming --write, writing nothing', async () => {
      const db = await database();
      await deerflowWriteEvents(db.pool, EVENTS);
      const put = { method: 'put', params: { event: { thread_id: 't1', run_id: 'r1', event_type: 'llm.human.input', category: 'message', content: 'more' } } };
      const { code, stdout, stderr } = await cli(['rpc', db.url], requestLines({ method: 'sourceInfo' }, { method: 'countMessages', params: { threadId: 't1' } }, { method: 'listThreads' }, put), { cwd: dir });
      expect([code, stderr]).toEqual([0, '']);
      const [info, count, threads, refused] = replies(stdout);
      expect(info.result).toEqual({ kind: 'postgres', path: displayUrl(db), readOnly: true });
      expect(count.result).toBe(2);
      expect((threads.result as { thread_id: string }[]).map((thread) => thread.thread_id).sort()).toEqual(['t1', 't2']);
      expect(refused.error?.data.code).toBe('READ_ONLY');
      expect(refused.error?.message).toContain(`${displayUrl(db)} is open read-only; open it with --write`);
      expect(await seqsOf(db, 't1')).toEqual([1, 2, 3]);
    });

    it('writes with --write, giving the seq DeerFlow would, max(seq) + 1', async () => {
      const db = await database();
      await deerflowWriteEvents(db.pool, EVENTS);
      // A gap below the top: the next seq is above the highest, not after the count.
      await db.query("DELETE FROM run_events WHERE thread_id = 't1' AND seq = 2");
      const event = { thread_id: 't1', run_id: 'r1', event_type: 'llm.human.input', category: 'message', content: 'more', created_at: at(5) };
      const { code, stdout } = await cli(['rpc', db.url, '--write'], requestLines({ method: 'sourceInfo' }, { method: 'put', params: { event } }), { cwd: dir });
      expect(code).toBe(0);
      const [info, put] = replies(stdout);
      expect(info.result).toMatchObject({ readOnly: false });
      expect(put.result).toMatchObject({ ...event, seq: 4 });
      expect(await seqsOf(db, 't1')).toEqual([1, 3, 4]);
    });

    it('answers every method of the store and its read model on a server, writes with --write', async () => {
      const db = await database();
      await deerflowWriteEvents(db.pool, EVENTS);
      const event = { thread_id: 't3', run_id: 'r3', event_type: 'run.start', category: 'trace', content: 'start', created_at: at(6) };
      const t1r1 = { threadId: 't1', runId: 'r1' };
      const calls: [string, object?][] = [
        ['put', { event }],
        ['putBatch', { events: [{ ...event, event_type: 'llm.human.input', category: 'message', content: 'hi' }, { ...event, run_id: 'r4', event_type: 'llm.human.input', category: 'message', content: 'again' }] }],
        ['putIfAbsent', { event }],
        ['listMessages', { threadId: 't1', limit: 1 }],
        ['listEvents', { ...t1r1, eventTypes: ['llm.end'] }],
        ['listMessagesByRun', t1r1],
        ['countMessages', { threadId: 't3' }],
        ['listThreads'],
        ['listRuns', { threadId: 't3' }],
        ['runSummary', t1r1],
        ['compareRuns', { a: { threadId: 't3', runId: 'r3' }, b: { threadId: 't3', runId: 'r4' } }],
        ['threadOverview', { threadId: 't1', buckets: 3, marks: true }],
        ['eventCounts', t1r1],
        ['getEvent', { threadId: 't1', seq: 2 }],
        ['sourceIssues'],
        ['deleteByRun', { threadId: 't3', runId: 'r4' }],
        ['deleteByThread', { threadId: 't2' }],
        ['sourceInfo'],
        ['appInfo'],
      ];
      const { code, stdout, stderr } = await cli(['rpc', db.url, '--write'], requestLines(...calls.map(([method, params]) => ({ method, params }))), {
        env: { ...process.env, RUN_INSPECTOR_USER_DATA: path.join(dir, 'user-data') },
      });
      expect([code, stderr]).toEqual([0, '']);
      const answers = Object.fromEntries(replies(stdout).map((reply, i) => [calls[i][0], reply]));
      expect(Object.entries(answers).filter(([, reply]) => reply.error)).toEqual([]);
      const result = (method: string) => answers[method].result as never;
      expect(result('put')).toMatchObject({ ...event, seq: 1 });
      expect((result('putBatch') as RunEvent[]).map((e) => e.seq)).toEqual([2, 3]);
      expect(result('putIfAbsent')).toMatchObject({ created: false, event: { seq: 1 } });
      expect((result('listMessages') as RunEvent[]).map((e) => e.seq)).toEqual([2]);
      expect((result('listEvents') as RunEvent[]).map((e) => e.content)).toEqual([['borealis', 1]]);
      expect(result('countMessages')).toBe(2);
      expect((result('listRuns') as { run_id: string }[]).map((run) => run.run_id).sort()).toEqual(['r3', 'r4']);
      expect(result('eventCounts')).toMatchObject({ by_category: { message: 2, trace: 1 } });
      expect(result('getEvent')).toMatchObject({ seq: 2, content: { type: 'ai', content: '北美 itinerary', tool_calls: [] }, created_at: at(2) });
      expect([result('deleteByRun'), result('deleteByThread')]).toEqual([1, 1]);
      expect(result('sourceInfo')).toEqual({ kind: 'postgres', path: displayUrl(db), readOnly: false });
      expect(await db.query('SELECT thread_id, run_id, seq FROM run_events ORDER BY thread_id, seq')).toEqual([
        { thread_id: 't1', run_id: 'r1', seq: 1 },
        { thread_id: 't1', run_id: 'r1', seq: 2 },
        { thread_id: 't1', run_id: 'r1', seq: 3 },
        { thread_id: 't3', run_id: 'r3', seq: 1 },
        { thread_id: 't3', run_id: 'r3', seq: 2 },
      ]);
    });

    it("searches a server from the sidecar's index once it says it is ready, finding the event", async () => {
      const db = await database();
      await deerflowWriteEvents(db.pool, EVENTS);
      const rpc = spawnRpc([db.url], { env: { ...process.env, RUN_INSPECTOR_USER_DATA: path.join(dir, 'user-data') } });
      let id = 0;
      const search = async () => {
        rpc.send(JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'search', params: { query: 'itinerary' } }));
        return ((await rpc.next()) as { result: SearchResult }).result;
      };
      await expect.poll(async () => (await search()).index.state, { timeout: 10_000 }).toBe('ready');
      expect((await search()).hits.map((hit) => [hit.thread_id, hit.seq])).toEqual([['t1', 2]]);
      rpc.end();
      expect(await rpc.exited).toBe(0);
    });

    it('gives an empty database DeerFlow\'s tables with --init --write, and without them says to give both', async () => {
      const empty = await database({ deerflowSchema: false });
      const without = await cli(['rpc', empty.url], requestLines({ method: 'sourceInfo' }), { cwd: dir });
      expect(without.code).toBe(1);
      expect(without.stderr.trimEnd().split('\n')).toEqual([`run-inspector: error: ${displayUrl(empty)}: no run_events table; give --init --write to create DeerFlow's tables in this empty database`]);
      expect(await tablesOf(empty)).toEqual([]);

      // Creating tables is a write: --init alone makes none.
      const initOnly = await cli(['rpc', empty.url, '--init'], requestLines({ method: 'sourceInfo' }), { cwd: dir });
      expect(initOnly.code).toBe(1);
      expect(initOnly.stderr).toBe(`run-inspector: error: ${displayUrl(empty)}: --init creates DeerFlow's tables, a write; give --write too\n`);
      expect(await tablesOf(empty)).toEqual([]);

      const init = await cli(['rpc', empty.url, '--init', '--write'], requestLines({ method: 'sourceInfo' }, { method: 'listThreads' }), { cwd: dir });
      expect(init.code).toBe(0);
      expect(replies(init.stdout).map((reply) => reply.result)).toEqual([{ kind: 'postgres', path: displayUrl(empty), readOnly: false }, []]);
      const deerflow = await database();
      expect(await tablesOf(empty)).toEqual(await tablesOf(deerflow));
      expect(await indexesOf(empty)).toEqual(await indexesOf(deerflow));
    });

    it('refuses --init on a database with tables of its own, and leaves it as it was', async () => {
      const other = await database({ deerflowSchema: false });
      await other.query("CREATE TABLE notes (id integer); INSERT INTO notes VALUES (1)");
      const { code, stderr } = await cli(['rpc', other.url, '--init', '--write'], requestLines({ method: 'sourceInfo' }), { cwd: dir });
      expect(code).toBe(1);
      expect(stderr).toBe(`run-inspector: error: ${displayUrl(other)}: has tables but no run_events; --init only sets up an empty database\n`);
      expect(await tablesOf(other)).toEqual(['notes']);
      expect(await other.query('SELECT id FROM notes')).toEqual([{ id: 1 }]);
    });
  });

  it('says in one line that a server cannot be reached or refused the password, in every command: exit 1, the password never printed, no folder made', async () => {
    const db = await database();
    const port = await freePort();
    const input = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-cli-pg-input-'));
    fs.writeFileSync(path.join(input, 'events.jsonl'), formatJsonlLine({ ...EVENTS[0], seq: 1 } as RunEvent));
    const unreachable = { url: `postgresql://ana:s3cret@127.0.0.1:${port}/deerflow`, shown: `postgresql://ana@127.0.0.1:${port}/deerflow`, failure: `cannot reach the server at 127.0.0.1:${port}` };
    const wrongPassword = { url: postgresUrl({ ...server, password: 's3cret' }, db.name), shown: displayUrl(db), failure: `the server at ${server.host}:${server.port} refused the login` };
    try {
      for (const { url, shown, failure } of [unreachable, wrongPassword]) {
        const commands = [
          ['rpc', url],
          ['serve', url],
          ['search', url, 'borealis'],
          ['export', url, '--out', 'out'],
          ['import', path.join(input, 'events.jsonl'), '--into', url, '--write'],
        ];
        for (const args of commands) {
          const { code, stdout, stderr } = await cli(args, '', { cwd: dir, env: { ...process.env, RUN_INSPECTOR_USER_DATA: path.join(input, 'user-data') } });
          expect(code, args.join(' ')).toBe(1);
          expect(stdout + stderr, args.join(' ')).not.toContain('s3cret');
          expect(stderr.trimEnd().split('\n'), args.join(' ')).toEqual([expect.stringContaining(`run-inspector: error: ${shown}: ${failure}`)]);
        }
      }
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(input, { recursive: true, force: true });
    }
  });

  describe('import --into a server', () => {
    const writeLayout = () => writeThreadOne(dir);

    it('needs --write, and then keeps the seqs, lists the skipped lines and finds only duplicates the second time', async () => {
      const db = await database();
      const file = writeLayout();
      const refused = await cli(['import', dir, '--into', db.url]);
      expect([refused.code, refused.stderr]).toEqual([1, `run-inspector: error: ${displayUrl(db)} is open read-only: give --write to import into it (in the app: switch this source to read-write)\n`]);
      expect(await seqsOf(db, 't1')).toEqual([]);

      const first = await cli(['import', dir, '--into', db.url, '--write']);
      expect(first.code).toBe(0);
      const lines = first.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^imported 3, skipped 1, duplicates 0, in \d+(\.\d+)? s$/);
      expect(lines.slice(1)).toEqual([`${file}:2`]);
      expect(first.stderr).toContain(`${file}:2: malformed JSON`);
      // As DeerFlow's Postgres writer stores them: its markers on structured content, the instant with its microseconds.
      expect(await db.query("SELECT seq, content, event_metadata::text AS metadata, to_char(created_at AT TIME ZONE 'UTC', 'SS.US') AS second FROM run_events ORDER BY seq")).toEqual([
        { seq: 1, content: 'Plan the Borealis trip', metadata: '{}', second: '01.423086' },
        { seq: 2, content: '{"type": "ai", "content": "北美 itinerary", "tool_calls": []}', metadata: '{"model_name": "m1", "content_is_json": true, "content_is_dict": true}', second: '02.423086' },
        { seq: 3, content: '["borealis", 1]', metadata: '{"content_is_json": true}', second: '03.423086' },
      ]);

      const again = await cli(['import', dir, '--into', db.url, '--write']);
      expect(again.code).toBe(0);
      expect(again.stdout.split('\n')[0]).toMatch(/^imported 0, skipped 1, duplicates 3, in /);
      expect(await seqsOf(db, 't1')).toEqual([1, 2, 3]);
    });

    it('gives an empty database DeerFlow\'s tables first with --init', async () => {
      const empty = await database({ deerflowSchema: false });
      writeLayout();
      const { code, stdout } = await cli(['import', dir, '--into', empty.url, '--write', '--init']);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^imported 3, skipped 1, duplicates 0, /);
      expect(await tablesOf(empty)).toEqual(await tablesOf(await database()));
    });
  });

  it('runs rpc\'s import and export jobs on a server in its own process, through the open source: an import only with --write', async () => {
    const db = await database();
    await deerflowWriteEvents(db.pool, EVENTS.slice(3));
    const layout = path.join(dir, 'layout');
    writeThreadOne(layout);
    const importJob = { method: 'importJsonl', params: { path: layout } };
    // A job's end is pushed, which rpc does not print; rpc lets it end before it exits.
    expect((await cli(['rpc', db.url], requestLines(importJob))).code).toBe(0);
    expect(await seqsOf(db, 't1')).toEqual([]);
    const imported = await cli(['rpc', db.url, '--write'], requestLines(importJob));
    expect([imported.code, replies(imported.stdout)[0].result]).toEqual([0, { jobId: expect.any(String) }]);
    expect(await seqsOf(db, 't1')).toEqual([1, 2, 3]);

    const out = path.join(dir, 'rpc-export');
    expect((await cli(['rpc', db.url], requestLines({ method: 'exportSource', params: { out } }))).code).toBe(0);
    expect((await cli(['export', db.url, '--out', path.join(dir, 'cli-export')])).code).toBe(0);
    expect(Object.keys(filesUnder(out))).toHaveLength(2);
    expect(filesUnder(out)).toEqual(filesUnder(path.join(dir, 'cli-export')));
  });

  it('exports a server as the same layout an export of the same events from SQLite is', async () => {
    const db = await database();
    await deerflowWriteEvents(db.pool, EVENTS);
    const sqlite = path.join(dir, 'same.db');
    const store = openSqliteStore(sqlite, { create: true });
    await store.putBatch(EVENTS);
    await store.close();
    const fromServer = await cli(['export', db.url, '--out', path.join(dir, 'from-server')]);
    expect([fromServer.code, fromServer.stdout]).toEqual([0, expect.stringMatching(/^exported 4 events \(2 threads, 2 runs\) to .*from-server in [\d.]+ s\n$/)]);
    expect((await cli(['export', sqlite, '--out', path.join(dir, 'from-sqlite')])).code).toBe(0);
    const exported = filesUnder(path.join(dir, 'from-server'));
    expect(Object.keys(exported).sort()).toEqual([path.join('threads', 't1', 'runs', 'r1.jsonl'), path.join('threads', 't2', 'runs', 'r2.jsonl')]);
    expect(exported).toEqual(filesUnder(path.join(dir, 'from-sqlite')));
  });

  it('searches a server, newest first, leaving it unchanged', async () => {
    const db = await database();
    await deerflowWriteEvents(db.pool, EVENTS);
    const { code, stdout } = await cli(['search', db.url, 'borealis'], '', { env: { ...process.env, RUN_INSPECTOR_USER_DATA: path.join(dir, 'user-data') } });
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n').map((line) => line.split('\t').slice(0, 3))).toEqual([
      ['t1', 'r1', '3'],
      ['t1', 'r1', '1'],
    ]);
    expect(await seqsOf(db, 't1')).toEqual([1, 2, 3]);
  });

  it('serves a server in browser mode: the API answers with the bearer token, read-only, and says so without the password', async () => {
    const db = await database();
    await deerflowWriteEvents(db.pool, EVENTS);
    const child = spawn(process.execPath, [CLI, 'serve', db.url], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = new URL(await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve)));
    const call = async (method: string) => {
      const response = await fetch(new URL(`/api/${method}`, url), { method: 'POST', headers: { Authorization: `Bearer ${url.searchParams.get('token')}`, 'Content-Type': 'application/json' }, body: '{}' });
      return ((await response.json()) as { result: unknown }).result;
    };
    expect(await call('sourceInfo')).toEqual({ kind: 'postgres', path: displayUrl(db), readOnly: true });
    expect(((await call('listThreads')) as { thread_id: string; message_count: number }[]).map(({ thread_id, message_count }) => [thread_id, message_count]).sort()).toEqual([
      ['t1', 2],
      ['t2', 1],
    ]);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain(`Run Inspector is serving ${displayUrl(db)} (postgres, read-only) at the URL above`);
    expect(stderr).not.toContain(server.password);
  });
});
