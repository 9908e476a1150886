import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Dialog } from 'electron';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/postgres-databases.ts';
import { generateEvents, planThreads, type GenerateOptions } from '../generator/generate.ts';
import { writeJsonlLayout, writeSqliteStore } from '../generator/write-store.ts';
import { withoutPassword } from '../handlers/server-passwords.ts';
import { Session } from '../handlers/session.ts';
import { fileCommands } from './file-commands.ts';

let dir: string;
let session: Session;
const source: GenerateOptions = { seed: 3, threads: 2, totalEvents: 20 };

/** Answers each dialog from a script, recording what was asked. */
function scriptedDialog(answers: { open?: string[]; save?: string; messageBox?: number }) {
  const asked: string[] = [];
  const dialog = {
    showOpenDialog: async (...args: unknown[]) => {
      asked.push(`open ${(args.at(-1) as { title: string }).title}`);
      return answers.open ? { canceled: false, filePaths: answers.open } : { canceled: true, filePaths: [] };
    },
    showSaveDialog: async (...args: unknown[]) => {
      asked.push(`save ${(args.at(-1) as { title: string }).title}`);
      return answers.save ? { canceled: false, filePath: answers.save } : { canceled: true, filePath: '' };
    },
    showMessageBox: async (...args: unknown[]) => {
      const { type, message, detail } = args.at(-1) as { type: string; message: string; detail?: string };
      asked.push(`${type} ${message}${detail ? ` | ${detail}` : ''}`);
      return { response: answers.messageBox ?? 0, checkboxChecked: false };
    },
  };
  return { dialog: dialog as unknown as Dialog, asked };
}

/** Resolves when the whole source changes (the page's "refresh everything"): an import ends after the command returns. */
function nextSourceChange(): Promise<void> {
  return new Promise((resolve) => {
    const stop = session.push.subscribe((event) => {
      if (event.channel === 'store:changed' && event.message.threadIds === null) {
        stop();
        resolve();
      }
    });
  });
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'file-commands-'));
  await writeSqliteStore(path.join(dir, 'source.db'), generateEvents(source), []);
  writeJsonlLayout(path.join(dir, 'export'), generateEvents({ seed: 4, threads: 1, totalEvents: 12 }));
  session = await Session.create(path.join(dir, 'source.db'), { transport: 'electron', userDataDir: path.join(dir, 'user-data'), workerUrl: null });
});

afterEach(async () => {
  await session.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('File menu commands', () => {
  it('Export… writes the open source to the chosen folder', async () => {
    const out = path.join(dir, 'exported');
    const { dialog } = scriptedDialog({ open: [out] });
    const done = new Promise((resolve) => session.push.subscribe((event) => event.channel === 'job:done' && resolve(event.message)));
    await fileCommands({ session, dialog, window: () => null }).exportSource();
    expect(await done).toMatchObject({ kind: 'export', ok: true, summary: { events: source.totalEvents, out } });
  });

  it('Open Database… opens the chosen file and remembers it', async () => {
    const other = path.join(dir, 'other.db');
    await writeSqliteStore(other, generateEvents({ seed: 5, threads: 1, totalEvents: 5 }), []);
    const { dialog, asked } = scriptedDialog({ open: [other] });
    await fileCommands({ session, dialog, window: () => null }).openDatabase();
    expect(asked).toEqual(['open Open Database']);
    expect(session.info.path).toBe(other);
    expect((await session.recent.list()).map((entry) => entry.path)).toEqual([other]);
  });

  it('does nothing when a dialog is cancelled', async () => {
    const { dialog, asked } = scriptedDialog({});
    const commands = fileCommands({ session, dialog, window: () => null });
    await commands.openJsonlFolder();
    await commands.importJsonlFile();
    await commands.exportSource();
    expect(asked).toEqual(['open Open JSONL Folder', 'open Import JSONL', 'open Export to Folder (DeerFlow JSONL layout)']);
    expect(session.info.path).toBe(path.join(dir, 'source.db'));
  });

  it('reports a source that cannot be opened, and keeps the open one', async () => {
    const broken = path.join(dir, 'broken.db');
    writeFileSync(broken, 'not a database');
    const { dialog, asked } = scriptedDialog({});
    await fileCommands({ session, dialog, window: () => null }).open(broken);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(new RegExp(`^error Cannot open ${broken} \\| .*broken\\.db`));
    expect(session.info.path).toBe(path.join(dir, 'source.db'));
  });

  it('Import JSONL Folder… into a new database opens it once the import is done', async () => {
    const into = path.join(dir, 'imported.db');
    const { dialog, asked } = scriptedDialog({ open: [path.join(dir, 'export')], messageBox: 1, save: into });
    const opened = nextSourceChange();
    await fileCommands({ session, dialog, window: () => null }).importJsonlFolder();
    await opened;
    expect(asked).toEqual([
      `open Import JSONL Folder`,
      `question Import export into the open database? | ${path.join(dir, 'source.db')}`,
      'save Import into a New Database',
    ]);
    expect(session.info.path).toBe(into);
    expect((await session.store.listThreads()).reduce((sum, thread) => sum + thread.event_count, 0)).toBe(12);
  });

  it('Open Recent on a moved or deleted source says so, creates nothing, and removes it from the list when asked', async () => {
    const gone = path.join(dir, 'gone.db');
    await writeSqliteStore(gone, generateEvents({ seed: 6, threads: 1, totalEvents: 5 }), []);
    await session.open(gone);
    await session.open(path.join(dir, 'source.db'));
    rmSync(gone);
    const keep = scriptedDialog({ messageBox: 1 });
    await fileCommands({ session, dialog: keep.dialog, window: () => null }).openRecent(gone);
    expect(keep.asked).toEqual([`warning ${gone} was moved or deleted | Remove it from the recent list?`]);
    expect([existsSync(gone), session.info.path]).toEqual([false, path.join(dir, 'source.db')]);
    expect((await session.recent.list()).map((entry) => [entry.path, entry.exists])).toEqual([
      [path.join(dir, 'source.db'), true],
      [gone, false],
    ]);
    const remove = scriptedDialog({ messageBox: 0 });
    await fileCommands({ session, dialog: remove.dialog, window: () => null }).openRecent(gone);
    expect((await session.recent.list()).map((entry) => entry.path)).toEqual([path.join(dir, 'source.db')]);
    await fileCommands({ session, dialog: remove.dialog, window: () => null }).clearRecent();
    expect(await session.recent.list()).toEqual([]);
  });

  it("the page's pickers: New database… makes one where the user says, a cancelled pick answers null", async () => {
    const created = path.join(dir, 'new.db');
    const { dialog, asked } = scriptedDialog({ save: created });
    const { pickers } = fileCommands({ session, dialog, window: () => null });
    expect(await pickers.open('new-database')).toEqual({ kind: 'sqlite', path: created, readOnly: false });
    expect(asked).toEqual(['save New Database']);
    expect(await fileCommands({ session, dialog: scriptedDialog({}).dialog, window: () => null }).pickers.open('jsonl-file')).toBeNull();
    expect(session.info.path).toBe(created);
  });

  it("the page's import of a dropped folder (by its drop id) asks only for the target and leaves opening the new database to the page", async () => {
    const into = path.join(dir, 'dropped.db');
    const { dialog, asked } = scriptedDialog({ messageBox: 1, save: into });
    const done = new Promise((resolve) => session.push.subscribe((event) => event.channel === 'job:done' && resolve(event.message)));
    const dropped = await session.openDropped(path.join(dir, 'export'));
    if (dropped.kind !== 'choose') throw new Error(`a JSONL folder asks what to do, got ${dropped.kind}`);
    const started = await fileCommands({ session, dialog, window: () => null }).pickers.importJsonl({ dropId: dropped.dropId });
    expect(started).toEqual({ jobId: expect.any(String) });
    expect(await done).toMatchObject({ jobId: started!.jobId, ok: true, summary: { imported: 12, into } });
    expect(asked).toEqual([`question Import export into the open database? | ${path.join(dir, 'source.db')}`, 'save Import into a New Database']);
    expect(session.info.path).toBe(path.join(dir, 'source.db'));
  });

  it("the page's export writes the chosen scope to the picked folder", async () => {
    const out = path.join(dir, 'one-thread');
    const threadId = planThreads(source)[0].thread_id;
    const done = new Promise((resolve) => session.push.subscribe((event) => event.channel === 'job:done' && resolve(event.message)));
    await fileCommands({ session, dialog: scriptedDialog({ open: [out] }).dialog, window: () => null }).pickers.export({ threadId });
    expect(await done).toMatchObject({ kind: 'export', ok: true, summary: { threads: 1, out } });
  });

  it('Import JSONL Folder… into the open database, when the user says so', async () => {
    const { dialog } = scriptedDialog({ open: [path.join(dir, 'export')], messageBox: 0 });
    const imported = nextSourceChange();
    await fileCommands({ session, dialog, window: () => null }).importJsonlFolder();
    await imported;
    expect(session.info.path).toBe(path.join(dir, 'source.db'));
    const threads = await session.store.listThreads();
    expect(threads).toHaveLength(planThreads(source).length + 1);
  });
});

describe('File menu commands on a PostgreSQL source', () => {
  const server = inject('postgresServer');
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await session.close();
    await db.drop();
  });
  const displayUrl = () => `postgresql://${server.user}@${server.host}:${server.port}/${db.name}`;
  const countOnServer = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM run_events'))[0].n;

  it('Import JSONL into a read-only server asks to switch it to read-write first, then imports into it', async () => {
    await session.openDatabaseUrl(withoutPassword(db.url), { password: server.password });
    const { dialog, asked } = scriptedDialog({ open: [path.join(dir, 'export')], messageBox: 0 });
    const done = new Promise((resolve) => session.push.subscribe((event) => event.channel === 'job:done' && resolve(event.message)));
    await fileCommands({ session, dialog, window: () => null }).importJsonlFolder();
    expect(await done).toMatchObject({ ok: true, summary: { imported: 12, into: displayUrl() } });
    expect(asked).toEqual([
      'open Import JSONL Folder',
      `question Import export into the open database? | ${displayUrl()}\n\nThis database is open read-only. Switch this source to read-write?`,
    ]);
    expect(session.info).toEqual({ kind: 'postgres', path: displayUrl(), readOnly: false });
    expect(await countOnServer()).toBe(12);
  });

  it('Cancel at that question leaves the server read-only and unwritten', async () => {
    await session.openDatabaseUrl(withoutPassword(db.url), { password: server.password });
    const { dialog } = scriptedDialog({ open: [path.join(dir, 'export')], messageBox: 2 });
    await fileCommands({ session, dialog, window: () => null }).importJsonlFolder();
    expect(session.info.readOnly).toBe(true);
    expect(await countOnServer()).toBe(0);
  });

  it("Open Recent on a server that wants a password sends the user to the window's Open dialog; Open PostgreSQL Database… asks the page", async () => {
    await session.openDatabaseUrl(withoutPassword(db.url), { password: server.password });
    await session.open(path.join(dir, 'source.db'));
    const fresh = await Session.create(path.join(dir, 'source.db'), { transport: 'electron', userDataDir: path.join(dir, 'user-data'), workerUrl: null });
    try {
      const { dialog, asked } = scriptedDialog({});
      const pushes: string[] = [];
      fresh.push.subscribe((event) => pushes.push(event.channel));
      const commands = fileCommands({ session: fresh, dialog, window: () => null });
      await commands.openRecent(displayUrl());
      expect(asked).toEqual([expect.stringMatching(new RegExp(`^error Cannot open ${displayUrl().replaceAll('.', '\\.')}: open it from the window's Open… dialog to give the password \\| .*asks for a password`))]);
      expect(fresh.info.kind).toBe('sqlite');
      await commands.openPostgres();
      expect(pushes).toEqual(['app:openPostgres']);
    } finally {
      await fresh.close();
    }
  });
});
