import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src-shared/errors.ts';
import type { RunEvent } from '../../src-shared/types.ts';
import { asStoreError } from '../as-store-error.ts';
import { createVintageDatabase, execSql, journalModeOf, LATER_COLUMNS_SQL, rawRows, schemaOf } from '../../test/support/deerflow-databases.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { formatJsonlLine } from '../store/jsonl/format.ts';
import { exportJsonl } from './export-jsonl.ts';
import { importJsonl } from './import-jsonl.ts';
import type { ProgressReport } from './job-spec.ts';

const record = (seq: number, over: Partial<RunEvent> = {}): RunEvent => ({
  thread_id: 't1',
  run_id: 'r1',
  event_type: 'llm.ai.response',
  category: 'message',
  content: `message ${seq}`,
  metadata: {},
  seq,
  created_at: `2026-04-04T00:49:${String(seq % 60).padStart(2, '0')}.123456+00:00`,
  ...over,
});

// Small imports read in the job's thread; big ones in a reading thread of their own. Both, on the same cases:
for (const [mode, threadMinBytes] of [
  ['in the job thread', Infinity],
  ['with a reading thread', 0],
] as const)
describe(`import, ${mode}`, () => {
  let dir: string;
  let layout: string;
  let db: string;
  const never = new AbortController().signal;

  const writeRun = (thread: string, run: string, lines: string[]) => {
    const file = path.join(layout, 'threads', thread, 'runs', `${run}.jsonl`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, lines.join('\n') + '\n');
    return file;
  };
  const run = (source = layout, progress: ProgressReport[] = [], signal = never, batchSize?: number) =>
    importJsonl({ kind: 'import', path: source, into: db }, { onProgress: (p) => progress.push(p), signal }, batchSize, threadMinBytes);
  const allEvents = async (file = db) => {
    const store = openSqliteStore(file, { create: false });
    try {
      const out: RunEvent[] = [];
      for (const thread of await store.listThreads()) {
        for (const r of await store.listRuns(thread.thread_id)) out.push(...(await store.listEvents(thread.thread_id, r.run_id, { limit: 100_000 })));
      }
      return out;
    } finally {
      await store.close();
    }
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-import-'));
    layout = path.join(dir, '.deer-flow');
    db = path.join(dir, 'target.db');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('imports a layout keeping seqs, lists every skipped line as path:line, and a second import adds nothing', async () => {
    const a = writeRun('t1', 'r1', [
      formatJsonlLine(record(1)).trimEnd(),
      '',
      '{"seq": 2, "event_type": "llm.ai.resp',
      formatJsonlLine(record(3, { content: { type: 'ai', content: 'hi 🌍' }, category: 'trace', event_type: 'llm.end' })).trimEnd(),
      '[1, 2]',
      '{"event_type": "no seq"}',
    ]);
    const b = writeRun('t2', 'r9', [formatJsonlLine(record(7, { thread_id: 't2', run_id: 'r9' })).trimEnd(), '{"seq": 8, "created_at": "2026-04-04T00:49:25+00:00"}']);
    const first = await run();
    expect(first).toMatchObject({ imported: 4, duplicates: 0, skipped: 4, into: db });
    expect(first.skippedLines).toEqual([`${a}:2`, `${a}:3`, `${a}:5`, `${a}:6`]);
    // A record with only a seq and a time is kept with DeerFlow's defaults and reported as a warning.
    expect(first.issues.filter((i) => i.severity === 'warning').map((i) => `${i.path}:${i.line}`)).toEqual([`${b}:2`]);
    const events = await allEvents();
    expect(events.map((e) => [e.thread_id, e.run_id, e.seq])).toEqual([
      ['t1', 'r1', 1],
      ['t1', 'r1', 3],
      ['t2', 'r9', 7],
      ['t2', 'r9', 8],
    ]);
    expect(events[1].content).toEqual({ type: 'ai', content: 'hi 🌍' });

    const second = await run();
    expect(second).toMatchObject({ imported: 0, duplicates: 4, skipped: 4 });
    expect(await allEvents()).toEqual(events);
  });

  it('skips and lists a record whose created_at no database row can hold, importing the rest', async () => {
    const lines = [
      formatJsonlLine(record(1)).trimEnd(),
      '{"seq": 2, "content": "no time"}',
      formatJsonlLine(record(3, { created_at: 'garbage' })).trimEnd(),
      formatJsonlLine(record(4, { created_at: '2026-02-30T00:00:00+00:00' })).trimEnd(),
      formatJsonlLine(record(5, { created_at: '2026-04-04T00:49:25' })).trimEnd(),
      JSON.stringify({ ...record(6), created_at: 20260404 }),
      formatJsonlLine(record(7, { created_at: '2028-02-29T08:00:00.5+08:00' })).trimEnd(),
      '{"seq": 8',
    ];
    const a = writeRun('t1', 'r1', lines);
    const b = writeRun('t1', 'r2', [formatJsonlLine(record(9, { run_id: 'r2', created_at: '' })).trimEnd(), formatJsonlLine(record(10, { run_id: 'r2' })).trimEnd()]);
    const summary = await run(layout, [], never, 2);
    expect(summary).toMatchObject({ imported: 3, duplicates: 0, skipped: 7 });
    expect(summary.skippedLines).toEqual([2, 3, 4, 5, 6, 8].map((line) => `${a}:${line}`).concat(`${b}:1`));
    // One issue per skipped line: the skip, not the default the rule would have used.
    const byLine = summary.issues.map((i) => [i.path === a ? 'a' : 'b', i.line, i.severity, i.message]);
    const needed = 'created_at missing or not an ISO-8601 date-time with a time zone: a database row needs one';
    expect(byLine).toEqual([
      ['a', 2, 'error', needed],
      ['a', 3, 'error', needed],
      ['a', 4, 'error', needed],
      ['a', 5, 'error', needed],
      ['a', 6, 'error', needed],
      ['a', 8, 'error', expect.stringContaining('malformed JSON')],
      ['b', 1, 'error', needed],
    ]);
    expect((await allEvents()).map((e) => [e.run_id, e.seq, e.created_at])).toEqual([
      ['r1', 1, record(1).created_at],
      ['r1', 7, '2028-02-29T00:00:00.500000+00:00'],
      ['r2', 10, record(10).created_at],
    ]);
    // Each stored as DeerFlow's reader parses it.
    expect(rawRows(db, 'SELECT created_at FROM run_events ORDER BY id')).toEqual([
      { created_at: '2026-04-04 00:49:01.123456' },
      { created_at: '2028-02-29 00:00:00.500000' },
      { created_at: '2026-04-04 00:49:10.123456' },
    ]);
  });

  it("fills a target's extra columns from the keys of those names: a database a later DeerFlow wrote exports and imports back exactly", async () => {
    const later = path.join(dir, 'later.db');
    const row = (seq: number, content: string, event_metadata = '{}') => ({ thread_id: 't1', run_id: 'r1', user_id: 'u1', event_type: 'x', category: 'message', content, event_metadata, seq, created_at: '2026-04-04 00:49:25.123456' });
    createVintageDatabase(later, 'current', { events: [row(1, '{"a": 1}', '{"content_is_json": true, "content_is_dict": true}'), row(2, 'two'), row(3, 'three')] });
    execSql(later, `${LATER_COLUMNS_SQL} UPDATE run_events SET extra_col = '{"looks": "like json"}', score = 7, tier = 'pro' WHERE seq = 1; UPDATE run_events SET score = NULL WHERE seq = 2;`);
    const out = path.join(dir, 'export');
    await exportJsonl({ kind: 'export', source: later, out }, { onProgress: () => {}, signal: never });
    const original = await allEvents(later);
    expect(original[0]).toMatchObject({ extra_col: '{"looks": "like json"}', score: 7, tier: 'pro' });

    const twin = path.join(dir, 'twin.db');
    createVintageDatabase(twin, 'current', { events: [] });
    execSql(twin, LATER_COLUMNS_SQL);
    expect(await importJsonl({ kind: 'import', path: out, into: twin }, { onProgress: () => {}, signal: never }, undefined, threadMinBytes)).toMatchObject({ imported: 3, skipped: 0 });
    expect(await allEvents(twin)).toEqual(original);

    // A database of DeerFlow's columns has nowhere to keep those keys: they are not stored (nor reported).
    expect(await run(out)).toMatchObject({ imported: 3, skipped: 0, issues: [] });
    const known = (event: RunEvent) => Object.fromEntries(Object.entries(event).filter(([key]) => !['extra_col', 'score', 'tier'].includes(key)));
    expect(await allEvents()).toEqual(original.map(known));
  });

  it('imports a single export file whose records carry their thread and run', async () => {
    const file = path.join(dir, 'export.jsonl');
    fs.writeFileSync(file, [record(1), record(2, { thread_id: 'other' })].map(formatJsonlLine).join(''));
    expect(await run(file)).toMatchObject({ imported: 2, skipped: 0 });
    expect((await allEvents()).map((e) => e.thread_id).sort()).toEqual(['other', 't1']);
  });

  it('reports progress batch by batch and commits each batch', async () => {
    writeRun('t1', 'r1', Array.from({ length: 10 }, (_, i) => formatJsonlLine(record(i + 1)).trimEnd()));
    const progress: ProgressReport[] = [];
    await run(layout, progress, never, 3);
    expect(progress.map((p) => p.done)).toEqual([3, 6, 9, 10]);
    expect(progress.every((p) => p.total === null && p.message.includes('file 1 of 1'))).toBe(true);
    expect(progress.at(-1)?.message).toBe('10 events read (file 1 of 1)');
  });

  it('says one event in the singular', async () => {
    writeRun('t1', 'r1', [formatJsonlLine(record(1)).trimEnd()]);
    const progress: ProgressReport[] = [];
    await run(layout, progress);
    expect(progress.map((p) => p.message)).toEqual(['1 event read (file 1 of 1)']);
  });

  it('stops at the next batch when cancelled, keeping whole batches; a re-run completes the import', async () => {
    writeRun('t1', 'r1', Array.from({ length: 10 }, (_, i) => formatJsonlLine(record(i + 1)).trimEnd()));
    const controller = new AbortController();
    const progress: ProgressReport[] = [];
    const cancelled = importJsonl(
      { kind: 'import', path: layout, into: db },
      { signal: controller.signal, onProgress: (p) => (progress.push(p), controller.abort()) },
      3,
      threadMinBytes,
    );
    await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' });
    expect((await allEvents()).length).toBe(3);
    expect(await run(layout, [], never, 3)).toMatchObject({ imported: 7, duplicates: 3 });
  });

  it('creates no database when no record could be read', async () => {
    writeRun('t1', 'r1', ['', 'junk']);
    expect(await run()).toMatchObject({ imported: 0, skipped: 2 });
    expect(fs.existsSync(db)).toBe(false);
  });

  it('fails clearly when there is nothing to read or the target is not a database', async () => {
    await expect(run(path.join(dir, 'missing'))).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('missing') });
    fs.mkdirSync(path.join(dir, 'empty'));
    await expect(run(path.join(dir, 'empty'))).rejects.toMatchObject({ code: 'SOURCE', message: expect.stringContaining('no .jsonl files') });
    writeRun('t1', 'r1', [formatJsonlLine(record(1)).trimEnd()]);
    fs.writeFileSync(db, 'not a database');
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toContain(db);
  });

  it('reads a file bigger than what is read ahead in chunks, handing on batches as they fill', async () => {
    const file = path.join(dir, 'big.jsonl');
    const content = 'x'.repeat(1000);
    fs.writeFileSync(file, Array.from({ length: 1500 }, (_, i) => formatJsonlLine(record(i + 1, { content }))).join(''));
    expect(fs.statSync(file).size).toBeGreaterThan(1024 * 1024);
    const progress: ProgressReport[] = [];
    expect(await run(file, progress, never, 400)).toMatchObject({ imported: 1500, skipped: 0 });
    expect(progress.map((p) => p.done)).toEqual([400, 800, 1200, 1500]);
    expect((await allEvents()).map((e) => e.seq)).toEqual(Array.from({ length: 1500 }, (_, i) => i + 1));
  });

  it("builds a new database under a temporary name with exactly DeerFlow's schema, in WAL mode", async () => {
    writeRun('t1', 'r1', Array.from({ length: 10 }, (_, i) => formatJsonlLine(record(i + 1)).trimEnd()));
    const made = path.join(dir, 'made.db');
    await openSqliteStore(made, { create: true }).close();
    await run(layout, [], never, 3);
    expect(fs.readdirSync(dir).filter((name) => name.startsWith('target.db'))).toEqual(['target.db']);
    expect(schemaOf(db)).toEqual(schemaOf(made));
    expect(journalModeOf(db)).toBe('wal');
  });

  it('removes what an import killed earlier left behind', async () => {
    writeRun('t1', 'r1', [formatJsonlLine(record(1)).trimEnd()]);
    const deadPid = 2 ** 22 + 1; // above Linux's pid_max
    fs.writeFileSync(`${db}.creating-${deadPid}-x`, 'half a database');
    fs.writeFileSync(`${db}.creating-${process.pid}-live`, 'another import of this process');
    expect(await run()).toMatchObject({ imported: 1 });
    expect(fs.existsSync(`${db}.creating-${deadPid}-x`)).toBe(false);
    expect(fs.existsSync(`${db}.creating-${process.pid}-live`)).toBe(true);
  });

  it('adds to a database that appeared at the target during the import, counting what it already had', async () => {
    writeRun('t1', 'r1', Array.from({ length: 10 }, (_, i) => formatJsonlLine(record(i + 1)).trimEnd()));
    let appeared = false;
    const onProgress = () => {
      if (appeared) return;
      appeared = true;
      const other = openSqliteStore(db, { create: true });
      other.importEvents([record(2), record(40)]);
      other.close();
    };
    const summary = await importJsonl({ kind: 'import', path: layout, into: db }, { onProgress, signal: never }, 3, threadMinBytes);
    expect(summary).toMatchObject({ imported: 9, duplicates: 1 });
    expect((await allEvents()).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 40]);
    expect(fs.readdirSync(dir).filter((name) => name.includes('.creating-'))).toEqual([]);
  });

  it('stops at a record the database cannot take, keeping the batches before it', async () => {
    const lines = Array.from({ length: 10 }, (_, i) => formatJsonlLine(record(i + 1, i === 7 ? { event_type: 'x'.repeat(40) } : {})).trimEnd());
    writeRun('t1', 'r1', lines);
    await expect(run(layout, [], never, 3)).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringContaining('records.1.event_type') });
    expect((await allEvents()).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('fails on a file it cannot read, as a SOURCE error, keeping the batches before it', async () => {
    writeRun('t1', 'a', Array.from({ length: 3 }, (_, i) => formatJsonlLine(record(i + 1)).trimEnd()));
    fs.mkdirSync(path.join(layout, 'threads', 't1', 'runs', 'b.jsonl')); // listed as a run file, unreadable as one
    const error = await run(layout, [], never, 3).catch((e: unknown) => e);
    expect(asStoreError(error)).toMatchObject({ code: 'SOURCE', message: expect.stringContaining('EISDIR') });
    expect(await allEvents()).toHaveLength(3);
  });
});
