import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventInput } from '../../../src-shared/types.ts';
import { keepOverviewMarks } from '../../handlers/thread-summary.ts';
import type { OverviewMarks } from '../overview.ts';
import { openSqliteStore, type SqliteStore } from './sqlite-store.ts';

const failed = { type: 'tool', tool_call_id: 'c1', content: 'Traceback …', status: 'error' };
const ev = (thread_id: string, over: Partial<EventInput> = {}): EventInput => ({ thread_id, run_id: 'r1', event_type: 'llm.ai.response', category: 'message', content: 'hi', ...over });
/** Errors at seqs 2 and 5, a failed tool call at 3 (as an object) and 6 (as JSON text), in a thread of 7. */
const thread = (id: string): EventInput[] => [
  ev(id),
  ev(id, { event_type: 'llm.error', category: 'trace', content: 'rate limited' }),
  ev(id, { event_type: 'llm.tool.result', content: failed }),
  ev(id, { event_type: 'llm.tool.result', content: { ...failed, status: 'success' } }),
  ev(id, { event_type: 'run.error', category: 'error', content: 'boom' }),
  ev(id, { event_type: 'llm.tool.result', content: JSON.stringify(failed) }),
  ev(id),
];
const total = (counts: number[] | null) => (counts === null ? Number.NaN : counts.reduce((a, b) => a + b, 0));

describe("the whole-table marks pass (the job worker's, when a source opens)", () => {
  let dir: string;
  let file: string;
  let store: SqliteStore;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-marks-'));
    file = path.join(dir, 'events.db');
    store = openSqliteStore(file, { create: true });
    // Interleaved, as a server writing several threads at once leaves them.
    for (let i = 0; i < 7; i++) await store.putBatch([thread('a')[i], thread('b')[i]]);
    await store.put(ev('c'));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("finds every thread's range, count, errors and failed tool calls, a few rowids a page", async () => {
    const found = await store.scanOverviewMarks(undefined, 3);
    const expected: OverviewMarks = { first: 1, last: 7, count: 7, errors: [2, 5], toolErrors: [3, 6] };
    expect(Object.fromEntries(found)).toEqual({ a: expected, b: expected, c: { first: 1, last: 1, count: 1, errors: [], toolErrors: [] } });
  });

  it("answers 'kept' without its marks until they are found, by the pass or a count, and never reads the thread's rows for it", async () => {
    const reader = openSqliteStore(file, { create: false, readOnly: true });
    try {
      expect((await reader.threadOverview('a', 7, { marks: 'kept' })).buckets).toMatchObject({ events: [1, 1, 1, 1, 1, 1, 1], errors: null, tool_errors: null });
      reader.seedOverviewMarks(await store.scanOverviewMarks());
      expect((await reader.threadOverview('a', 7, { marks: 'kept' })).buckets).toMatchObject({ errors: [0, 1, 0, 0, 1, 0, 0], tool_errors: [0, 0, 1, 0, 0, 1, 0] });
      // A delete leaves the kept marks behind: 'kept' has none until the thread is counted again.
      await store.deleteByRun('b', 'r1');
      await store.putBatch(thread('b'));
      expect((await reader.threadOverview('b', 7, { marks: 'kept' })).buckets.errors).toBeNull();
      expect((await reader.threadOverview('b', 7)).buckets.errors).toEqual([0, 1, 0, 0, 1, 0, 0]);
      expect((await reader.threadOverview('b', 7, { marks: 'kept' })).buckets.errors).toEqual([0, 1, 0, 0, 1, 0, 0]);
    } finally {
      await reader.close();
    }
  });

  it('stops at the next page once cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(store.scanOverviewMarks(controller.signal, 3)).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('is what the strip draws while the thread is as it was found, and is brought up to date as the thread changes', async () => {
    const reader = openSqliteStore(file, { create: false, readOnly: true });
    try {
      reader.seedOverviewMarks(await store.scanOverviewMarks());
      // A change no count shows (a result rewritten in place) is not read again: the marks found are the ones used.
      const db = new Database(file);
      db.prepare("UPDATE run_events SET content = ?, event_metadata = '{}' WHERE thread_id = 'a' AND seq = 7").run(JSON.stringify(failed));
      db.prepare("UPDATE run_events SET event_type = 'llm.tool.result' WHERE thread_id = 'a' AND seq = 7").run();
      db.close();
      expect((await reader.threadOverview('a', 7)).buckets.tool_errors).toEqual([0, 0, 1, 0, 0, 1, 0]);
      // Events added after the pass are read on top of it.
      await store.put(ev('a', { event_type: 'run.error', category: 'error' }));
      expect((await reader.threadOverview('a', 8)).buckets.errors).toEqual([0, 1, 0, 0, 1, 0, 0, 1]);
      // A delete changes the thread's count: it is read again, whole.
      await store.deleteByRun('b', 'r1');
      await store.putBatch(thread('b'));
      const b = await reader.threadOverview('b', 7);
      expect([b.first_seq, total(b.buckets.errors), total(b.buckets.tool_errors)]).toEqual([8, 2, 2]);
      const a = await reader.threadOverview('a', 8);
      expect(total(a.buckets.tool_errors)).toBe(2);
    } finally {
      await reader.close();
    }
  });

  describe('kept in the sidecar between sessions (the read worker\'s store)', () => {
    /** A later session's read worker store: opened read-only, given the sidecar's marks before its pass runs. */
    const nextSession = () => {
      const reader = openSqliteStore(file, { create: false, readOnly: true });
      keepOverviewMarks(reader, path.join(dir, 'user-data'));
      return reader;
    };

    it("draws a later session's markers from the last pass at once, and a thread changed since is counted again", async () => {
      const first = nextSession();
      try {
        expect((await first.threadOverview('a', 7, { marks: 'kept' })).buckets.errors).toBeNull();
        first.seedOverviewMarks(await first.scanOverviewMarks());
      } finally {
        await first.close();
      }
      // Between the sessions another writer deletes b's run and writes it again: same seqs' range shifted, count the same.
      await store.deleteByRun('b', 'r1');
      await store.putBatch(thread('b').slice(0, 3));
      const later = nextSession();
      try {
        expect((await later.threadOverview('a', 7, { marks: 'kept' })).buckets).toMatchObject({ errors: [0, 1, 0, 0, 1, 0, 0], tool_errors: [0, 0, 1, 0, 0, 1, 0] });
        expect((await later.threadOverview('b', 3, { marks: 'kept' })).buckets.errors).toBeNull();
        expect((await later.threadOverview('b', 3)).buckets).toMatchObject({ errors: [0, 1, 0], tool_errors: [0, 0, 1] });
      } finally {
        await later.close();
      }
    });

    it("gives way to this session's pass, which it is replaced by, but not to what this session counted itself", async () => {
      const first = nextSession();
      first.seedOverviewMarks(new Map([['a', { first: 1, last: 7, count: 7, errors: [4], toolErrors: [] }], ['b', { first: 1, last: 7, count: 7, errors: [4], toolErrors: [] }]]));
      await first.close();
      const later = nextSession();
      try {
        // The kept marks pass the check (range and count as kept), so they are drawn as they were kept.
        expect((await later.threadOverview('a', 7, { marks: 'kept' })).buckets.errors).toEqual([0, 0, 0, 1, 0, 0, 0]);
        // b is counted whole once the kept marks no longer fit it (its run written again), and those counts are this session's.
        await store.deleteByRun('b', 'r1');
        await store.putBatch(thread('b'));
        expect((await later.threadOverview('b', 7)).buckets.errors).toEqual([0, 1, 0, 0, 1, 0, 0]);
        const pass = await later.scanOverviewMarks();
        pass.set('b', { first: 8, last: 14, count: 7, errors: [], toolErrors: [] });
        later.seedOverviewMarks(pass);
        expect((await later.threadOverview('a', 7, { marks: 'kept' })).buckets.errors).toEqual([0, 1, 0, 0, 1, 0, 0]);
        expect((await later.threadOverview('b', 7, { marks: 'kept' })).buckets.errors).toEqual([0, 1, 0, 0, 1, 0, 0]);
      } finally {
        await later.close();
      }
      // The pass's answer is what the next session takes.
      const third = nextSession();
      try {
        expect((await third.threadOverview('b', 7, { marks: 'kept' })).buckets.errors).toEqual([0, 0, 0, 0, 0, 0, 0]);
      } finally {
        await third.close();
      }
    });
  });
});
