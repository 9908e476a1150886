// run_events rows as another writer may have left them in a DeerFlow
// database, each a case of the export's bytes-copying path (jobs/export-row-line.ts)
// or of its way back to the general one: escapes, markers anywhere, JSON the
// general path writes differently, invalid UTF-8, odd times, seqs a listing
// leaves out, runs interleaved in their thread.
import Database from 'better-sqlite3';
import type { RunEvent } from '../../src-shared/types.ts';
import { generateEvents } from '../../src-main/generator/generate.ts';
import { openSqliteStore } from '../../src-main/store/sqlite/sqlite-store.ts';

export interface ForeignRow {
  thread: string;
  run: string;
  seq: unknown;
  content: string | Buffer;
  metadata?: string | Buffer;
  type?: string;
  category?: string;
  created?: string;
  user?: string | null;
}

const CREATED = '2026-04-04 00:49:25.123456';

/** Besides the generated events of a store, in threads `crafted` and `interleaved`; the runs of `crafted` say what their rows are. */
export const foreignRows: ForeignRow[] = [
  // A string's escapes, as JSON.stringify writes them.
  { thread: 'crafted', run: 'strings', seq: 1, content: 'line\nbreak "quoted" back\\slash \u0001 \u001f \u007f tab\t\r\b\f', metadata: '{"caller": "lead_agent"}' },
  { thread: 'crafted', run: 'strings', seq: 2, content: '你好 🌍 line\u2028sep\u2029', metadata: '{}', user: 'u1' },
  { thread: 'crafted', run: 'strings', seq: 3, content: '{"looks": "like JSON"}', metadata: '{"content_is_json": false}' },
  // Invalid UTF-8, read as SQLite gives it (U+FFFD for each bad sequence).
  { thread: 'crafted', run: 'strings', seq: 13, content: Buffer.from([0x61, 0xff, 0x62, 0xed, 0xa0, 0xbd]), metadata: Buffer.from('{"bad": "\xff"}', 'latin1') },
  // The markers cut out wherever they are.
  { thread: 'crafted', run: 'objects', seq: 4, content: '{"a": [1, 2.5, -3e-7], "b": {"c": null}}', metadata: '{"x": 1, "content_is_json": true, "y": [true, false], "content_is_dict": true, "z": "w"}' },
  { thread: 'crafted', run: 'objects', seq: 5, content: '{}', metadata: '{"content_is_json": true, "content_is_dict": true}' },
  { thread: 'crafted', run: 'objects', seq: 6, content: '{"k": "v"}', metadata: '{"content_is_dict": true}' },
  // What the general path writes differently from the stored text, or decodes first: the bytes are not copied.
  { thread: 'crafted', run: 'declined', seq: 7, content: '[1, 2, {"x": "y"}]', metadata: '{"content_is_json": true}' },
  { thread: 'crafted', run: 'declined', seq: 8, content: '{"k":"v"}', metadata: '{"caller":"x","content_is_json":true,"content_is_dict":true}' },
  { thread: 'crafted', run: 'declined', seq: 9, content: '{"latency": 1.0, "big": 12345678901234567890}', metadata: '{"content_is_json": true, "content_is_dict": true}' },
  { thread: 'crafted', run: 'declined', seq: 10, content: '{"a": 1}', metadata: '{"content_is_json": 1}' },
  { thread: 'crafted', run: 'declined', seq: 11, content: 'text', metadata: '[1]' },
  { thread: 'crafted', run: 'declined', seq: 12, content: 'text', metadata: 'not json' },
  { thread: 'crafted', run: 'declined', seq: 14, content: 'text', metadata: '{"2": "b", "1": "a", "a": 1, "a": 2}' },
  { thread: 'crafted', run: 'declined', seq: 15, content: '{"s": "\\ud83d"}', metadata: '{"content_is_json": true, "content_is_dict": true}' },
  // Names JSON escapes; created_at as DeerFlow writes it and otherwise.
  { thread: 'crafted', run: 'names', seq: 16, content: 'x', type: 'odd"type', category: 'back\\slash', user: null },
  { thread: 'crafted', run: 'names', seq: 17, content: 'x', created: '2026-04-04 00:49:25.000000' },
  { thread: 'crafted', run: 'names', seq: 18, content: 'x', created: '2026-04-04 00:49:25' },
  { thread: 'crafted', run: 'names', seq: 19, content: 'x', created: '2026-13-01 00:00:00.000000' },
  // Seqs a listing leaves out; a run of nothing else still gets its (empty) file.
  { thread: 'crafted', run: 'strings', seq: 0, content: 'left out' },
  { thread: 'crafted', run: 'strings', seq: 'abc', content: 'left out' },
  { thread: 'crafted', run: 'unlisted', seq: -3, content: 'left out' },
  // Runs interleaved in their thread, a run's seqs far apart.
  ...[1, 3, 5].map((seq) => ({ thread: 'interleaved', run: 'r1', seq, content: `r1 ${seq}` })),
  ...[2, 4, 6].map((seq) => ({ thread: 'interleaved', run: 'r2', seq, content: `r2 ${seq}` })),
  ...[7, 100, 1000].map((seq) => ({ thread: 'interleaved', run: 'r0', seq, content: `r0 ${seq}` })),
];

export function insertForeignRows(file: string, rows: ForeignRow[]): void {
  const db = new Database(file);
  const insert = db.prepare(
    `INSERT INTO run_events (thread_id, run_id, user_id, event_type, category, content, event_metadata, seq, created_at)
     VALUES (?, ?, ?, ?, ?, CAST(? AS TEXT), CAST(? AS TEXT), ?, ?)`,
  );
  // Inserted out of order: the export follows the index, not the table.
  for (const row of [...rows].reverse()) {
    insert.run(row.thread, row.run, row.user ?? null, row.type ?? 'llm.ai.response', row.category ?? 'message', row.content, row.metadata ?? '{}', row.seq, row.created ?? CREATED);
  }
  db.close();
}

/** A new database of the app's making at `file`, holding `events`. */
export async function writeStore(file: string, events: RunEvent[]): Promise<void> {
  const store = openSqliteStore(file, { create: true });
  store.importEvents(events);
  await store.close();
}

/** A new database of generated events (DeerFlow's own encoding) and the foreign rows. */
export async function writeForeignStore(file: string): Promise<void> {
  await writeStore(file, [...generateEvents({ seed: 11, threads: 4 })]);
  insertForeignRows(file, foreignRows);
}
