import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventInput, RunEvent } from '../../../src-shared/types.ts';
import { describeStoreContract } from '../../../test/support/store-contract.suite.ts';
import { createVintageDatabase, execSql, journalModeOf, rawRows, schemaOf } from '../../../test/support/deerflow-databases.ts';
import { detectSchema } from './schema.ts';
import { prepareStatements, RUN_EVENTS_DDL } from './sql.ts';
import { openSqliteStore, type SqliteStore } from './sqlite-store.ts';

describeStoreContract('sqlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-sqlite-'));
  return {
    store: openSqliteStore(path.join(dir, 'events.db'), { create: true }),
    quirks: { contentMarkers: true, utcCreatedAt: true },
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});

const ev = (over: Partial<EventInput> = {}): EventInput => ({ thread_id: 't1', run_id: 'r1', event_type: 'llm.ai.response', category: 'message', content: 'hi', ...over });

describe('sqlite store', () => {
  let dir: string;
  let file: string;
  let store: SqliteStore | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-sqlite-'));
    file = path.join(dir, 'events.db');
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("creates exactly DeerFlow's schema, in WAL mode, for a new file", async () => {
    store = openSqliteStore(file, { create: true });
    await store.close();
    expect(fs.readdirSync(dir)).toEqual(['events.db']); // built under a temporary name, nothing left behind
    expect(schemaOf(file).map((s) => (s as { sql: string | null }).sql).filter(Boolean)).toEqual(
      expect.arrayContaining([...RUN_EVENTS_DDL]),
    );
    expect(schemaOf(file)).toHaveLength(RUN_EVENTS_DDL.length + 1); // + the unique constraint's automatic index
    expect(journalModeOf(file)).toBe('wal');
    expect(store.info).toEqual({ kind: 'sqlite', path: file, readOnly: false });
  });

  it('knows a database it created (its header says so) from one it did not, across sessions', async () => {
    store = openSqliteStore(file, { create: true });
    await store.close();
    store = openSqliteStore(file, { create: false });
    expect(store.createdByApp).toBe(true);
    await store.close();
    const foreign = path.join(dir, 'foreign.db');
    const db = new Database(foreign);
    RUN_EVENTS_DDL.forEach((statement) => db.exec(statement));
    db.close();
    store = openSqliteStore(foreign, { create: false });
    expect(store.createdByApp).toBe(false);
  });

  it('creates the folders a new database needs', async () => {
    const nested = path.join(dir, 'a', 'b', 'events.sqlite');
    store = openSqliteStore(nested, { create: true });
    expect(fs.existsSync(nested)).toBe(true);
  });

  it('truncates big trace content on write and returns what it stored', async () => {
    store = openSqliteStore(file, { create: true });
    const put = await store.put(ev({ category: 'trace', event_type: 'llm.end', content: 'ü'.repeat(8000) }));
    expect(put.content).toBe('ü'.repeat(5120));
    expect(put.metadata).toEqual({ content_truncated: true, original_byte_length: 16_000 });
    expect(await store.getEvent('t1', put.seq)).toEqual(put);
    expect(rawRows(file)[0]).toMatchObject({ content: 'ü'.repeat(5120), event_metadata: '{"content_truncated": true, "original_byte_length": 16000}' });
  });

  it('opens read-only: reads work, every write is refused with READ_ONLY and changes nothing', async () => {
    store = openSqliteStore(file, { create: true });
    await store.put(ev());
    await store.close();
    store = openSqliteStore(file, { create: false, readOnly: true });
    expect(store.info.readOnly).toBe(true);
    expect(await store.countMessages('t1')).toBe(1);
    for (const write of [
      () => store!.put(ev()),
      () => store!.putBatch([ev()]),
      () => store!.putIfAbsent(ev({ event_type: 'run.end' })),
      () => store!.deleteByRun('t1', 'r1'),
      () => store!.deleteByThread('t1'),
      async () => store!.importEvents([]),
    ]) {
      await expect(write()).rejects.toMatchObject({ code: 'READ_ONLY' });
    }
    expect(rawRows(file)).toHaveLength(1);
  });

  it('imports records with their seqs, owner and markers, skipping (thread_id, seq) it already has', async () => {
    store = openSqliteStore(file, { create: true });
    const records: RunEvent[] = [
      { thread_id: 't1', run_id: 'r1', event_type: 'x', category: 'message', content: { a: 1 }, metadata: { content_is_json: true, content_is_dict: true }, seq: 5, created_at: '2026-04-04T00:49:25.123456+00:00', user_id: 'u1' },
      { thread_id: 't1', run_id: 'r1', event_type: 'x', category: 'trace', content: 'y'.repeat(20_000), metadata: {}, seq: 9, created_at: '2026-04-04T02:49:25+02:00' },
    ];
    expect(store.importEvents(records)).toEqual({ imported: 2, duplicates: 0 });
    expect(store.importEvents(records)).toEqual({ imported: 0, duplicates: 2 });
    const [first, second] = await store.listEvents('t1', 'r1');
    expect(first).toEqual(records[0]);
    expect(second).toEqual({ ...records[1], created_at: '2026-04-04T00:49:25+00:00', user_id: null });
    expect((await store.put(ev())).seq).toBe(10);
  });

  it('rejects an import batch holding a record it cannot store, writing none of it', async () => {
    store = openSqliteStore(file, { create: true });
    const good: RunEvent = { thread_id: 't1', run_id: 'r1', event_type: 'x', category: 'message', content: '', metadata: {}, seq: 1, created_at: '2026-04-04T00:49:25+00:00' };
    expect(() => store!.importEvents([good, { ...good, seq: 0 }])).toThrow('records.1.seq');
    expect(() => store!.importEvents([good, { ...good, seq: 2, metadata: [] as never }])).toThrow('records.1.metadata');
    // DeerFlow's reader parses every created_at: '' (a JSONL record without one) or an impossible date would make the row unreadable there.
    for (const created_at of ['', 'garbage', '2026-02-30T00:00:00+00:00', '2026-04-04T00:49:25', null]) {
      expect(() => store!.importEvents([good, { ...good, seq: 2, created_at: created_at as string }])).toThrow(
        expect.objectContaining({ code: 'BAD_ARGUMENT', message: expect.stringContaining('records.1.created_at') }),
      );
    }
    expect(rawRows(file)).toEqual([]);
  });

  it('keeps seqs above a deleted last run while the process lives, as the memory store does; DeerFlow reuses them after', async () => {
    store = openSqliteStore(file, { create: true });
    await store.putBatch([ev({ run_id: 'a' }), ev({ run_id: 'b' }), ev({ run_id: 'b' })]);
    expect(await store.deleteByRun('t1', 'b')).toBe(2);
    expect((await store.put(ev({ run_id: 'c' }))).seq).toBe(4);
    await store.close();
    store = openSqliteStore(file, { create: false });
    await store.deleteByRun('t1', 'c');
    await store.close();
    store = openSqliteStore(file, { create: false });
    expect((await store.put(ev({ run_id: 'd' }))).seq).toBe(2); // max(seq) + 1, DeerFlow's rule
  });

  it('assigns unique seqs when two connections write the same thread', async () => {
    store = openSqliteStore(file, { create: true });
    const other = openSqliteStore(file, { create: false });
    try {
      const seqs: number[] = [];
      for (let i = 0; i < 5; i++) {
        seqs.push((await store.put(ev())).seq, (await other.putBatch([ev(), ev()])).map((e) => e.seq)[1]);
      }
      expect(seqs).toEqual([1, 3, 4, 6, 7, 9, 10, 12, 13, 15]);
    } finally {
      await other.close();
    }
  });

  it('reads a database with a required column it cannot fill, and refuses to add events to it', async () => {
    // A later writer's extra NOT NULL column without a default.
    createVintageDatabase(file, 'current', { events: [] });
    execSql(file, 'DROP TABLE run_events');
    execSql(file, RUN_EVENTS_DDL[0].replace('created_at DATETIME NOT NULL, ', 'created_at DATETIME NOT NULL, \n\tcontent_sha256 VARCHAR(64) NOT NULL, '));
    execSql(
      file,
      `INSERT INTO run_events (thread_id, run_id, event_type, category, content, event_metadata, seq, created_at, content_sha256)
       VALUES ('t1', 'r1', 'x', 'message', 'hi', '{}', 1, '2026-04-04 00:49:25.000000', 'abc')`,
    );
    store = openSqliteStore(file, { create: false });
    expect(await store.countMessages('t1')).toBe(1);
    await expect(store.put(ev())).rejects.toMatchObject({ code: 'READ_ONLY', message: expect.stringContaining('content_sha256') });
    expect(await store.deleteByThread('t1')).toBe(1);
  });
});

describe('query plans on a DeerFlow database', () => {
  it("page through the (thread_id, category, seq) and (thread_id, run_id, seq) indexes, not row by row through the thread", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-sqlite-plan-'));
    const file = path.join(dir, 'plan.db');
    try {
      createVintageDatabase(file, 'current', { events: [] });
      const db = new Database(file, { readonly: true });
      const sql = prepareStatements(db, detectSchema(db, file));
      const plan = (source: string) =>
        db
          .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${source}`)
          .all({ thread: 't', run: 'r', after: 0, before: 9, limit: 5, types: null, task: null })
          .map((r) => r.detail)
          .join('\n');
      expect(plan(sql.messagesForward.source)).toMatch(/ix_events_thread_cat_seq \(thread_id=\? AND category=\? AND seq>\? AND seq<\?\)/);
      expect(plan(sql.messagesBackward.source)).toMatch(/ix_events_thread_cat_seq \(thread_id=\? AND category=\? AND seq>\? AND seq<\?\)/);
      expect(plan(sql.runMessagesBackward.source)).toMatch(/ix_events_run \(thread_id=\? AND run_id=\? AND seq>\? AND seq<\?\)/);
      expect(plan(sql.events.source)).toMatch(/ix_events_run \(thread_id=\? AND run_id=\? AND seq>\? AND seq<\?\)/);
      expect(plan(sql.filteredEvents.source)).toMatch(/ix_events_run \(thread_id=\? AND run_id=\? AND seq>\? AND seq<\?\)/);
      expect(plan(sql.runCounts.source)).toMatch(/ix_events_run \(thread_id=\? AND run_id=\?\)/);
      db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
