// A page's PostgreSQL source (issue 13), on the run's own server: opening a
// URL, the password the page asks for (never kept but in memory or the
// keychain, never sent back), recents, the read-only default and the switch
// to read-write, and the server's failures as the page sees them.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { SourceInfo } from '../../src-shared/types.ts';
import { createTestDatabase, deerflowWriteEvents, type TestDatabase } from '../../test/support/postgres-databases.ts';
import { commandOpener } from '../cli/server-flags.ts';
import { writeSqliteStore } from '../generator/write-store.ts';
import { createHandlers, dispatch } from './handlers.ts';
import type { PushEvent } from './push.ts';
import { type Encryptor, SavedPasswords } from './saved-passwords.ts';
import { withoutPassword } from './server-passwords.ts';
import { Session, type SessionOptions } from './session.ts';

const server = inject('postgresServer');

/** A keychain stand-in: what it seals is not the password's text. */
const fakeKeychain: Encryptor = {
  encrypt: async (text) => Buffer.from(text, 'utf8').reverse(),
  decrypt: async (data) => Buffer.from(data).reverse().toString('utf8'),
  available: async () => true,
};

const event = (thread: string, n: number) => ({ thread_id: thread, run_id: 'run-1', event_type: 'llm.ai.response', category: 'message', content: `message ${n}` });

/** A port on loopback that nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("a page's PostgreSQL source", () => {
  let dir: string;
  let db: TestDatabase;
  /** The database's URL as a user types it: no password in it. */
  let typed: string;
  /** The source's identity: its display URL. */
  let displayUrl: string;
  let sqliteFile: string;
  const sessions: Session[] = [];

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-session-postgres-'));
    db = await createTestDatabase();
    typed = withoutPassword(db.url);
    displayUrl = `postgresql://${server.user}@${server.host}:${server.port}/${db.name}`;
    await deerflowWriteEvents(db.pool, [event('t1', 1), event('t1', 2), event('t2', 1)]);
    sqliteFile = path.join(dir, 'local.db');
    await writeSqliteStore(sqliteFile, [], []);
  });
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.close()));
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function start(options: Partial<SessionOptions> = {}) {
    const session = await Session.create(sqliteFile, { transport: 'browser', workerUrl: null, userDataDir: path.join(dir, 'user-data'), ...options });
    sessions.push(session);
    const pushes: PushEvent[] = [];
    session.push.subscribe((push) => pushes.push(push));
    const handlers = createHandlers(session);
    const call = (method: string, params: unknown = {}) => dispatch(handlers, method, params);
    return { session, pushes, call };
  }

  const userFiles = () => fs.readdirSync(path.join(dir, 'user-data'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  const everyUserFileText = () => userFiles().map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8')).join('\n');

  it('asks for a password (AUTH) when the URL has none, then opens read-only with the one given; no answer, file or message holds it', async () => {
    const { session, call, pushes } = await start();
    const refused = await call('openDatabaseUrl', { url: typed }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'AUTH', message: expect.stringContaining(displayUrl) });
    expect(session.info).toEqual({ kind: 'sqlite', path: sqliteFile, readOnly: false });

    const info = (await call('openDatabaseUrl', { url: typed, password: server.password })) as SourceInfo;
    expect(info).toEqual({ kind: 'postgres', path: displayUrl, readOnly: true });
    expect(await call('listThreads')).toHaveLength(2);
    expect(pushes).toContainEqual({ channel: 'store:changed', message: { threadIds: null } });
    expect(await call('recentSources')).toEqual([{ path: displayUrl, kind: 'postgres', opened_at: expect.any(String), exists: true }]);
    expect(JSON.stringify([info, await call('sourceInfo'), await call('recentSources'), await call('appInfo')])).not.toContain(server.password);
    expect(everyUserFileText()).not.toContain(server.password);
  });

  it('says AUTH, naming the source and not the password, when the server refuses the one given; a password given replaces the URL\'s', async () => {
    const { session, call } = await start();
    const wrong = `${server.password}-wrong`;
    const refused = await call('openDatabaseUrl', { url: typed, password: wrong }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'AUTH', message: expect.stringContaining(displayUrl) });
    expect((refused as Error).message).not.toContain(wrong);
    expect(session.info.kind).toBe('sqlite');
    // A URL with a wrong password in it, corrected in the dialog.
    const withWrong = db.url.replace(`:${encodeURIComponent(server.password)}@`, `:${encodeURIComponent(wrong)}@`);
    expect(await call('openDatabaseUrl', { url: withWrong }).catch((error: unknown) => error)).toMatchObject({ code: 'AUTH' });
    expect(await call('openSource', { path: withWrong, password: server.password })).toEqual({ kind: 'postgres', path: displayUrl, readOnly: true });
  });

  it('keeps a typed password for the session only (browser mode): a recent entry reopens with it, a new session asks again', async () => {
    const first = await start();
    await first.call('openSource', { path: typed, password: server.password, remember: true });
    await first.call('openSource', { path: sqliteFile });
    expect(await first.call('openRecent', { path: displayUrl })).toEqual({ kind: 'postgres', path: displayUrl, readOnly: true });
    expect((await first.call('appInfo')) as object).toMatchObject({ keepsPasswords: false });

    const second = await start();
    expect(await second.call('openRecent', { path: displayUrl }).catch((error: unknown) => error)).toMatchObject({ code: 'AUTH' });
    expect(await second.call('openRecent', { path: displayUrl, password: server.password })).toMatchObject({ kind: 'postgres' });
  });

  it('desktop: a password the user asked to remember opens the source in a later session (recent list and launch), encrypted; forgetRecent forgets it', async () => {
    const keychainFile = path.join(dir, 'user-data', 'saved-passwords.json');
    const desktop = () => start({ transport: 'electron', savedPasswords: new SavedPasswords(keychainFile, fakeKeychain) });
    const first = await desktop();
    expect((await first.call('appInfo')) as object).toMatchObject({ keepsPasswords: true });
    await first.call('openDatabaseUrl', { url: typed, password: server.password, remember: true });
    expect(Object.keys(JSON.parse(fs.readFileSync(keychainFile, 'utf8')).passwords)).toEqual([displayUrl]);
    expect(everyUserFileText()).not.toContain(server.password);

    const later = await desktop();
    expect(await later.call('openRecent', { path: displayUrl })).toEqual({ kind: 'postgres', path: displayUrl, readOnly: true });
    const launched = await Session.create(displayUrl, { transport: 'electron', workerUrl: null, userDataDir: path.join(dir, 'user-data'), savedPasswords: new SavedPasswords(keychainFile, fakeKeychain) });
    sessions.push(launched);
    expect(launched.info).toEqual({ kind: 'postgres', path: displayUrl, readOnly: true });

    await later.call('forgetRecent', { path: displayUrl });
    expect(JSON.parse(fs.readFileSync(keychainFile, 'utf8')).passwords).toEqual({});
    const afterForget = await desktop();
    expect(await afterForget.call('openDatabaseUrl', { url: typed }).catch((error: unknown) => error)).toMatchObject({ code: 'AUTH' });
  });

  it('desktop: a password typed without "remember" replaces a remembered one that the server now refuses, and is not kept', async () => {
    const keychainFile = path.join(dir, 'user-data', 'saved-passwords.json');
    const saved = new SavedPasswords(keychainFile, fakeKeychain);
    await saved.set(displayUrl, 'an old password');
    const { call } = await start({ transport: 'electron', savedPasswords: saved });
    expect(await call('openDatabaseUrl', { url: typed }).catch((error: unknown) => error)).toMatchObject({ code: 'AUTH' });
    await call('openDatabaseUrl', { url: typed, password: server.password, remember: false });
    expect(await saved.get(displayUrl)).toBeUndefined();
  });

  it('read-only: a delete is READ_ONLY until allowWrites switches the source, which pushes the new SourceInfo; reopened from recents it is read-only again', async () => {
    const { session, call, pushes } = await start();
    await call('openDatabaseUrl', { url: typed, password: server.password });
    expect(await call('deleteByThread', { threadId: 't1' }).catch((error: unknown) => error)).toMatchObject({ code: 'READ_ONLY' });
    expect(await db.query('SELECT count(*)::int AS n FROM run_events')).toEqual([{ n: 3 }]);

    pushes.length = 0;
    expect(await call('allowWrites')).toEqual({ kind: 'postgres', path: displayUrl, readOnly: false });
    expect(pushes).toEqual([{ channel: 'store:changed', message: { threadIds: null } }]);
    expect(await call('sourceInfo')).toEqual({ kind: 'postgres', path: displayUrl, readOnly: false });
    expect(await call('deleteByThread', { threadId: 't1' })).toBe(2);
    expect(await db.query('SELECT thread_id FROM run_events')).toEqual([{ thread_id: 't2' }]);
    expect(await call('allowWrites')).toEqual({ kind: 'postgres', path: displayUrl, readOnly: false });
    // The recent list keeps one entry; its order is the user's opens, not the switch.
    expect((await call('recentSources')) as unknown[]).toHaveLength(1);

    await call('openRecent', { path: displayUrl });
    expect(session.info).toEqual({ kind: 'postgres', path: displayUrl, readOnly: true });
  });

  it('`serve` without --write: allowWrites is READ_ONLY naming --write, the source stays open read-only and readable; with --write it opens read-only and switches when asked', async () => {
    const { session, call } = await start({ openSource: commandOpener(null, { write: false, init: false }, { forPage: true }) });
    await call('openDatabaseUrl', { url: typed, password: server.password });
    const refused = await call('allowWrites').catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'READ_ONLY', message: expect.stringContaining('--write') });
    expect((refused as Error).message).toContain(displayUrl);
    expect(session.info).toEqual({ kind: 'postgres', path: displayUrl, readOnly: true });
    expect(await call('listThreads')).toHaveLength(2);

    const withWrite = await start({ openSource: commandOpener(null, { write: true, init: false }, { forPage: true }) });
    expect(await withWrite.call('openDatabaseUrl', { url: typed, password: server.password })).toEqual({ kind: 'postgres', path: displayUrl, readOnly: true });
    expect(await withWrite.call('deleteByRun', { threadId: 't2', runId: 'run-1' }).catch((error: unknown) => error)).toMatchObject({ code: 'READ_ONLY' });
    expect(await withWrite.call('allowWrites')).toEqual({ kind: 'postgres', path: displayUrl, readOnly: false });
    expect(await withWrite.call('deleteByRun', { threadId: 't2', runId: 'run-1' })).toBe(1);

    // A script's servers (rpc --write) write at once: no page asks first.
    const script = await start({ openSource: commandOpener(null, { write: true, init: false }) });
    expect(await script.call('openDatabaseUrl', { url: typed, password: server.password })).toEqual({ kind: 'postgres', path: displayUrl, readOnly: false });
  });

  it('allowWrites switches nothing but a server: a JSONL export stays read-only, a writable source is answered as it is', async () => {
    const exportFile = path.join(dir, 'export.jsonl');
    fs.writeFileSync(exportFile, `${JSON.stringify({ thread_id: 't', run_id: 'r', seq: 1, event_type: 'x', category: 'trace', content: '', metadata: {}, created_at: '2026-04-04T00:49:25.123456+00:00' })}\n`);
    const { call } = await start();
    expect(await call('allowWrites')).toEqual({ kind: 'sqlite', path: sqliteFile, readOnly: false });
    await call('openSource', { path: exportFile });
    expect(await call('allowWrites').catch((error: unknown) => error)).toMatchObject({ code: 'READ_ONLY', message: expect.stringContaining(exportFile) });
  });

  it("the server's failures name the host and what failed, and leave the open source open", async () => {
    const { session, call } = await start();
    const port = await closedPort();
    const cases: [string, RegExp][] = [
      [`postgresql://${server.user}@127.0.0.1:${port}/deerflow`, new RegExp(`cannot reach the server at 127\\.0\\.0\\.1:${port}`)],
      [`postgresql://${server.user}@${server.host}:${server.port}/no_such_database`, /no_such_database.*does not exist/],
    ];
    const empty = await createTestDatabase({ deerflowSchema: false });
    try {
      cases.push([withoutPassword(empty.url), /no run_events table/]);
      for (const [url, message] of cases) {
        const failed = await call('openDatabaseUrl', { url, password: server.password }).catch((error: unknown) => error);
        expect(failed, url).toMatchObject({ code: 'SOURCE', message: expect.stringMatching(message) });
        expect((failed as Error).message).not.toContain(server.password);
        expect(session.info.path).toBe(sqliteFile);
      }
    } finally {
      await empty.drop();
    }
  });

  it("checks the page's arguments: a URL of another scheme, a password for a file, a PostgreSQL database to create", async () => {
    const { call } = await start();
    expect(await call('openDatabaseUrl', { url: sqliteFile }).catch((error: unknown) => error)).toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringContaining('url:') });
    expect(await call('openSource', { path: sqliteFile, password: 'x' }).catch((error: unknown) => error)).toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringContaining('password:') });
    expect(await call('openSource', { path: typed, create: true }).catch((error: unknown) => error)).toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringContaining('create:') });
    expect(await call('openDatabaseUrl', { url: typed, password: '' }).catch((error: unknown) => error)).toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringContaining('password') });
    expect(await call('openDatabaseUrl', { url: typed, remember: 'yes' }).catch((error: unknown) => error)).toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringContaining('remember') });
  });
});
