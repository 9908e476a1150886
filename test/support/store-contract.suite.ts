// The store contract (DESIGN.md §2), written once and run against every
// backend. Each backend's test file calls describeStoreContract.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { instantMs } from '../../src-shared/time.ts';
import type { EventInput, InspectorStore, RunEvent } from '../../src-shared/types.ts';
import { runAnatomy } from '../../src-main/anatomy/run-anatomy.ts';
import type { RawRun } from './deerflow-databases.ts';
import { testEvent as ev } from './event-input.ts';

/** Where DeerFlow's own backends differ, ours differ the same way (DESIGN.md §2). */
export interface StoreQuirks {
  /** sqlite: `content_is_json` / `content_is_dict` stay in the returned metadata. */
  contentMarkers: boolean;
  /** sqlite: created_at comes back as the same instant in UTC with `+00:00`. */
  utcCreatedAt: boolean;
}

export interface OpenedStore {
  store: InspectorStore;
  quirks: StoreQuirks;
  cleanup?: () => Promise<void>;
  /** Where the source has DeerFlow's `runs` table: writes a run's row there, as DeerFlow does beside the store (on a server, asynchronously). */
  recordRun?: (run: RawRun) => void | Promise<void>;
}

const PYTHON_NOW = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/;
const MARKERS = new Set(['content_is_json', 'content_is_dict']);

/** A thread of `count` events alternating message / trace, in runs of 10. */
async function seedThread(store: InspectorStore, threadId: string, count: number): Promise<RunEvent[]> {
  const inputs = Array.from({ length: count }, (_, i) =>
    ev({
      thread_id: threadId,
      run_id: `run${Math.floor(i / 10)}`,
      category: i % 2 === 0 ? 'message' : 'trace',
      event_type: i % 2 === 0 ? 'llm.ai.response' : 'llm.start',
      content: `event ${i}`,
    }),
  );
  return store.putBatch(inputs);
}

const seqs = (events: RunEvent[]) => events.map((e) => e.seq);

/** What a backend has that not every backend has. */
export interface StoreFeatures {
  /** DeerFlow's `runs` table (OpenedStore.recordRun writes its rows). */
  runsTable?: boolean;
}

export function describeStoreContract(name: string, open: () => Promise<OpenedStore>, features: StoreFeatures = {}): void {
  describe(`store contract: ${name}`, () => {
    let store: InspectorStore;
    let quirks: StoreQuirks;
    let cleanup: (() => Promise<void>) | undefined;
    let recordRun: OpenedStore['recordRun'];

    beforeEach(async () => {
      ({ store, quirks, cleanup, recordRun } = await open());
    });
    afterEach(async () => {
      await store.close();
      await cleanup?.();
    });

    /** The metadata a caller put, as this backend legitimately returns it. */
    const userMetadata = (event: RunEvent) =>
      quirks.contentMarkers ? Object.fromEntries(Object.entries(event.metadata).filter(([k]) => !MARKERS.has(k))) : event.metadata;

    /** Everything the whole store holds, for "nothing changed" checks. */
    async function snapshot(): Promise<unknown> {
      const threads = (await store.listThreads()).filter((t) => t.event_count > 0);
      const out: Record<string, RunEvent[]> = {};
      for (const t of threads) {
        for (const run of await store.listRuns(t.thread_id)) {
          out[`${t.thread_id}/${run.run_id}`] = await store.listEvents(t.thread_id, run.run_id, { limit: 100_000 });
        }
      }
      return out;
    }

    describe('1. put is visible to later queries', () => {
      it('returns a put message from listMessages, listEvents, listMessagesByRun and countMessages', async () => {
        const put = await store.put(ev({ content: 'first' }));
        expect(await store.listMessages('t1')).toEqual([put]);
        expect(await store.listEvents('t1', 'r1')).toEqual([put]);
        expect(await store.listMessagesByRun('t1', 'r1')).toEqual([put]);
        expect(await store.countMessages('t1')).toBe(1);
        expect(await store.getEvent('t1', put.seq)).toEqual(put);
      });

      it('returns nothing for unknown threads and runs', async () => {
        await store.put(ev());
        expect(await store.listMessages('nope')).toEqual([]);
        expect(await store.listEvents('t1', 'nope')).toEqual([]);
        expect(await store.countMessages('nope')).toBe(0);
        expect(await store.getEvent('t1', 99)).toBeNull();
      });
    });

    describe('2. seq', () => {
      it('starts at 1 and increases strictly within a thread, across runs and categories', async () => {
        const a = await store.put(ev({ run_id: 'r1' }));
        const b = await store.put(ev({ run_id: 'r2', category: 'trace', event_type: 'run.start' }));
        const c = await store.put(ev({ run_id: 'r1' }));
        expect(seqs([a, b, c])).toEqual([1, 2, 3]);
      });

      it('is independent per thread', async () => {
        await store.put(ev({ thread_id: 'a' }));
        await store.put(ev({ thread_id: 'a' }));
        const first = await store.put(ev({ thread_id: 'b' }));
        expect(first.seq).toBe(1);
      });
    });

    describe('3. message projections see only category "message"', () => {
      it('filters listMessages, listMessagesByRun and countMessages', async () => {
        const all = await seedThread(store, 't1', 20);
        const messages = all.filter((e) => e.category === 'message');
        expect(await store.listMessages('t1', { limit: 100 })).toEqual(messages);
        expect(await store.listMessagesByRun('t1', 'run1')).toEqual(messages.filter((e) => e.run_id === 'run1'));
        expect(await store.countMessages('t1')).toBe(10);
      });
    });

    describe('4. ascending seq and cursor paging', () => {
      let messages: RunEvent[];
      beforeEach(async () => {
        messages = (await seedThread(store, 't1', 60)).filter((e) => e.category === 'message'); // seqs 1,3,…,59
      });

      it('with no cursor returns the latest `limit`, ascending', async () => {
        expect(seqs(await store.listMessages('t1', { limit: 5 }))).toEqual([51, 53, 55, 57, 59]);
      });

      it('defaults the limit to 50', async () => {
        await seedThread(store, 'big', 150);
        const page = await store.listMessages('big');
        expect(page).toHaveLength(50);
        expect(page[49].seq).toBe(149);
      });

      it('afterSeq returns the first `limit` after the cursor; 0 means from the start', async () => {
        expect(seqs(await store.listMessages('t1', { afterSeq: 10, limit: 3 }))).toEqual([11, 13, 15]);
        expect(seqs(await store.listMessages('t1', { afterSeq: 0, limit: 2 }))).toEqual([1, 3]);
      });

      it('beforeSeq returns the last `limit` before the cursor', async () => {
        expect(seqs(await store.listMessages('t1', { beforeSeq: 10, limit: 3 }))).toEqual([5, 7, 9]);
        expect(await store.listMessages('t1', { beforeSeq: 1 })).toEqual([]);
      });

      it('both cursors give the first `limit` of the window between them', async () => {
        expect(seqs(await store.listMessages('t1', { afterSeq: 10, beforeSeq: 30, limit: 4 }))).toEqual([11, 13, 15, 17]);
        expect(seqs(await store.listMessages('t1', { afterSeq: 10, beforeSeq: 16, limit: 50 }))).toEqual([11, 13, 15]);
        expect(await store.listMessages('t1', { afterSeq: 30, beforeSeq: 10 })).toEqual([]);
      });

      it('pages through a whole thread both ways without gaps or repeats', async () => {
        const forward: RunEvent[] = [];
        for (let after = 0; ; ) {
          const page = await store.listMessages('t1', { afterSeq: after, limit: 7 });
          if (page.length === 0) break;
          forward.push(...page);
          after = page[page.length - 1].seq;
        }
        expect(forward).toEqual(messages);
        const backward: RunEvent[] = [];
        for (let before: number | undefined; ; ) {
          const page = await store.listMessages('t1', { beforeSeq: before, limit: 7 });
          if (page.length === 0) break;
          backward.unshift(...page);
          before = page[0].seq;
          if (before === 1) break;
        }
        expect(backward).toEqual(messages);
      });

      it('listMessagesByRun returns all of the run with no limit and pages with cursors', async () => {
        const run2 = messages.filter((e) => e.run_id === 'run2');
        expect(await store.listMessagesByRun('t1', 'run2')).toEqual(run2);
        expect(await store.listMessagesByRun('t1', 'run2', { limit: 2 })).toEqual(run2.slice(-2));
        expect(await store.listMessagesByRun('t1', 'run2', { afterSeq: run2[0].seq, limit: 2 })).toEqual(run2.slice(1, 3));
        expect(await store.listMessagesByRun('t1', 'run2', { beforeSeq: run2[2].seq })).toEqual(run2.slice(0, 2));
      });

      it('rejects negative cursors and non-positive limits', async () => {
        await expect(store.listMessages('t1', { afterSeq: -1 })).rejects.toThrow(/afterSeq/);
        await expect(store.listMessages('t1', { beforeSeq: -5 })).rejects.toThrow(/beforeSeq/);
        await expect(store.listMessages('t1', { limit: 0 })).rejects.toThrow(/limit/);
        await expect(store.listEvents('t1', 'run0', { afterSeq: -1 })).rejects.toThrow(/afterSeq/);
        await expect(store.listMessagesByRun('t1', 'run0', { limit: 1.5 })).rejects.toThrow(/limit/);
      });
    });

    describe('5. listEvents', () => {
      it('returns every category of the run, in seq order, first `limit`', async () => {
        const all = await seedThread(store, 't1', 30);
        const run1 = all.filter((e) => e.run_id === 'run1');
        expect(await store.listEvents('t1', 'run1')).toEqual(run1);
        expect(await store.listEvents('t1', 'run1', { limit: 3 })).toEqual(run1.slice(0, 3));
      });

      it('filters by event types and pages by afterSeq', async () => {
        const all = await seedThread(store, 't1', 30);
        const traces = all.filter((e) => e.run_id === 'run1' && e.event_type === 'llm.start');
        expect(await store.listEvents('t1', 'run1', { eventTypes: ['llm.start'] })).toEqual(traces);
        expect(await store.listEvents('t1', 'run1', { eventTypes: ['llm.start'], afterSeq: traces[1].seq, limit: 2 })).toEqual(
          traces.slice(2, 4),
        );
        expect(await store.listEvents('t1', 'run1', { eventTypes: ['nothing.like.this'] })).toEqual([]);
      });

      it('filters by metadata.task_id, combined with afterSeq paging', async () => {
        const inputs = Array.from({ length: 12 }, (_, i) =>
          ev({
            category: 'subagent',
            event_type: 'subagent.step',
            metadata: { task_id: i % 3 === 0 ? 'task-a' : 'task-b', step: i },
            content: { step: i },
          }),
        );
        const put = await store.putBatch(inputs);
        const taskA = put.filter((e) => e.metadata.task_id === 'task-a');
        expect(taskA).toHaveLength(4);
        expect(await store.listEvents('t1', 'r1', { taskId: 'task-a' })).toEqual(taskA);
        const page1 = await store.listEvents('t1', 'r1', { taskId: 'task-a', limit: 3 });
        const page2 = await store.listEvents('t1', 'r1', { taskId: 'task-a', limit: 3, afterSeq: page1[2].seq });
        expect([...page1, ...page2]).toEqual(taskA);
        expect(await store.listEvents('t1', 'r1', { taskId: 'task-a', eventTypes: ['subagent.end'] })).toEqual([]);
      });
    });

    describe('6. putBatch', () => {
      it('assigns consecutive seqs in input order', async () => {
        const first = await store.put(ev());
        const batch = await store.putBatch([ev({ content: 'a' }), ev({ thread_id: 't2', content: 'x' }), ev({ content: 'b' })]);
        expect(batch.map((e) => [e.thread_id, e.seq, e.content])).toEqual([
          ['t1', 2, 'a'],
          ['t2', 1, 'x'],
          ['t1', 3, 'b'],
        ]);
        expect(await store.listMessages('t1')).toEqual([first, batch[0], batch[2]]);
      });

      it('is all-or-nothing: one bad event writes none', async () => {
        await store.put(ev());
        const before = await snapshot();
        await expect(store.putBatch([ev({ content: 'ok' }), ev({ category: 'x'.repeat(17) })])).rejects.toThrow(/category/);
        expect(await snapshot()).toEqual(before);
        expect((await store.put(ev())).seq).toBe(2);
      });

      it('accepts an empty batch', async () => {
        expect(await store.putBatch([])).toEqual([]);
      });
    });

    describe('7. putIfAbsent', () => {
      it('writes only when the run has no event of that type yet', async () => {
        const first = await store.putIfAbsent(ev({ event_type: 'run.start', category: 'trace', content: { chain: 'a' } }));
        expect(first.created).toBe(true);
        const second = await store.putIfAbsent(ev({ event_type: 'run.start', category: 'trace', content: { chain: 'b' } }));
        expect(second).toEqual({ event: first.event, created: false });
        const otherRun = await store.putIfAbsent(ev({ run_id: 'r2', event_type: 'run.start', category: 'trace' }));
        expect(otherRun.created).toBe(true);
        expect(await store.listEvents('t1', 'r1')).toEqual([first.event]);
      });

      it('creates exactly one event under concurrent callers', async () => {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.putIfAbsent(ev({ event_type: 'run.end', category: 'outputs', content: `caller ${i}` }))),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        const winner = results.find((r) => r.created)!.event;
        for (const r of results) expect(r.event).toEqual(winner);
        expect(await store.listEvents('t1', 'r1')).toEqual([winner]);
      });
    });

    describe('8. deletes', () => {
      it('deleteByRun removes the run, returns the count, and seqs keep increasing', async () => {
        await seedThread(store, 't1', 30);
        expect(await store.deleteByRun('t1', 'run2')).toBe(10);
        expect(await store.listEvents('t1', 'run2')).toEqual([]);
        expect((await store.listEvents('t1', 'run1')).length).toBe(10);
        expect((await store.put(ev())).seq).toBeGreaterThan(20);
        expect(await store.deleteByRun('t1', 'run2')).toBe(0);
      });

      it('deleteByThread removes the thread, returns the count, and the thread starts again at 1', async () => {
        await seedThread(store, 't1', 25);
        await seedThread(store, 'keep', 5);
        expect(await store.deleteByThread('t1')).toBe(25);
        expect(await store.countMessages('t1')).toBe(0);
        expect((await store.listThreads()).map((t) => t.thread_id)).not.toContain('t1');
        expect((await store.put(ev())).seq).toBe(1);
        expect(await store.countMessages('keep')).toBe(3);
        expect(await store.deleteByThread('never')).toBe(0);
      });
    });

    describe('9. content round-trips exactly', () => {
      const contents: [string, EventInput['content']][] = [
        ['a plain string', 'hello'],
        ['an empty string', ''],
        ['a string that looks like a JSON object', '{"type":"ai","content":"x"}'],
        ['a string that looks like a JSON array', '[1,2,3]'],
        ['a string that looks like a number', '42'],
        ['CJK, emoji and line separators', '你好，世界 🚀 line\u2028sep\u2029para\r\nend'],
        ['an object', { type: 'ai', content: [{ type: 'text', text: 'hi' }], tool_calls: [{ id: 'c1', name: 'search', args: { q: 'x' } }] }],
        ['an empty object', {}],
        ['an array', [{ type: 'text', text: 'a' }, 1, null, true]],
        ['null', null],
        ['a number', 3.5],
      ];
      for (const [label, content] of contents) {
        it(`keeps ${label}`, async () => {
          const put = await store.put(ev({ content, category: 'message' }));
          expect(put.content).toEqual(content);
          expect(typeof put.content).toBe(typeof content);
          const [read] = await store.listMessages('t1');
          expect(read.content).toEqual(content);
        });
      }

      it("keeps a string a string even when the caller's metadata carries content markers", async () => {
        const put = await store.put(ev({ content: '[1]', metadata: { content_is_json: true, content_is_dict: true } }));
        expect(put.content).toBe('[1]');
        expect((await store.listMessages('t1'))[0].content).toBe('[1]');
      });

      it('defaults content to "" and metadata to {}', async () => {
        const put = await store.put({ thread_id: 't1', run_id: 'r1', event_type: 'run.start', category: 'trace' });
        expect(put.content).toBe('');
        expect(userMetadata(put)).toEqual({});
      });

      it('keeps metadata, including nested values and unknown keys', async () => {
        const metadata = { caller: 'lead_agent', latency_ms: 12.5, usage: { input_tokens: 3 }, custom_key: [1, 'two'] };
        const put = await store.put(ev({ metadata }));
        expect(userMetadata(put)).toEqual(metadata);
        expect(userMetadata((await store.listMessages('t1'))[0])).toEqual(metadata);
      });
    });

    describe('10. created_at', () => {
      it('is kept when given', async () => {
        const given = '2026-04-04T08:49:25.123456+08:00';
        const put = await store.put(ev({ created_at: given }));
        if (quirks.utcCreatedAt) {
          expect(put.created_at).toBe('2026-04-04T00:49:25.123456+00:00');
        } else {
          expect(put.created_at).toBe(given);
        }
        expect(instantMs(put.created_at)).toBe(instantMs(given));
        expect((await store.listMessages('t1'))[0].created_at).toBe(put.created_at);
      });

      it("is set to now in Python's isoformat form when absent", async () => {
        const before = Date.now();
        const put = await store.put(ev());
        expect(put.created_at).toMatch(PYTHON_NOW);
        expect(instantMs(put.created_at)).toBeGreaterThanOrEqual(before - 1);
        expect(instantMs(put.created_at)).toBeLessThanOrEqual(Date.now() + 1);
      });
    });

    describe('11. bad arguments are rejected and change nothing', () => {
      const bad: [string, unknown, RegExp][] = [
        ['an empty thread_id', ev({ thread_id: '' }), /thread_id/],
        ['a thread_id over 64 chars', ev({ thread_id: 't'.repeat(65) }), /thread_id/],
        ['an empty run_id', ev({ run_id: '' }), /run_id/],
        ['a run_id over 64 chars', ev({ run_id: 'r'.repeat(65) }), /run_id/],
        ['an event_type over 32 chars', ev({ event_type: 'e'.repeat(33) }), /event_type/],
        ['an empty event_type', ev({ event_type: '' }), /event_type/],
        ['a category over 16 chars', ev({ category: 'c'.repeat(17) }), /category/],
        ['array metadata', { ...ev(), metadata: [1, 2] }, /metadata/],
        ['string metadata', { ...ev(), metadata: 'x' }, /metadata/],
        ['a created_at without a time zone', ev({ created_at: '2026-04-04T00:49:25' }), /created_at/],
        ['a created_at on a day the month lacks', ev({ created_at: '2026-02-29T02:49:25+00:00' }), /created_at/],
        ['a created_at at hour 25', ev({ created_at: '2026-04-04T25:49:25+00:00' }), /created_at/],
        ['a created_at with an offset of 24 hours', ev({ created_at: '2026-04-04T01:49:25+24:00' }), /created_at/],
        ['a missing thread_id', { run_id: 'r1', event_type: 'x', category: 'message' }, /thread_id/],
      ];
      for (const [label, input, field] of bad) {
        it(`rejects ${label}`, async () => {
          await store.put(ev());
          const before = await snapshot();
          await expect(store.put(input as EventInput)).rejects.toThrow(field);
          await expect(store.putIfAbsent(input as EventInput)).rejects.toThrow(field);
          await expect(store.putBatch([ev(), input as EventInput])).rejects.toThrow(field);
          expect(await snapshot()).toEqual(before);
        });
      }

      it('rejects bad ids in queries and deletes', async () => {
        await store.put(ev());
        await expect(store.listMessages('')).rejects.toThrow(/threadId/);
        await expect(store.listEvents('t1', 'x'.repeat(65))).rejects.toThrow(/runId/);
        await expect(store.deleteByThread('')).rejects.toThrow(/threadId/);
        await expect(store.deleteByRun('t1', '')).rejects.toThrow(/runId/);
        expect(await store.countMessages('t1')).toBe(1);
      });
    });

    describe('12. what a write returns is what a read returns', () => {
      it('matches key for key across put, putBatch, putIfAbsent and every query', async () => {
        const put = await store.put(ev({ content: { type: 'human', content: 'q' }, metadata: { caller: 'lead_agent' } }));
        const batch = await store.putBatch([
          ev({ category: 'trace', event_type: 'llm.start', content: 'x'.repeat(100) }),
          ev({ content: '{"looks":"like json"}' }),
        ]);
        const { event: once } = await store.putIfAbsent(ev({ event_type: 'run.end', category: 'outputs', content: [1, 2] }));
        const written = [put, ...batch, once];
        const read = await store.listEvents('t1', 'r1');
        expect(read).toEqual(written);
        for (let i = 0; i < read.length; i++) expect(Object.keys(read[i]).sort()).toEqual(Object.keys(written[i]).sort());
        expect(await store.listMessages('t1')).toEqual([put, batch[1]]);
        expect(await store.getEvent('t1', once.seq)).toEqual(once);
      });
    });

    describe('read model', () => {
      it('lists threads with counts and time span', async () => {
        await store.put(ev({ thread_id: 'ta', created_at: '2026-01-01T00:00:00.000001+00:00' }));
        await store.put(ev({ thread_id: 'ta', run_id: 'r2', category: 'trace', event_type: 'run.start', created_at: '2026-01-02T00:00:00.5+00:00' }));
        await store.put(ev({ thread_id: 'tb', created_at: '2026-01-03T00:00:00+00:00' }));
        const threads = (await store.listThreads()).filter((t) => t.event_count > 0).sort((a, b) => a.thread_id.localeCompare(b.thread_id));
        expect(threads.map(({ thread_id, message_count, event_count, run_count }) => ({ thread_id, message_count, event_count, run_count }))).toEqual([
          { thread_id: 'ta', message_count: 1, event_count: 2, run_count: 2 },
          { thread_id: 'tb', message_count: 1, event_count: 1, run_count: 1 },
        ]);
        expect(instantMs(threads[0].first_created_at!)).toBe(instantMs('2026-01-01T00:00:00.000001+00:00'));
        expect(instantMs(threads[0].last_created_at!)).toBe(instantMs('2026-01-02T00:00:00.5+00:00'));
      });

      it('lists runs in order with counts and status from lifecycle events', async () => {
        await store.putBatch([
          ev({ run_id: 'first', category: 'trace', event_type: 'run.start' }),
          ev({ run_id: 'first' }),
          ev({ run_id: 'first', category: 'outputs', event_type: 'run.end', metadata: { status: 'success' } }),
          ev({ run_id: 'second', category: 'trace', event_type: 'run.start' }),
          ev({ run_id: 'second', category: 'error', event_type: 'run.error', content: 'boom', metadata: { error_type: 'ValueError' } }),
        ]);
        const runs = await store.listRuns('t1');
        expect(runs.map((r) => [r.run_id, r.message_count, r.event_count])).toEqual([
          ['first', 1, 3],
          ['second', 0, 2],
        ]);
        expect(runs[0].status).toBe('success');
        expect(runs[1].status).toBe('error');
        expect(runs[1].error).toContain('boom');
      });

      it('spans runs and threads by their earliest and latest created_at, compared as instants, not by seq', async () => {
        // DeerFlow flushes a subagent's buffered events before run.start: first by seq, not in time.
        const asStored = (given: string, utc: string) => (quirks.utcCreatedAt ? utc : given);
        await store.putBatch([
          ev({ run_id: 'r1', category: 'subagent', event_type: 'subagent.step', created_at: '2026-01-01T01:08:19+00:00' }),
          // Earlier than the first, though its text sorts after it.
          ev({ run_id: 'r1', category: 'trace', event_type: 'run.start', created_at: '2026-01-01T02:08:01+01:00' }),
          ev({ run_id: 'r1', created_at: '2026-01-01T01:08:40.5Z' }),
          ev({ run_id: 'r1', category: 'outputs', event_type: 'run.end', created_at: '2026-01-01T01:08:39+00:00' }),
          ev({ run_id: 'r2', created_at: '2026-01-01T00:30:00-01:00' }),
        ]);
        const [r1, r2] = await store.listRuns('t1');
        expect([r1.first_created_at, r1.last_created_at]).toEqual([
          asStored('2026-01-01T02:08:01+01:00', '2026-01-01T01:08:01+00:00'),
          asStored('2026-01-01T01:08:40.5Z', '2026-01-01T01:08:40.500000+00:00'),
        ]);
        expect(r2.first_created_at).toBe(asStored('2026-01-01T00:30:00-01:00', '2026-01-01T01:30:00+00:00'));
        const [thread] = await store.listThreads();
        expect([thread.first_created_at, thread.last_created_at]).toEqual([r1.first_created_at, r2.last_created_at]);
      });

      it("gives each run its lowest and highest seq, runs ordered by their first", async () => {
        await store.putBatch([ev({ run_id: 'a' }), ev({ run_id: 'b' }), ev({ run_id: 'a' }), ev({ run_id: 'b' }), ev({ run_id: 'b' })]);
        expect((await store.listRuns('t1')).map((r) => [r.run_id, r.first_seq, r.last_seq])).toEqual([
          ['a', 1, 3],
          ['b', 2, 5],
        ]);
      });

      it('derives status and error from legacy lifecycle names too, null when a run has neither end nor error', async () => {
        await store.putBatch([
          ev({ run_id: 'ended', category: 'lifecycle', event_type: 'run_start' }),
          ev({ run_id: 'ended', category: 'lifecycle', event_type: 'run_end' }),
          ev({ run_id: 'failed', category: 'lifecycle', event_type: 'run_error', content: { message: 'Error code: 429', code: 429 } }),
          ev({ run_id: 'running', category: 'trace', event_type: 'run.start' }),
          ev({ run_id: 'running' }),
        ]);
        const runs = await store.listRuns('t1');
        expect(runs.map(({ run_id, status, error, stop_reason }) => ({ run_id, status, error, stop_reason }))).toEqual([
          { run_id: 'ended', status: 'success', error: null, stop_reason: null },
          { run_id: 'failed', status: 'error', error: JSON.stringify({ message: 'Error code: 429', code: 429 }), stop_reason: null },
          { run_id: 'running', status: null, error: null, stop_reason: null },
        ]);
      });

      it("sums the tokens of a run's AI messages and takes the model of the last one naming it; null when none records any", async () => {
        await store.putBatch([
          ev({ run_id: 'used', content: { type: 'ai', content: 'a', usage_metadata: { input_tokens: 3, output_tokens: 4, total_tokens: 7 }, response_metadata: { model_name: 'gpt-4o' } }, metadata: { usage: { total_tokens: 7 } } }),
          ev({ run_id: 'used', event_type: 'ai_message', content: { type: 'ai', content: 'b', usage_metadata: { input_tokens: 1, output_tokens: 2 } } }),
          ev({ run_id: 'used', content: { role: 'assistant', content: 'c', response_metadata: { token_usage: { total_tokens: 10 }, model_name: 'gpt-4.1' } } }),
          ev({ run_id: 'used', content: 'plain text', metadata: { usage: { input_tokens: 5, output_tokens: 5, total_tokens: 10 }, model_name: 'deepseek-v3' } }),
          ev({ run_id: 'used', content: { type: 'ai', content: 'no usage' } }),
          // Not an AI message: its usage is not the run's.
          ev({ run_id: 'used', event_type: 'llm.human.input', metadata: { usage: { total_tokens: 1000 } } }),
          ev({ run_id: 'silent', content: 'hello' }),
        ]);
        const runs = await store.listRuns('t1');
        expect(runs.map(({ run_id, model_name, total_tokens }) => ({ run_id, model_name, total_tokens }))).toEqual([
          { run_id: 'used', model_name: 'deepseek-v3', total_tokens: 30 },
          { run_id: 'silent', model_name: null, total_tokens: null },
        ]);
      });

      it("gives a thread the status of its run that ended last (by time), and null without runs or an outcome", async () => {
        await store.putBatch([
          ev({ thread_id: 'ta', run_id: 'late', category: 'error', event_type: 'run.error', content: 'boom', created_at: '2026-01-01T00:00:09+00:00' }),
          ev({ thread_id: 'ta', run_id: 'early', category: 'outputs', event_type: 'run.end', created_at: '2026-01-01T00:00:05+00:00' }),
          ev({ thread_id: 'tb', run_id: 'open', category: 'trace', event_type: 'run.start' }),
        ]);
        const byId = new Map((await store.listThreads()).map((t) => [t.thread_id, t.last_run_status]));
        expect(byId.get('ta')).toBe('error');
        expect(byId.get('tb')).toBeNull();
        await store.put(ev({ thread_id: 'ta', run_id: 'later', category: 'outputs', event_type: 'run.end', created_at: '2026-01-01T00:00:10+00:00' }));
        expect((await store.listThreads()).find((t) => t.thread_id === 'ta')?.last_run_status).toBe('success');
      });

      it("counts each run's LLM calls, the tool-call entries in them and its failed tool results, as runSummary does", async () => {
        const failed = { type: 'tool', name: 'bash', tool_call_id: 'c1', content: 'Traceback …', status: 'error' };
        const calls = [{ id: 'c1', name: 'bash', args: {} }, { id: 'c2', name: 'ls', args: {} }];
        await store.putBatch([
          ev({ run_id: 'a', content: { type: 'ai', content: '', tool_calls: calls } }),
          // OpenAI-style entries, in a message stored as JSON text; an entry that is not an object is no call.
          ev({ run_id: 'a', content: JSON.stringify({ role: 'assistant', tool_calls: [{ id: 'c3', type: 'function', function: { name: 'web_search', arguments: '{}' } }, 'c4'] }) }),
          ev({ run_id: 'a', event_type: 'ai_message', content: { type: 'ai', content: 'legacy', tool_calls: [{ id: 'c5', name: 'task', args: {} }] } }),
          ev({ run_id: 'a', content: { type: 'ai', content: 'no calls', tool_calls: null } }),
          ev({ run_id: 'a', content: 'tool_calls: [{"id": "c9"}] in plain text' }),
          ev({ run_id: 'a', event_type: 'llm.tool.result', content: failed }),
          ev({ run_id: 'a', event_type: 'llm.tool.result', content: JSON.stringify({ ...failed, tool_call_id: 'c2' }) }),
          ev({ run_id: 'a', event_type: 'llm.tool.result', content: { ...failed, tool_call_id: 'c3', status: 'success' } }),
          ev({ run_id: 'a', event_type: 'llm.tool.result', content: { role: 'tool', tool_call_id: 'c5', content: 'error: none' } }),
          // Not a message dump: a text that merely starts with a space before the JSON.
          ev({ run_id: 'a', event_type: 'llm.tool.result', content: ` ${JSON.stringify(failed)}` }),
          // Not a tool result, whatever its status.
          ev({ run_id: 'a', category: 'subagent', event_type: 'subagent.end', content: { task_id: 'k1', status: 'error' } }),
          ev({ run_id: 'b', category: 'trace', event_type: 'run.start' }),
        ]);
        const figures = async () =>
          (await store.listRuns('t1')).map(({ run_id, llm_calls, tool_calls, tool_errors }) => ({ run_id, llm_calls, tool_calls, tool_errors }));
        expect(await figures()).toEqual([
          { run_id: 'a', llm_calls: 5, tool_calls: 4, tool_errors: 2 },
          { run_id: 'b', llm_calls: 0, tool_calls: 0, tool_errors: 0 },
        ]);
        for (const run of await store.listRuns('t1')) {
          const anatomy = await runAnatomy(store, 't1', run.run_id);
          expect([anatomy.llm_calls, anatomy.tool_calls, anatomy.tool_errors]).toEqual([run.llm_calls, run.tool_calls, run.tool_errors]);
        }
        // The figures follow the run as it grows.
        await store.put(ev({ run_id: 'b', content: { type: 'ai', content: '', tool_calls: [calls[0]] } }));
        await store.put(ev({ run_id: 'b', event_type: 'llm.tool.result', content: failed }));
        expect((await figures())[1]).toEqual({ run_id: 'b', llm_calls: 1, tool_calls: 1, tool_errors: 1 });
      });

      it('has no runs row for a run DeerFlow never recorded one for: recordedRun is null', async () => {
        await store.put(ev({ run_id: 'r1' }));
        expect(await store.recordedRun('t1', 'r1')).toBeNull();
        expect(await store.recordedRun('t1', 'no-such-run')).toBeNull();
      });

      it.runIf(features.runsTable === true)("reads a run's runs row where the source has DeerFlow's runs table", async () => {
        expect(recordRun).toBeDefined();
        await store.put(ev({ run_id: 'r1' }));
        await recordRun?.({ run_id: 'r1', thread_id: 't1', status: 'error', model_name: 'gpt-4.1', error: 'boom', total_input_tokens: 10, total_output_tokens: 5, total_tokens: 15 });
        // Another thread's run of the same id is not this one's.
        expect(await store.recordedRun('t2', 'r1')).toBeNull();
        expect(await store.recordedRun('t1', 'r1')).toEqual({
          status: 'error',
          stop_reason: null,
          error: 'boom',
          model_name: 'gpt-4.1',
          tokens: { input: 10, output: 5, total: 15, lead_agent: 0, subagent: 0, middleware: 0 },
        });
        expect(await runAnatomy(store, 't1', 'r1')).toMatchObject({ status: 'error', stop: { reason: 'error', detail: 'boom' }, tokens_recorded: { total: 15 } });
      });

      it('counts events by category, event type and task id, per thread or run', async () => {
        await store.putBatch([
          ev({ run_id: 'a' }),
          ev({ run_id: 'a', category: 'subagent', event_type: 'subagent.start', metadata: { task_id: 'k1' } }),
          ev({ run_id: 'a', category: 'subagent', event_type: 'subagent.end', metadata: { task_id: 'k1' } }),
          ev({ run_id: 'b' }),
        ]);
        expect(await store.eventCounts('t1', 'a')).toEqual({
          by_category: { message: 1, subagent: 2 },
          by_event_type: { 'llm.ai.response': 1, 'subagent.start': 1, 'subagent.end': 1 },
          by_task_id: { k1: 2 },
        });
        expect((await store.eventCounts('t1')).by_category).toEqual({ message: 2, subagent: 2 });
      });
    });

    describe('thread overview', () => {
      const failedTool = { type: 'tool', name: 'bash', tool_call_id: 'c1', content: 'Traceback …', status: 'error' };
      /** A thread with every kind the strip counts, across runs and categories. */
      const mixedThread: EventInput[] = [
        ev({ run_id: 'a', category: 'trace', event_type: 'run.start' }),
        ev({ run_id: 'a' }),
        ev({ run_id: 'a', event_type: 'llm.tool.result', content: failedTool }),
        ev({ run_id: 'a', event_type: 'llm.tool.result', content: { ...failedTool, status: 'success' } }),
        ev({ run_id: 'a', category: 'trace', event_type: 'llm.error', content: 'rate limited' }),
        ev({ run_id: 'a', category: 'error', event_type: 'run.error', content: 'boom' }),
        ev({ run_id: 'b', category: 'trace', event_type: 'tool_error', content: 'no such tool' }),
        // JSON text of a failed result, as databases without content markers hold it.
        ev({ run_id: 'b', event_type: 'llm.tool.result', content: JSON.stringify(failedTool) }),
        ev({ run_id: 'b', event_type: 'llm.tool.result', content: 'status: error, but not a message dump' }),
        ev({ run_id: 'b', category: 'error', event_type: 'run_error', content: 'legacy' }),
        ev({ run_id: 'b', category: 'error', event_type: 'custom.failure' }),
        ev({ run_id: 'c', category: 'outputs', event_type: 'run.end' }),
        ev({ run_id: 'c' }),
      ];

      /** A bucket row's sum; null (not asked for) sums to NaN, so it never passes for a count. */
      const total = (counts: number[] | null) => (counts === null ? Number.NaN : counts.reduce((a, b) => a + b, 0));

      /** The overview's counts, counted here one event at a time. */
      async function countedDirectly(threadId: string, width: number) {
        const events: RunEvent[] = [];
        for (const run of await store.listRuns(threadId)) events.push(...(await store.listEvents(threadId, run.run_id, { limit: 100_000 })));
        const first = Math.min(...events.map((e) => e.seq));
        const last = Math.max(...events.map((e) => e.seq));
        const length = Math.ceil((last - first + 1) / width);
        const counts = { events: Array(length).fill(0), messages: Array(length).fill(0), errors: Array(length).fill(0), tool_errors: Array(length).fill(0) };
        for (const e of events) {
          const i = Math.floor((e.seq - first) / width);
          counts.events[i]++;
          if (e.category === 'message') counts.messages[i]++;
          if (e.category === 'error' || ['run.error', 'run_error', 'llm.error', 'tool_error'].includes(e.event_type)) counts.errors[i]++;
          const message = typeof e.content === 'string' && e.content.startsWith('{') ? JSON.parse(e.content) : e.content;
          if (e.event_type === 'llm.tool.result' && message?.status === 'error') counts.tool_errors[i]++;
        }
        return { first_seq: first, last_seq: last, bucket_seqs: width, buckets: counts };
      }

      it('counts each bucket as a direct count of the events does, ignoring other threads', async () => {
        await store.putBatch(mixedThread);
        await store.putBatch([ev({ thread_id: 'other', category: 'error', event_type: 'run.error' })]);
        const overview = await store.threadOverview('t1', 4);
        // 13 seqs in at most 4 buckets: 4 of 4 seqs, the last holding only seq 13.
        expect(overview).toEqual(await countedDirectly('t1', 4));
        expect(overview.buckets.events).toEqual([4, 4, 4, 1]);
        expect(total(overview.buckets.errors)).toBe(5);
        expect(overview.buckets.tool_errors).toEqual([1, 1, 0, 0]);
      });

      it('starts at the first seq the thread still has, and follows new events', async () => {
        await store.putBatch(mixedThread);
        expect((await store.threadOverview('t1', 3)).buckets.tool_errors).toEqual([1, 1, 0]);
        await store.deleteByRun('t1', 'a');
        await store.put(ev({ run_id: 'd', event_type: 'llm.tool.result', content: failedTool }));
        const overview = await store.threadOverview('t1', 3);
        expect([overview.first_seq, overview.last_seq, overview.bucket_seqs]).toEqual([7, 14, 3]);
        expect(overview).toEqual(await countedDirectly('t1', 3));
        expect(overview.buckets.tool_errors).toEqual([1, 0, 1]);
      });

      it('follows events added after it was counted, and a run deleted from the middle of the thread', async () => {
        await store.putBatch(mixedThread);
        await store.threadOverview('t1', 2000);
        await store.put(ev({ run_id: 'c', event_type: 'llm.tool.result', content: failedTool }));
        const added = await store.threadOverview('t1', 2000);
        expect(added).toEqual(await countedDirectly('t1', 1));
        expect(total(added.buckets.tool_errors)).toBe(3);
        await store.deleteByRun('t1', 'b');
        await store.put(ev({ run_id: 'd', category: 'error', event_type: 'run.error' }));
        const deleted = await store.threadOverview('t1', 2000);
        expect(deleted).toEqual(await countedDirectly('t1', 1));
        expect([total(deleted.buckets.errors), total(deleted.buckets.tool_errors)]).toEqual([3, 2]);
      });

      it('gives one bucket of everything for buckets 1, and one seq a bucket when there are fewer seqs than buckets', async () => {
        await store.putBatch(mixedThread);
        expect(await store.threadOverview('t1', 1)).toEqual({
          first_seq: 1,
          last_seq: 13,
          bucket_seqs: 13,
          buckets: { events: [13], messages: [6], errors: [5], tool_errors: [2] },
        });
        const fine = await store.threadOverview('t1', 2000);
        expect([fine.bucket_seqs, fine.buckets.events]).toEqual([1, Array(13).fill(1)]);
      });

      it('leaves the marks out when asked without them, and counts them when asked again with them', async () => {
        await store.putBatch(mixedThread);
        const direct = await countedDirectly('t1', 4);
        const bare = await store.threadOverview('t1', 4, { marks: false });
        expect(bare).toEqual({ ...direct, buckets: { ...direct.buckets, errors: null, tool_errors: null } });
        expect(await store.threadOverview('t1', 4, { marks: true })).toEqual(direct);
        expect(await store.threadOverview('t1', 4, { marks: false })).toEqual(bare);
        await store.put(ev({ run_id: 'c', category: 'error', event_type: 'run.error' }));
        expect(await store.threadOverview('t1', 4)).toEqual(await countedDirectly('t1', 4));
        // Once counted, the marks are at hand: 'kept' gives them, events added since included.
        await store.put(ev({ run_id: 'c', event_type: 'llm.tool.result', content: failedTool }));
        expect(await store.threadOverview('t1', 4, { marks: 'kept' })).toEqual(await countedDirectly('t1', 4));
      });

      it('is empty for a thread without events', async () => {
        const empty = { first_seq: null, last_seq: null, bucket_seqs: 1, buckets: { events: [], messages: [], errors: [], tool_errors: [] } };
        expect(await store.threadOverview('nope', 10)).toEqual(empty);
        await store.putBatch(mixedThread);
        await store.threadOverview('t1', 10);
        await store.deleteByThread('t1');
        expect(await store.threadOverview('t1', 10)).toEqual(empty);
      });

      it('rejects a bucket count that is not an integer from 1 to 2,000, and a bad thread id', async () => {
        for (const buckets of [0, 2001, 1.5, Number.NaN]) await expect(store.threadOverview('t1', buckets)).rejects.toThrow(/buckets/);
        await expect(store.threadOverview('', 10)).rejects.toThrow(/threadId/);
      });
    });
  });
}
