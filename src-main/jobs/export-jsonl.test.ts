import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InspectorStore, RunEvent } from '../../src-shared/types.ts';
import { generateEvents } from '../generator/generate.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { exportJsonl } from './export-jsonl.ts';
import { formatJsonlLine } from '../store/jsonl/format.ts';
import { importJsonl } from './import-jsonl.ts';
import type { ProgressReport } from './job-spec.ts';

const never = new AbortController().signal;

/** Every event, keyed thread/run, in seq order. */
async function snapshot(store: InspectorStore): Promise<Record<string, RunEvent[]>> {
  const out: Record<string, RunEvent[]> = {};
  for (const thread of await store.listThreads()) {
    for (const run of await store.listRuns(thread.thread_id)) {
      out[`${thread.thread_id}/${run.run_id}`] = await store.listEvents(thread.thread_id, run.run_id, { limit: 100_000 });
    }
  }
  return out;
}

const crafted: RunEvent[] = [
  {
    thread_id: 'odd',
    run_id: 'r1',
    event_type: 'llm.human.input',
    category: 'message',
    content: '{"looks": "like JSON"}',
    metadata: { caller: 'lead_agent' },
    seq: 5,
    created_at: '2026-04-04T08:49:25.123456+08:00',
    user_id: 'u1',
  },
  {
    thread_id: 'odd',
    run_id: 'r1',
    event_type: 'llm.ai.response',
    category: 'message',
    content: { type: 'ai', content: [{ type: 'text', text: '你好 🌍 line\u2028sep' }], tool_calls: [] },
    metadata: {},
    seq: 9,
    created_at: '2026-04-04T00:49:26+00:00',
    user_id: null,
  },
];

describe('export', () => {
  let dir: string;
  let source: SqliteStore;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-export-'));
    source = openSqliteStore(path.join(dir, 'source.db'), { create: true });
    source.importEvents([...generateEvents({ seed: 11, threads: 4 }), ...crafted]);
  });
  afterEach(async () => {
    await source.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const exportTo = (out: string, store: InspectorStore = source, filters: { threadId?: string; runId?: string } = {}, progress: ProgressReport[] = []) =>
    exportJsonl({ kind: 'export', source: null, out, ...filters }, { onProgress: (p) => progress.push(p), signal: never, store });

  it('export then import into an empty database reproduces every event exactly', async () => {
    const out = path.join(dir, 'out');
    const progress: ProgressReport[] = [];
    const summary = await exportTo(out, source, {}, progress);
    const before = await snapshot(source);
    const total = Object.values(before).reduce((sum, events) => sum + events.length, 0);
    expect(summary).toMatchObject({ events: total, threads: 5, runs: Object.keys(before).length, files: Object.keys(before).length, out });
    expect(progress.at(-1)).toMatchObject({ done: total, total });

    const imported = await importJsonl({ kind: 'import', path: out, into: path.join(dir, 'copy.db') }, { onProgress: () => {}, signal: never });
    expect(imported).toMatchObject({ imported: total, duplicates: 0, skipped: 0, issues: [] });
    const copy = openSqliteStore(path.join(dir, 'copy.db'), { create: false });
    expect(await snapshot(copy)).toEqual(before);
    expect(await copy.listThreads()).toEqual(await source.listThreads());
    await copy.close();
  });

  it("writes DeerFlow's layout, keys and separators, non-ASCII unescaped", async () => {
    const out = path.join(dir, 'out');
    await exportTo(out, source, { threadId: 'odd' });
    expect(fs.readdirSync(path.join(out, 'threads'))).toEqual(['odd']);
    const lines = fs.readFileSync(path.join(out, 'threads', 'odd', 'runs', 'r1.jsonl'), 'utf8').split('\n');
    expect(lines[0]).toBe(
      '{"thread_id": "odd", "run_id": "r1", "event_type": "llm.human.input", "category": "message", "content": "{\\"looks\\": \\"like JSON\\"}", ' +
        '"metadata": {"caller": "lead_agent"}, "seq": 5, "created_at": "2026-04-04T00:49:25.123456+00:00", "user_id": "u1"}',
    );
    expect(lines[1]).toContain('你好 🌍 line\u2028sep');
    expect(lines[1]).not.toContain('user_id');
    // The sqlite backend's content markers are its own encoding, not part of DeerFlow's JSONL record.
    expect(JSON.parse(lines[1]).metadata).toEqual({});
    expect(lines[2]).toBe('');
  });

  it('exports one run, and says so when there is nothing to export', async () => {
    const out = path.join(dir, 'out');
    const summary = await exportTo(out, source, { runId: 'r1' });
    expect(summary).toMatchObject({ runs: 1, threads: 1, events: 2 });
    await expect(exportTo(path.join(dir, 'none'), source, { threadId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(fs.existsSync(path.join(dir, 'none'))).toBe(false);
  });

  it('refuses ids that cannot be file names before writing anything', async () => {
    const memory = new MemoryStore();
    await memory.put({ thread_id: 'a.b', run_id: 'r', event_type: 'x', category: 'message' });
    await expect(exportTo(path.join(dir, 'bad'), memory)).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringContaining('a.b') });
    expect(fs.existsSync(path.join(dir, 'bad'))).toBe(false);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const cancelled = exportJsonl({ kind: 'export', source: null, out: path.join(dir, 'out') }, { onProgress: () => {}, signal: controller.signal, store: source });
    await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('formats a memory record the same way', () => {
    const [event] = crafted;
    const { user_id: _owner, ...withoutOwner } = event;
    expect(formatJsonlLine(withoutOwner)).toBe(
      '{"thread_id": "odd", "run_id": "r1", "event_type": "llm.human.input", "category": "message", "content": "{\\"looks\\": \\"like JSON\\"}", "metadata": {"caller": "lead_agent"}, "seq": 5, "created_at": "2026-04-04T08:49:25.123456+08:00"}\n',
    );
  });
});
