import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeForeignStore } from '../../test/support/foreign-rows.ts';
import { rowToEvent } from '../store/sqlite/encoding.ts';
import type { ExportRow } from '../store/sqlite/rows.ts';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { databaseRecordLine, RowLineFormatter } from './export-row-line.ts';
import { RunFileBatcher } from './run-file-batches.ts';

describe('RowLineFormatter', () => {
  let dir: string;
  let store: SqliteStore;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-row-line-'));
    const file = path.join(dir, 'source.db');
    await writeForeignStore(file);
    store = openSqliteStore(file, { create: false, readOnly: true });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function everyRow(): ExportRow[] {
    const reader = store.exportReader()!;
    const runs = reader.runs();
    const [first, last] = [runs[0], runs[runs.length - 1]];
    const window = { thread: first.thread_id, run: first.run_id, seq: -Infinity, row_key: -Infinity, last_thread: last.thread_id, last_run: last.run_id };
    return reader.page(window, 1_000_000).filter((row) => typeof row.seq === 'number' && row.seq > 0);
  }

  it("writes each row's line as the general path does, copying the bytes it can vouch for", () => {
    const writer = new RunFileBatcher();
    const general = vi.spyOn(writer, 'text');
    const lines = new RowLineFormatter();
    const copiedRuns = new Map<string, boolean[]>();
    const rows = everyRow();
    for (const row of rows) {
      writer.beginRun(row.thread_id, row.run_id);
      lines.beginRun(row.thread_id, row.run_id);
      const [start, calls] = [writer.at, general.mock.calls.length];
      lines.write(row, writer);
      const written = writer.room(0).subarray(start, writer.at);
      expect(written.equals(Buffer.from(databaseRecordLine(rowToEvent(row)))), `seq ${row.seq} of ${row.thread_id}`).toBe(true);
      const key = `${row.thread_id}/${row.run_id}`;
      copiedRuns.set(key, [...(copiedRuns.get(key) ?? []), general.mock.calls.length === calls]);
    }
    expect(copiedRuns.get('crafted/strings')).toEqual([true, true, true, true]);
    expect(copiedRuns.get('crafted/objects')).toEqual([true, true, true]);
    expect(copiedRuns.get('crafted/names')).toEqual([true, true, true, true]);
    expect(copiedRuns.get('crafted/declined')).toEqual(Array(8).fill(false));
    // DeerFlow's own encoding (the generator writes it as DeerFlow does) is copied.
    const generated = [...copiedRuns].filter(([key]) => !key.startsWith('crafted/') && !key.startsWith('interleaved/')).flatMap(([, copied]) => copied);
    expect(generated.filter(Boolean).length).toBeGreaterThan(generated.length * 0.95);
  });
});
