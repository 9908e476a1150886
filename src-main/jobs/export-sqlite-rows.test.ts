// The SQLite export's own path (rows in index order, lines from the stored
// bytes) against the general path every other store takes (listEvents pages,
// formatJsonlLine), file for file and byte for byte.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { insertForeignRows, writeForeignStore, writeStore } from '../../test/support/foreign-rows.ts';
import type { InspectorStore } from '../../src-shared/types.ts';
import { generateEvents } from '../generator/generate.ts';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { exportJsonl } from './export-jsonl.ts';
import type { ProgressReport } from './job-spec.ts';

const never = new AbortController().signal;

/** The store seen through its InspectorStore methods only, so the export takes the general path. */
function asGenericStore(store: SqliteStore): InspectorStore {
  return new Proxy(store, {
    getPrototypeOf: () => Object.prototype,
    get: (target, key) => {
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Every file under `dir`, by its path from there. */
function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, file)] = fs.readFileSync(file, 'latin1');
  }
  return files;
}

// Small exports read in the job's thread; big ones in a helper thread of their own. Both, on the same cases:
for (const [mode, threadMinEvents] of [
  ['in the job thread', Infinity],
  ['with a reading thread', 0],
] as const) {
describe(`export of a SQLite database, ${mode}`, () => {
  let dir: string;
  let file: string;
  let source: SqliteStore;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-export-rows-'));
    file = path.join(dir, 'source.db');
    await writeForeignStore(file);
    source = openSqliteStore(file, { create: false, readOnly: true });
  });
  afterEach(async () => {
    await source.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const exportTo = (name: string, store: InspectorStore, filters: { threadId?: string; runId?: string } = {}, progress: ProgressReport[] = []) =>
    exportJsonl({ kind: 'export', source: null, out: path.join(dir, name), ...filters }, { onProgress: (p) => progress.push(p), signal: never, store }, threadMinEvents);

  /** Exports by both paths; the rows path must not have read through listEvents. */
  async function bothPaths(filters: { threadId?: string; runId?: string } = {}) {
    const listEvents = vi.spyOn(source, 'listEvents');
    const rows = await exportTo('rows', source, filters);
    expect(listEvents).not.toHaveBeenCalled();
    listEvents.mockRestore();
    const generic = await exportTo('generic', asGenericStore(source), filters);
    return { rows, generic, rowsTree: tree(path.join(dir, 'rows')), genericTree: tree(path.join(dir, 'generic')) };
  }

  it('writes every file of the general path, byte for byte', async () => {
    const { rows, generic, rowsTree, genericTree } = await bothPaths();
    expect(Object.keys(rowsTree).length).toBeGreaterThan(20);
    expect(rowsTree).toEqual(genericTree);
    expect({ ...rows, seconds: 0 }).toEqual({ ...generic, out: rows.out, seconds: 0 });
    const lines = (run: string) => rowsTree[path.join('threads', 'crafted', 'runs', `${run}.jsonl`)].split('\n');
    expect(lines('unlisted')).toEqual(['']);
    expect(lines('strings')).toHaveLength(5);
    expect(JSON.parse(Buffer.from(lines('objects')[0], 'latin1').toString('utf8')).metadata).toEqual({ x: 1, y: [true, false], z: 'w' });
    expect(rowsTree[path.join('threads', 'interleaved', 'runs', 'r0.jsonl')].split('\n').map((line) => line && JSON.parse(line).seq)).toEqual([7, 100, 1000, '']);
  });

  it('exports one thread, one run, and a run id wherever it is, as the general path does', async () => {
    for (const filters of [{ threadId: 'interleaved' }, { threadId: 'crafted' }, { threadId: 'interleaved', runId: 'r2' }, { runId: 'r1' }]) {
      const { rows, generic, rowsTree, genericTree } = await bothPaths(filters);
      expect(rowsTree).toEqual(genericTree);
      expect(rows.runs).toBe(generic.runs);
      expect(rows.events).toBe(generic.events);
      fs.rmSync(path.join(dir, 'rows'), { recursive: true });
      fs.rmSync(path.join(dir, 'generic'), { recursive: true });
    }
    await expect(exportTo('none', source, { threadId: 'interleaved', runId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(fs.existsSync(path.join(dir, 'none'))).toBe(false);
  });

  it('refuses an id that cannot name a file before writing anything', async () => {
    await source.close();
    insertForeignRows(file, [{ thread: 'crafted', run: 'a.b', seq: 50, content: 'x' }]);
    source = openSqliteStore(file, { create: false, readOnly: true });
    await expect(exportTo('bad', source)).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringContaining('a.b') });
    expect(fs.existsSync(path.join(dir, 'bad'))).toBe(false);
  });
});

describe(`export of a SQLite database, page by page, ${mode}`, () => {
  let dir: string;
  let source: SqliteStore;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-export-pages-'));
    const file = path.join(dir, 'source.db');
    // Over two pages of rows in one thread, so runs straddle pages.
    await writeStore(file, [...generateEvents({ seed: 5, threads: 2, totalEvents: 12_000 })]);
    source = openSqliteStore(file, { create: false, readOnly: true });
  });
  afterEach(async () => {
    await source.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes runs that straddle pages whole, reporting progress per page', async () => {
    const progress: ProgressReport[] = [];
    const summary = await exportJsonl({ kind: 'export', source: null, out: path.join(dir, 'rows') }, { onProgress: (p) => progress.push(p), signal: never, store: source }, threadMinEvents);
    await exportJsonl({ kind: 'export', source: null, out: path.join(dir, 'generic') }, { onProgress: () => {}, signal: never, store: asGenericStore(source) });
    expect(tree(path.join(dir, 'rows'))).toEqual(tree(path.join(dir, 'generic')));
    expect(summary.events).toBe(12_000);
    // A report per page (of each reading thread's part).
    const steps = progress.map((p, i) => p.done - (progress[i - 1]?.done ?? 0));
    expect(steps.length).toBeGreaterThanOrEqual(3);
    expect(steps.every((step) => step > 0 && step <= 5_000)).toBe(true);
    expect(progress.at(-1)!.done).toBe(12_000);
    expect(progress.every((p) => p.total === 12_000)).toBe(true);
  });

  it('stops between pages when cancelled, its writes done', async () => {
    const controller = new AbortController();
    const progress: ProgressReport[] = [];
    const onProgress = (p: ProgressReport) => {
      progress.push(p);
      controller.abort();
    };
    const out = path.join(dir, 'cancelled');
    await expect(exportJsonl({ kind: 'export', source: null, out }, { onProgress, signal: controller.signal, store: source }, threadMinEvents)).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(progress).toHaveLength(1);
    expect(progress[0].done).toBeLessThanOrEqual(5_000);
    // What was written by then is there whole: the lines of the first page, no more.
    const lines = Object.values(tree(out)).reduce((sum, text) => sum + text.split('\n').length - 1, 0);
    expect(lines).toBeGreaterThan(0);
    expect(lines).toBeLessThanOrEqual(5_000);
  });
});
}
