// SIGKILL of `run-inspector import` at random points of a large import: the
// database still opens, holds only whole batches, and running the import
// again completes it with no duplicates.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src-shared/types.ts';
import { generateEvents } from '../../src-main/generator/generate.ts';
import { writeJsonlLayout } from '../../src-main/generator/write-store.ts';
import { IMPORT_BATCH_SIZE } from '../../src-main/jobs/import-jsonl.ts';
import { openSqliteStore } from '../../src-main/store/sqlite/sqlite-store.ts';
import { MEMORY_QUIRKS, NO_STAMPS, SQLITE_QUIRKS, normalize } from './store-ops.ts';
import { CLI, REPO_ROOT, integrityCheck, makeTempDir, runCli } from './support.ts';

const GENERATION = { seed: 5, threads: 24, totalEvents: 50_000 };

/** Starts the import and SIGKILLs it after `delayMs`; resolves once it is dead. */
function importKilledAfter(jsonl: string, db: string, delayMs: number): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, [CLI, 'import', jsonl, '--into', db], { cwd: REPO_ROOT, stdio: 'ignore' });
  const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
  return new Promise((resolve) =>
    child.once('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve(signal);
    }),
  );
}

/** Rows in run_events, and how many (thread_id, seq) pairs occur more than once. */
function countRows(db: string): { rows: number; duplicatePairs: number } {
  const conn = new Database(db, { readonly: true });
  try {
    const rows = conn.prepare('SELECT count(*) FROM run_events').pluck().get() as number;
    const duplicatePairs = conn
      .prepare('SELECT count(*) FROM (SELECT 1 FROM run_events GROUP BY thread_id, seq HAVING count(*) > 1)')
      .pluck()
      .get() as number;
    return { rows, duplicatePairs };
  } finally {
    conn.close();
  }
}

describe('SIGKILL during a large import', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let jsonl: string;
  let expected: RunEvent[];

  beforeAll(() => {
    temp = makeTempDir();
    jsonl = path.join(temp.dir, 'export');
    expected = [...generateEvents(GENERATION)];
    writeJsonlLayout(jsonl, expected);
  });
  afterAll(() => temp.remove());

  it('leaves whole batches after every kill, and a re-run completes the import with no duplicates', async () => {
    const db = path.join(temp.dir, 'killed.db');
    // Early (start-up, database creation), then inside the import at random points.
    const delays = [150 + Math.random() * 250, 400 + Math.random() * 800, 700 + Math.random() * 900].map(Math.round);
    let before = 0;
    for (const delay of delays) {
      const signal = await importKilledAfter(jsonl, db, delay);
      const at = `killed after ${delay} ms (${signal ?? 'finished first'}); delays ${delays.join(', ')}`;
      if (!fs.existsSync(db)) continue;
      expect(integrityCheck(db), at).toBe('ok');
      const store = openSqliteStore(db, { create: false });
      const listed = (await store.listThreads()).reduce((sum, t) => sum + t.event_count, 0);
      await store.close();
      const { rows, duplicatePairs } = countRows(db);
      expect(listed, at).toBe(rows);
      expect(duplicatePairs, at).toBe(0);
      expect(rows % IMPORT_BATCH_SIZE === 0 || rows === expected.length, `${rows} rows: ${at}`).toBe(true);
      expect(rows, at).toBeGreaterThanOrEqual(before);
      before = rows;
    }

    const rerun = await runCli(['import', jsonl, '--into', db], { timeoutMs: 60_000 });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(new RegExp(`^imported ${expected.length - before}, skipped 0, duplicates ${before},`));
    expect(countRows(db)).toEqual({ rows: expected.length, duplicatePairs: 0 });
    expect(integrityCheck(db)).toBe('ok');

    // Every event exactly as generated (modulo the sqlite encoding's documented quirks).
    const store = openSqliteStore(db, { create: false });
    try {
      const byThread = new Map<string, RunEvent[]>();
      for (const event of expected) {
        const events = byThread.get(event.thread_id);
        if (events) events.push(event);
        else byThread.set(event.thread_id, [event]);
      }
      for (const [threadId, events] of byThread) {
        const read: RunEvent[] = [];
        for (const run of await store.listRuns(threadId)) read.push(...(await store.listEvents(threadId, run.run_id, { limit: 100_000 })));
        read.sort((a, b) => a.seq - b.seq);
        expect(normalize(read, SQLITE_QUIRKS, NO_STAMPS), threadId).toEqual(normalize(events, MEMORY_QUIRKS, NO_STAMPS));
      }
    } finally {
      await store.close();
    }
  });

  it('a kill while the new database is being created does not block the next import', async () => {
    // The narrowest window of the run above, made deterministic: the process
    // dies right after SQLite has written the new file's header and before
    // DeerFlow's table exists.
    const db = path.join(temp.dir, 'half-created.db');
    const dies = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import Database from 'better-sqlite3';
         const exec = Database.prototype.exec;
         Database.prototype.exec = function (sql) {
           if (sql.startsWith('CREATE TABLE')) process.kill(process.pid, 'SIGKILL');
           return exec.call(this, sql);
         };
         const { openSqliteStore } = await import(${JSON.stringify(path.join(REPO_ROOT, 'src-main/store/sqlite/sqlite-store.ts'))});
         openSqliteStore(${JSON.stringify(db)}, { create: true });`,
      ],
      { cwd: REPO_ROOT, stdio: 'ignore' },
    );
    const signal = await new Promise((resolve) => dies.once('exit', (_code, s) => resolve(s)));
    expect(signal).toBe('SIGKILL');

    const oneThread = path.join(jsonl, 'threads', expected[0].thread_id);
    const rerun = await runCli(['import', oneThread, '--into', db]);
    expect(rerun.stderr).not.toMatch(/error/);
    expect(rerun.code).toBe(0);
    expect(countRows(db).rows).toBe(expected.filter((e) => e.thread_id === expected[0].thread_id).length);
  });
});
