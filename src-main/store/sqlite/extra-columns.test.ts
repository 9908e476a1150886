// A DeerFlow database whose run_events has columns this app does not know (a
// later DeerFlow's): their values are kept and shown as extra keys of every
// record (DESIGN.md §1), what a write returns still equals what a read
// returns (guarantee 12), and an import fills them from keys of those names.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventInput, RunEvent } from '../../../src-shared/types.ts';
import { describeStoreContract } from '../../../test/support/store-contract.suite.ts';
import { createVintageDatabase, execSql, insertRuns, LATER_COLUMNS_SQL, rawRows, schemaOf, type RawEvent } from '../../../test/support/deerflow-databases.ts';
import { openSqliteStore, type SqliteStore } from './sqlite-store.ts';

const DEERFLOW_KEYS = ['thread_id', 'run_id', 'event_type', 'category', 'content', 'metadata', 'seq', 'created_at', 'user_id'];
const EXTRA_KEYS = ['extra_col', 'score', 'tier'];

describeStoreContract('sqlite, current DeerFlow database with columns added by a later version', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-extra-'));
  const file = path.join(dir, 'events.db');
  createVintageDatabase(file, 'current', { events: [] });
  execSql(file, LATER_COLUMNS_SQL);
  return {
    store: openSqliteStore(file, { create: false }),
    quirks: { contentMarkers: true, utcCreatedAt: true },
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
    recordRun: (run) => insertRuns(file, 'current', [run]),
  };
}, { runsTable: true });

let dir: string;
let file: string;
let store: SqliteStore | undefined;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-extra-'));
  file = path.join(dir, 'deerflow.db');
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

const raw = (seq: number, over: Partial<RawEvent> = {}): RawEvent => ({
  thread_id: 't1',
  run_id: 'r1',
  user_id: 'u1',
  event_type: 'llm.ai.response',
  category: 'message',
  content: `message ${seq}`,
  event_metadata: '{}',
  seq,
  created_at: '2026-04-04 00:49:25.123456',
  ...over,
});

const ev = (over: Partial<EventInput> = {}): EventInput => ({ thread_id: 't1', run_id: 'r1', event_type: 'llm.ai.response', category: 'message', content: 'hi', ...over });

/** A current-vintage database with rows a later DeerFlow wrote, its extra columns set (or left to their defaults). */
function laterDeerFlow(): string {
  createVintageDatabase(file, 'current', { events: [raw(1), raw(2, { category: 'trace', event_type: 'llm.start' }), raw(3)] });
  execSql(
    file,
    `${LATER_COLUMNS_SQL}
     UPDATE run_events SET extra_col = '{"looks": "like json"}', score = 7, tier = 'pro' WHERE seq = 1;
     UPDATE run_events SET extra_col = NULL, score = NULL WHERE seq = 2;`,
  );
  return file;
}

describe('a DeerFlow database with columns this app does not know', () => {
  it('returns their values as extra keys after the known ones, as stored, from every query', async () => {
    store = openSqliteStore(laterDeerFlow(), { create: false });
    const events = await store.listEvents('t1', 'r1');
    expect(events.map((e) => Object.keys(e))).toEqual(Array(3).fill([...DEERFLOW_KEYS, ...EXTRA_KEYS]));
    // JSON-looking text stays text; NULL is null; a default the row got is shown.
    const extras = (event: RunEvent) => Object.fromEntries(EXTRA_KEYS.map((key) => [key, (event as unknown as Record<string, unknown>)[key]]));
    expect(events.map(extras)).toEqual([
      { extra_col: '{"looks": "like json"}', score: 7, tier: 'pro' },
      { extra_col: null, score: null, tier: 'free' },
      { extra_col: null, score: 1.5, tier: 'free' },
    ]);
    const [first, , third] = events;
    expect(await store.listMessages('t1')).toEqual([first, third]);
    expect(await store.listMessages('t1', { limit: 1, afterSeq: 0 })).toEqual([first]);
    expect(await store.listMessagesByRun('t1', 'r1')).toEqual([first, third]);
    expect(await store.listMessagesByRun('t1', 'r1', { beforeSeq: 3 })).toEqual([first]);
    expect(await store.getEvent('t1', 1)).toEqual(first);
    expect((await store.putIfAbsent(ev({ event_type: 'llm.start', category: 'trace' }))).event).toEqual(events[1]);
  });

  it('returns from put, putBatch and putIfAbsent the defaults the new rows got, exactly as a later query does', async () => {
    store = openSqliteStore(laterDeerFlow(), { create: false });
    const put = await store.put(ev({ content: { type: 'ai', content: 'x' } }));
    expect(put).toMatchObject({ seq: 4, extra_col: null, score: 1.5, tier: 'free' });
    expect(Object.keys(put)).toEqual([...DEERFLOW_KEYS, ...EXTRA_KEYS]);
    const batch = await store.putBatch([ev(), ev({ thread_id: 't2' })]);
    const { event: once, created } = await store.putIfAbsent(ev({ event_type: 'run.end', category: 'outputs' }));
    expect(created).toBe(true);
    expect(await store.getEvent('t1', put.seq)).toEqual(put);
    expect(await store.listEvents('t1', 'r1', { afterSeq: 3 })).toEqual([put, batch[0], once]);
    expect(await store.listMessages('t2')).toEqual([batch[1]]);
  });

  it('imports into them from keys of those names: JSON text back to its SQLite type, the default for a key the record lacks (or null in a NOT NULL column)', async () => {
    store = openSqliteStore(laterDeerFlow(), { create: false });
    expect(store.extraColumns).toEqual(EXTRA_KEYS);
    const base: RunEvent = { thread_id: 't1', run_id: 'r1', event_type: 'x', category: 'message', content: '', metadata: {}, seq: 0, created_at: '2026-04-04T00:49:25+00:00' };
    const records = [
      { ...base, seq: 10, extra_col: 'text', score: 2, tier: 'team' },
      { ...base, seq: 11, extra_col: '{"a": 1}', score: null, tier: null },
      { ...base, seq: 12, extra_col: { an: ['object'] }, score: 0.25, tier: 'x' },
      { ...base, seq: 13, unknown_key: 'has no column' },
    ] as unknown as RunEvent[];
    expect(store.importEvents(records)).toEqual({ imported: 4, duplicates: 0 });
    expect(rawRows(file, 'SELECT seq, extra_col, score, tier FROM run_events WHERE seq >= 10 ORDER BY seq')).toEqual([
      { seq: 10, extra_col: 'text', score: 2, tier: 'team' },
      { seq: 11, extra_col: '{"a": 1}', score: null, tier: 'free' },
      { seq: 12, extra_col: '{"an":["object"]}', score: 0.25, tier: 'x' },
      { seq: 13, extra_col: null, score: 1.5, tier: 'free' },
    ]);
    expect(Object.keys((await store.getEvent('t1', 13))!)).toEqual([...DEERFLOW_KEYS, ...EXTRA_KEYS]);
  });

  it('imports into them row by row in the oldest vintage (no unique constraint), skipping what it has', async () => {
    createVintageDatabase(file, 'before-mid-april-2026', { events: [] });
    execSql(file, LATER_COLUMNS_SQL);
    store = openSqliteStore(file, { create: false });
    const record = { thread_id: 't1', run_id: 'r1', event_type: 'x', category: 'message', content: 'c', metadata: {}, seq: 1, created_at: '2026-04-04T00:49:25+00:00', tier: 'pro' };
    expect(store.importEvents([record, { ...record, seq: 2, score: 3 }, record] as RunEvent[])).toEqual({ imported: 2, duplicates: 1 });
    const events = await store.listEvents('t1', 'r1');
    expect(events.map((e) => Object.keys(e))).toEqual(Array(2).fill([...DEERFLOW_KEYS.filter((key) => key !== 'user_id'), ...EXTRA_KEYS]));
    expect(events).toMatchObject([
      { seq: 1, extra_col: null, score: 1.5, tier: 'pro' },
      { seq: 2, extra_col: null, score: 3, tier: 'pro' },
    ]);
  });

  it('leaves the schema of the file alone', async () => {
    const schema = schemaOf(laterDeerFlow());
    store = openSqliteStore(file, { create: false });
    await store.put(ev());
    store.importEvents([{ ...(await store.getEvent('t1', 1))!, seq: 20 }]);
    await store.deleteByRun('t1', 'r1');
    expect(schemaOf(file)).toEqual(schema);
  });

  it('shows a required column it cannot fill, and still refuses to add events', async () => {
    createVintageDatabase(file, 'current', { events: [] });
    execSql(file, 'DROP TABLE run_events');
    execSql(
      file,
      `CREATE TABLE run_events (id INTEGER PRIMARY KEY, thread_id VARCHAR(64) NOT NULL, run_id VARCHAR(64) NOT NULL, event_type VARCHAR(32) NOT NULL,
         category VARCHAR(16) NOT NULL, content TEXT NOT NULL, event_metadata JSON NOT NULL, seq INTEGER NOT NULL, created_at DATETIME NOT NULL,
         content_sha256 VARCHAR(64) NOT NULL, metadata TEXT);
       INSERT INTO run_events (thread_id, run_id, event_type, category, content, event_metadata, seq, created_at, content_sha256, metadata)
       VALUES ('t1', 'r1', 'x', 'message', 'hi', '{"caller": "lead_agent"}', 1, '2026-04-04 00:49:25.000000', 'abc', 'not the record''s metadata')`,
    );
    store = openSqliteStore(file, { create: false });
    // A column named like a record key (metadata) cannot be shown beside it; the record's own metadata stays.
    expect(await store.getEvent('t1', 1)).toMatchObject({ metadata: { caller: 'lead_agent' }, content_sha256: 'abc' });
    expect(store.extraColumns).toEqual(['content_sha256']);
    await expect(store.put(ev())).rejects.toMatchObject({ code: 'READ_ONLY', message: expect.stringContaining('content_sha256') });
  });
});
