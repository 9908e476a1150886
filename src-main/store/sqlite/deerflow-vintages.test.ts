// The sqlite backend against databases DeerFlow wrote, of each vintage: it
// returns what DeerFlow's reader returns, writes what DeerFlow writes, and
// leaves a foreign file's schema and journal mode alone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src-shared/types.ts';
import {
  createVintageDatabase,
  execSql,
  journalModeOf,
  rawRows,
  schemaOf,
  type RawEvent,
  type Vintage,
  type VintageData,
} from '../../../test/support/deerflow-databases.ts';
import { openSqliteStore, type SqliteStore } from './sqlite-store.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-deerflow-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const raw = (over: Partial<RawEvent> & Pick<RawEvent, 'seq'>): RawEvent => ({
  thread_id: 't1',
  run_id: 'r1',
  event_type: 'llm.ai.response',
  category: 'message',
  content: 'hello',
  event_metadata: '{}',
  created_at: '2026-04-04 00:49:25.123456',
  ...over,
});

/** A thread as the current DeerFlow writes it: markers on structured content, owner stamped. */
const CURRENT: VintageData = {
  events: [
    raw({ seq: 1, user_id: 'u1', event_type: 'run.start', category: 'trace', content: '{"chain": "lead"}', event_metadata: '{"content_is_json": true, "content_is_dict": true}' }),
    raw({
      seq: 2,
      user_id: 'u1',
      event_type: 'llm.human.input',
      content: '{"type": "human", "content": "你好 🚀"}',
      event_metadata: '{"caller": "lead_agent", "content_is_json": true, "content_is_dict": true}',
      created_at: '2026-04-04 00:49:26.000000',
    }),
    raw({ seq: 3, user_id: 'u1', content: '{"looks": "like json"}', event_metadata: '{"caller": "lead_agent"}', created_at: '2026-04-04 00:49:27.500000' }),
    raw({ seq: 4, user_id: null, event_type: 'llm.tool.result', content: '[1, "two", null]', event_metadata: '{"content_is_json": true}' }),
    raw({ seq: 5, user_id: 'u1', event_type: 'run.end', category: 'outputs', content: '', event_metadata: '{"status": "success"}' }),
    raw({ seq: 6, user_id: 'u1', run_id: 'r2', event_type: 'run.error', category: 'error', content: 'boom', event_metadata: '{"error_type": "ValueError"}' }),
  ],
  runs: [
    { run_id: 'r1', thread_id: 't1', status: 'success', model_name: 'gpt-4o', error: null, total_input_tokens: 10, total_output_tokens: 5, total_tokens: 15 },
  ],
  threads: [
    { thread_id: 't1', display_name: 'Weather in Paris' },
    { thread_id: 'only-meta', display_name: 'Never ran' },
  ],
};

function foreign(vintage: Vintage, data: VintageData = CURRENT, journal: 'delete' | 'wal' = 'delete'): string {
  const file = path.join(dir, `${vintage}.db`);
  const events = vintage === 'before-mid-april-2026' ? data.events.map(({ user_id: _drop, ...e }) => e) : data.events;
  createVintageDatabase(file, vintage, { ...data, events }, journal);
  return file;
}

async function withStore<T>(file: string, work: (store: SqliteStore) => Promise<T>, readOnly = false): Promise<T> {
  const store = openSqliteStore(file, { create: false, readOnly });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

describe('current DeerFlow database (user_id, unique constraint, content markers, runs, threads_meta)', () => {
  it("returns records exactly as DeerFlow's reader does", async () => {
    const file = foreign('current');
    const events = await withStore(file, (s) => s.listEvents('t1', 'r1'));
    expect(events[0]).toEqual({
      thread_id: 't1',
      run_id: 'r1',
      event_type: 'run.start',
      category: 'trace',
      content: { chain: 'lead' },
      metadata: { content_is_json: true, content_is_dict: true },
      seq: 1,
      created_at: '2026-04-04T00:49:25.123456+00:00',
      user_id: 'u1',
    });
    expect(events[1].content).toEqual({ type: 'human', content: '你好 🚀' });
    expect(events[1].created_at).toBe('2026-04-04T00:49:26+00:00'); // Python's isoformat drops a zero fraction
    expect(events[2].content).toBe('{"looks": "like json"}'); // unmarked: stays a string
    expect(events[3]).toMatchObject({ content: [1, 'two', null], user_id: null });
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('reads display names from threads_meta and lists a thread found only there with zero counts', async () => {
    const threads = await withStore(foreign('current'), (s) => s.listThreads());
    expect(threads).toEqual([
      {
        thread_id: 't1',
        display_name: 'Weather in Paris',
        message_count: 3,
        event_count: 6,
        run_count: 2,
        first_created_at: '2026-04-04T00:49:25.123456+00:00',
        last_created_at: '2026-04-04T00:49:27.500000+00:00',
        // r1's last event is later than r2's only one.
        last_run_status: 'success',
        // Its first human message's text, as the page titles a thread without a display name.
        title: '你好 🚀',
      },
      {
        thread_id: 'only-meta',
        display_name: 'Never ran',
        message_count: 0,
        event_count: 0,
        run_count: 0,
        first_created_at: null,
        last_created_at: null,
        last_run_status: null,
      },
    ]);
  });

  it('takes status, model and tokens from runs, and status from events for a run runs does not have', async () => {
    const runs = await withStore(foreign('current'), (s) => s.listRuns('t1'));
    expect(runs).toEqual([
      {
        run_id: 'r1',
        message_count: 3,
        event_count: 5,
        first_created_at: '2026-04-04T00:49:25.123456+00:00',
        last_created_at: '2026-04-04T00:49:27.500000+00:00',
        first_seq: 1,
        last_seq: 5,
        status: 'success',
        stop_reason: null,
        model_name: 'gpt-4o',
        error: null,
        total_tokens: 15,
        llm_calls: 1,
        tool_calls: 0,
        tool_errors: 0,
        original: null,
      },
      {
        run_id: 'r2',
        message_count: 0,
        event_count: 1,
        first_created_at: '2026-04-04T00:49:25.123456+00:00',
        last_created_at: '2026-04-04T00:49:25.123456+00:00',
        first_seq: 6,
        last_seq: 6,
        status: 'error',
        stop_reason: null,
        model_name: null,
        error: 'boom',
        total_tokens: null,
        llm_calls: 0,
        tool_calls: 0,
        tool_errors: 0,
      },
    ]);
  });

  it("writes in DeerFlow's encoding, next to its rows", async () => {
    const file = foreign('current');
    const put = await withStore(file, (s) =>
      s.put({
        thread_id: 't1',
        run_id: 'r3',
        event_type: 'llm.ai.response',
        category: 'message',
        content: { type: 'ai', content: 'çà 🚀', tool_calls: [] },
        metadata: { caller: 'lead_agent', usage: { input_tokens: 3 } },
        created_at: '2026-04-04T08:49:25.5+08:00',
      }),
    );
    const [row] = rawRows(file, "SELECT * FROM run_events WHERE run_id = 'r3'");
    expect(row).toEqual({
      id: 7,
      thread_id: 't1',
      run_id: 'r3',
      user_id: null,
      event_type: 'llm.ai.response',
      category: 'message',
      content: '{"type": "ai", "content": "çà 🚀", "tool_calls": []}',
      event_metadata: '{"caller": "lead_agent", "usage": {"input_tokens": 3}, "content_is_json": true, "content_is_dict": true}',
      seq: 7,
      created_at: '2026-04-04 00:49:25.500000',
    });
    expect(put).toEqual({
      thread_id: 't1',
      run_id: 'r3',
      event_type: 'llm.ai.response',
      category: 'message',
      content: { type: 'ai', content: 'çà 🚀', tool_calls: [] },
      metadata: { caller: 'lead_agent', usage: { input_tokens: 3 }, content_is_json: true, content_is_dict: true },
      seq: 7,
      created_at: '2026-04-04T00:49:25.500000+00:00',
      user_id: null,
    });
    expect(await withStore(file, (s) => s.getEvent('t1', 7))).toEqual(put);
  });

  it('keeps the journal mode and schema of a foreign file through open, write and delete', async () => {
    for (const journal of ['delete', 'wal'] as const) {
      const file = foreign('current', CURRENT, journal);
      const schema = schemaOf(file);
      await withStore(file, async (s) => {
        await s.put({ thread_id: 't1', run_id: 'r9', event_type: 'run.start', category: 'trace' });
        await s.putBatch([{ thread_id: 't2', run_id: 'r1', event_type: 'x', category: 'message', content: [1] }]);
        await s.deleteByRun('t1', 'r2');
      });
      expect(journalModeOf(file)).toBe(journal);
      expect(schemaOf(file)).toEqual(schema);
      fs.rmSync(file);
    }
  });

  it('deletes in one transaction, leaving runs and threads_meta alone', async () => {
    const file = foreign('current');
    await withStore(file, async (s) => {
      expect(await s.deleteByRun('t1', 'r1')).toBe(5);
      expect((await s.put({ thread_id: 't1', run_id: 'r4', event_type: 'x', category: 'message' })).seq).toBe(7);
      expect(await s.deleteByThread('t1')).toBe(2);
    });
    expect(rawRows(file)).toEqual([]);
    expect(rawRows(file, 'SELECT run_id FROM runs')).toEqual([{ run_id: 'r1' }]);
    expect(rawRows(file, 'SELECT count(*) AS n FROM threads_meta')).toEqual([{ n: 2 }]);
  });
});

describe('DeerFlow database from before May 2026 (no content markers)', () => {
  it('returns JSON-looking content as the string it is', async () => {
    const file = foreign('before-may-2026', {
      events: [
        raw({ seq: 1, content: '{"type": "ai", "content": "hi"}', event_metadata: '{"caller": "lead_agent"}' }),
        raw({ seq: 2, content: '[1, 2]' }),
        raw({ seq: 3, content: '42' }),
      ],
    });
    const messages = await withStore(file, (s) => s.listMessages('t1'));
    expect(messages.map((m) => m.content)).toEqual(['{"type": "ai", "content": "hi"}', '[1, 2]', '42']);
    expect(messages[0].metadata).toEqual({ caller: 'lead_agent' });
    expect(messages[0].user_id).toBeNull();
  });
});

describe('the read model where runs has no row for a run (legacy event names, usage in the messages)', () => {
  const at = (time: string) => `2026-04-04 00:49:${time}`;
  const LEGACY: VintageData = {
    events: [
      // The subagent's buffered message is written before run_start but happened after it.
      raw({
        seq: 1,
        event_type: 'ai_message',
        content: '{"type": "ai", "content": "hi", "usage_metadata": {"input_tokens": 4, "output_tokens": 6}, "response_metadata": {"model_name": "gpt-4o-mini"}}',
        created_at: at('30.000000'),
      }),
      raw({ seq: 2, event_type: 'run_start', category: 'lifecycle', content: '', created_at: at('20.000000') }),
      raw({ seq: 3, event_type: 'ai_message', content: 'plain', event_metadata: '{"usage": {"total_tokens": 5}, "model_name": "deepseek-v3"}', created_at: at('40.000000') }),
      raw({ seq: 4, event_type: 'run_end', category: 'lifecycle', content: '', created_at: at('39.000000') }),
      raw({ seq: 5, run_id: 'r2', event_type: 'run_error', category: 'lifecycle', content: '{"message": "rate limit"}', created_at: at('50.000000') }),
      raw({
        seq: 6,
        run_id: 'r3',
        event_type: 'llm.ai.response',
        content: '{"type": "ai", "content": "x", "response_metadata": {"token_usage": {"total_tokens": 7}}}',
        created_at: at('45.000000'),
      }),
    ],
    runs: [],
  };

  it('derives status, error, model and tokens from the events, and spans by time, not by seq', async () => {
    const runs = await withStore(foreign('before-may-2026', LEGACY), (s) => s.listRuns('t1'));
    expect(runs).toEqual([
      {
        run_id: 'r1',
        message_count: 2,
        event_count: 4,
        first_created_at: '2026-04-04T00:49:20+00:00',
        last_created_at: '2026-04-04T00:49:40+00:00',
        first_seq: 1,
        last_seq: 4,
        status: 'success',
        stop_reason: null,
        error: null,
        model_name: 'deepseek-v3',
        total_tokens: 15,
        llm_calls: 2,
        tool_calls: 0,
        tool_errors: 0,
      },
      {
        run_id: 'r2',
        message_count: 0,
        event_count: 1,
        first_created_at: '2026-04-04T00:49:50+00:00',
        last_created_at: '2026-04-04T00:49:50+00:00',
        first_seq: 5,
        last_seq: 5,
        status: 'error',
        stop_reason: null,
        error: '{"message": "rate limit"}',
        model_name: null,
        total_tokens: null,
        llm_calls: 0,
        tool_calls: 0,
        tool_errors: 0,
      },
      {
        run_id: 'r3',
        message_count: 1,
        event_count: 1,
        first_created_at: '2026-04-04T00:49:45+00:00',
        last_created_at: '2026-04-04T00:49:45+00:00',
        first_seq: 6,
        last_seq: 6,
        status: null,
        stop_reason: null,
        error: null,
        model_name: null,
        total_tokens: 7,
        llm_calls: 1,
        tool_calls: 0,
        tool_errors: 0,
      },
    ]);
  });

  it("lists the thread with its span by time and the status of the run that ended last (not the one with the last seq)", async () => {
    const [thread] = await withStore(foreign('before-may-2026', LEGACY), (s) => s.listThreads());
    expect(thread).toMatchObject({
      first_created_at: '2026-04-04T00:49:20+00:00',
      last_created_at: '2026-04-04T00:49:50+00:00',
      last_run_status: 'error',
    });
  });

  it('sees the events another writer adds after the thread and its runs were listed', async () => {
    const file = foreign('before-may-2026', LEGACY);
    await withStore(file, async (s) => {
      expect((await s.listThreads())[0].last_run_status).toBe('error');
      expect((await s.listRuns('t1'))[2].last_created_at).toBe('2026-04-04T00:49:45+00:00');
      execSql(file, `INSERT INTO run_events (thread_id, run_id, event_type, category, content, event_metadata, seq, created_at)
        VALUES ('t1', 'r4', 'run.end', 'outputs', '', '{}', 7, '${at('59.000000')}'), ('t1', 'r3', 'llm.tool.result', 'message', '', '{}', 8, '${at('58.000000')}')`);
      expect((await s.listThreads())[0]).toMatchObject({ last_created_at: '2026-04-04T00:49:59+00:00', last_run_status: 'success', run_count: 4 });
      expect((await s.listRuns('t1')).map((r) => [r.run_id, r.last_created_at])).toEqual([
        ['r1', '2026-04-04T00:49:40+00:00'],
        ['r2', '2026-04-04T00:49:50+00:00'],
        ['r3', '2026-04-04T00:49:58+00:00'],
        ['r4', '2026-04-04T00:49:59+00:00'],
      ]);
    });
  });
});

describe('a runs table with stop_reason (a later DeerFlow)', () => {
  it("takes the stop reason and status from the run's row, in listRuns and the thread's last run status", async () => {
    const file = foreign('current', {
      events: [raw({ seq: 1, event_type: 'run.start', category: 'trace' }), raw({ seq: 2, event_type: 'run.end', category: 'outputs', event_metadata: '{}' })],
      runs: [{ run_id: 'r1', thread_id: 't1', status: 'interrupted', model_name: null, error: null, total_input_tokens: 0, total_output_tokens: 0, total_tokens: 0 }],
    });
    execSql(file, "ALTER TABLE runs ADD COLUMN stop_reason VARCHAR(64); UPDATE runs SET stop_reason = 'interrupted_by_new_run'");
    await withStore(file, async (s) => {
      expect((await s.listRuns('t1'))[0]).toMatchObject({ status: 'interrupted', stop_reason: 'interrupted_by_new_run' });
      expect((await s.listThreads())[0].last_run_status).toBe('interrupted');
    });
  });
});

describe("a run's original in its runs row (issue 12's Compare with original)", () => {
  it("reads metadata_json's regenerate_from_run_id first, else follow_up_to_run_id (the column, else metadata_json's); a row naming neither, or JSON that is not, has none", async () => {
    const row = (run_id: string) => ({ run_id, thread_id: 't1', status: 'success', model_name: null, error: null, total_input_tokens: 0, total_output_tokens: 0, total_tokens: 0 });
    const file = foreign('current', {
      events: ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'].map((run_id, i) => raw({ seq: i + 1, run_id })),
      runs: ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'].map(row),
    });
    execSql(
      file,
      `UPDATE runs SET metadata_json = '{"regenerate_from_run_id": "r1", "follow_up_to_run_id": "r0"}', follow_up_to_run_id = 'r0' WHERE run_id = 'r2';
       UPDATE runs SET follow_up_to_run_id = 'r2' WHERE run_id = 'r3';
       UPDATE runs SET metadata_json = '{"follow_up_to_run_id": "r3"}' WHERE run_id = 'r4';
       UPDATE runs SET metadata_json = 'not json' WHERE run_id = 'r5';`,
    );
    const runs = await withStore(file, (s) => s.listRuns('t1'));
    expect(runs.map(({ run_id, original }) => [run_id, original])).toEqual([
      ['r1', null],
      ['r2', { run_id: 'r1', relation: 'regenerate' }],
      ['r3', { run_id: 'r2', relation: 'follow_up' }],
      ['r4', { run_id: 'r3', relation: 'follow_up' }],
      ['r5', null],
      ['r6', null],
    ]);
  });
});

describe('DeerFlow database from before mid-April 2026 (no user_id, no unique constraint, owner_id)', () => {
  const OLD: VintageData = {
    events: [raw({ seq: 1 }), raw({ seq: 2, category: 'trace', event_type: 'llm_end', content: 'x' }), raw({ seq: 3, run_id: 'r2', event_type: 'ai_message' })],
    runs: [{ run_id: 'r1', thread_id: 't1', status: 'interrupted', model_name: 'm', error: null, total_input_tokens: 1, total_output_tokens: 2, total_tokens: 3 }],
    threads: [{ thread_id: 't1', display_name: 'Old thread' }],
  };

  it('returns records without a user_id key and reads runs and threads_meta keyed by owner_id', async () => {
    const file = foreign('before-mid-april-2026', OLD);
    await withStore(file, async (s) => {
      const [first] = await s.listMessages('t1', { limit: 1, afterSeq: 0 });
      expect(first).toEqual({
        thread_id: 't1',
        run_id: 'r1',
        event_type: 'llm.ai.response',
        category: 'message',
        content: 'hello',
        metadata: {},
        seq: 1,
        created_at: '2026-04-04T00:49:25.123456+00:00',
      });
      expect('user_id' in first).toBe(false);
      expect((await s.listThreads())[0]).toMatchObject({ thread_id: 't1', display_name: 'Old thread', event_count: 3, run_count: 2 });
      expect((await s.listRuns('t1'))[0]).toMatchObject({ run_id: 'r1', status: 'interrupted', total_tokens: 3 });
    });
  });

  it('writes without user_id and keeps the schema', async () => {
    const file = foreign('before-mid-april-2026', OLD);
    const schema = schemaOf(file);
    const put = await withStore(file, (s) => s.put({ thread_id: 't1', run_id: 'r2', event_type: 'llm.ai.response', category: 'message', content: 'new' }));
    expect(put.seq).toBe(4);
    expect('user_id' in put).toBe(false);
    expect(Object.keys(rawRows(file)[3])).toEqual(['id', 'thread_id', 'run_id', 'event_type', 'category', 'content', 'event_metadata', 'seq', 'created_at']);
    expect(schemaOf(file)).toEqual(schema);
  });

  it('imports without duplicating (thread_id, seq), with no unique constraint to rely on', async () => {
    const file = foreign('before-mid-april-2026', OLD);
    const existing = await withStore(file, (s) => s.listEvents('t1', 'r1'));
    const fresh: RunEvent = { ...existing[0], seq: 10, content: 'imported' };
    const result = await withStore(file, async (s) => s.importEvents([...existing, fresh, fresh]));
    expect(result).toEqual({ imported: 1, duplicates: 3 });
    expect(rawRows(file).map((r) => r.seq)).toEqual([1, 2, 3, 10]);
  });

  it("adds an import's own database to it (the target appeared during the import) without duplicates or user_id", async () => {
    const file = foreign('before-mid-april-2026', OLD);
    const schema = schemaOf(file);
    const existing = await withStore(file, (s) => s.listEvents('t1', 'r1'));
    const own = openSqliteStore(path.join(dir, 'own.db'), { create: true });
    own.importEvents([...existing, { ...existing[0], seq: 10, content: 'imported', user_id: 'u9' }]);
    await own.close();
    expect(await withStore(file, async (s) => s.importDatabase(path.join(dir, 'own.db')))).toBe(1);
    expect(rawRows(file).map((r) => r.seq)).toEqual([1, 2, 3, 10]);
    expect(rawRows(file)[3]).toMatchObject({ content: 'imported', thread_id: 't1' });
    expect(schemaOf(file)).toEqual(schema);
  });
});

describe("rows another writer got wrong", () => {
  it('leaves out a row whose seq is not a positive integer, and still allocates the next seq after the real ones', async () => {
    const file = foreign('current', { events: [raw({ seq: 1 }), raw({ seq: 2 })] });
    execSql(file, "INSERT INTO run_events (thread_id, run_id, event_type, category, content, event_metadata, seq, created_at) VALUES ('t1', 'r1', 'x', 'message', 'text seq', '{}', 'six', 'yesterday'), ('t1', 'r1', 'x', 'message', 'zero seq', '{}', 0, 'yesterday')");
    await withStore(file, async (s) => {
      expect((await s.listEvents('t1', 'r1')).map((e) => e.seq)).toEqual([1, 2]);
      expect((await s.listMessages('t1')).map((e) => e.seq)).toEqual([1, 2]);
      expect((await s.put({ thread_id: 't1', run_id: 'r1', event_type: 'x', category: 'message' })).seq).toBe(3);
    });
  });

  it('reads a run_events view and refuses to write to it', async () => {
    const file = foreign('current', { events: [raw({ seq: 1 })] });
    execSql(file, 'ALTER TABLE run_events RENAME TO stored_events; CREATE VIEW run_events AS SELECT * FROM stored_events');
    await withStore(file, async (s) => {
      expect((await s.listMessages('t1')).map((e) => e.content)).toEqual(['hello']);
      await expect(s.put({ thread_id: 't1', run_id: 'r1', event_type: 'x', category: 'message' })).rejects.toMatchObject({ code: 'READ_ONLY' });
      await expect(s.deleteByThread('t1')).rejects.toThrow(/run_events is a view/);
    });
  });
});

describe('sources that are not usable DeerFlow databases', () => {
  const open = (file: string) => () => openSqliteStore(file, { create: true });

  it('refuses a file that is not SQLite, naming it, and leaves it alone', () => {
    const file = path.join(dir, 'notes.db');
    fs.writeFileSync(file, 'just some text\n');
    expect(open(file)).toThrow(`${file}: is not a SQLite database`);
    expect(fs.readFileSync(file, 'utf8')).toBe('just some text\n');
  });

  it('refuses an empty file and never initialises it', () => {
    const file = path.join(dir, 'empty.sqlite');
    fs.writeFileSync(file, '');
    expect(open(file)).toThrow(`${file}: is an empty file, not a SQLite database`);
    expect(fs.statSync(file).size).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['empty.sqlite']);
  });

  it('names a missing run_events table', () => {
    const file = path.join(dir, 'langgraph.db');
    createVintageDatabase(file, 'current', { events: [] });
    execSql(file, 'DROP TABLE run_events');
    const schema = schemaOf(file);
    expect(open(file)).toThrow(`${file}: has no run_events table`);
    expect(schemaOf(file)).toEqual(schema);
  });

  it('names the columns run_events lacks', () => {
    const file = path.join(dir, 'broken.db');
    createVintageDatabase(file, 'current', { events: [] });
    execSql(file, 'DROP TABLE run_events');
    execSql(file, 'CREATE TABLE run_events (id INTEGER PRIMARY KEY, thread_id TEXT, run_id TEXT, event_type TEXT, category TEXT, content TEXT, seq INTEGER)');
    expect(open(file)).toThrow(`${file}: table run_events lacks the columns event_metadata, created_at`);
  });

  it('reports a damaged file as a SOURCE error naming it', async () => {
    const file = foreign('current', { events: Array.from({ length: 300 }, (_, i) => raw({ seq: i + 1, content: 'x'.repeat(500) })) });
    const bytes = fs.readFileSync(file);
    bytes.fill(0x5a, 4096);
    fs.writeFileSync(file, bytes);
    // Page 1, the schema, is intact: the file opens, and the damage shows on the first read of the data.
    await withStore(file, async (s) => {
      await expect(s.listMessages('t1')).rejects.toMatchObject({ code: 'SOURCE', message: expect.stringContaining(`${file} is damaged`) });
    });
  });

  it('refuses a missing file unless asked to create it', () => {
    const file = path.join(dir, 'missing.db');
    expect(() => openSqliteStore(file, { create: false })).toThrow(`${file}: no such database`);
    expect(fs.existsSync(file)).toBe(false);
  });
});
