// Writers on the same threads at once: several stores (each its own pool)
// and DeerFlow's own writer (its advisory lock, then max(seq) + 1) never give
// out the same seq, never hit the unique constraint, and leave each thread's
// seqs dense.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventInput, RunEvent } from '../../../src-shared/types.ts';
import { createTestDatabase, deerflowWriteEvents, type TestDatabase } from '../../../test/support/postgres-databases.ts';
import { openPostgresStore, type PostgresStore } from './postgres-store.ts';

const THREADS = ['ta', 'tb', 'tc'];
const STORES = 3;
const DEERFLOW_WRITERS = 2;
const BATCHES = 15;

let db: TestDatabase;
let stores: PostgresStore[];

beforeAll(async () => {
  db = await createTestDatabase();
  stores = await Promise.all(Array.from({ length: STORES }, () => openPostgresStore(db.url, { write: true })));
});

afterAll(async () => {
  await Promise.all((stores ?? []).map((s) => s.close()));
  await db?.drop();
});

beforeEach(async () => {
  await db.query('DELETE FROM run_events');
});

/** A batch of a writer: events on two or three of the threads, interleaved, each named by its content. */
function batchOf(writer: string, batch: number): EventInput[] {
  return Array.from({ length: 6 }, (_, i) => ({
    thread_id: THREADS[(batch + i) % (2 + (batch % 2))],
    run_id: `${writer}-run`,
    event_type: 'llm.ai.response',
    category: i % 2 === 0 ? 'message' : 'trace',
    content: `${writer}/${batch}/${i}`,
  }));
}

type Written = { content: string; thread_id: string; seq: number };

/** Every row: content, thread and seq. */
const storedRows = () => db.query<Written>('SELECT content, thread_id, seq FROM run_events ORDER BY thread_id, seq');

describe('concurrent writers on the same threads', () => {
  it("our putBatch from several stores and DeerFlow's writer: no seq given twice, every batch written, each thread's seqs 1..n", async () => {
    const ours = stores.flatMap((store, s) =>
      Array.from({ length: BATCHES }, async (_, b): Promise<Written[]> => {
        const put: RunEvent[] = await store.putBatch(batchOf(`store${s}`, b));
        return put.map((e) => ({ content: e.content as string, thread_id: e.thread_id, seq: e.seq }));
      }),
    );
    const theirs = Array.from({ length: DEERFLOW_WRITERS }, (_, w) =>
      Array.from({ length: BATCHES }, async (_, b): Promise<Written[]> => {
        const events = batchOf(`deerflow${w}`, b);
        const given = await deerflowWriteEvents(db.pool, events);
        return events.map((e, i) => ({ content: e.content as string, thread_id: e.thread_id, seq: given[i] }));
      }),
    ).flat();
    const results = await Promise.allSettled([...ours, ...theirs]);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const written = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
    expect(written).toHaveLength((STORES + DEERFLOW_WRITERS) * BATCHES * 6);

    // What each writer was told is what the table holds.
    const stored = await storedRows();
    const byContent = (rows: Written[]) => [...rows].sort((a, b) => (a.content < b.content ? -1 : 1));
    expect(byContent(stored)).toEqual(byContent(written));
    for (const thread of THREADS) {
      const seqs = stored.filter((r) => r.thread_id === thread).map((r) => r.seq);
      expect(seqs.length, thread).toBeGreaterThan(0);
      expect(seqs, thread).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    }
  });

  it("gives each of our batches consecutive seqs in a thread, whoever writes beside it", async () => {
    const [put] = await Promise.all([
      Promise.all(stores.map((store, s) => store.putBatch(Array.from({ length: 20 }, (_, i) => ({ thread_id: 'ta', run_id: `r${s}`, event_type: 'x', category: 'message', content: `${s}/${i}` }))))),
      Promise.all(Array.from({ length: 10 }, (_, i) => deerflowWriteEvents(db.pool, [{ thread_id: 'ta', run_id: 'df', event_type: 'x', category: 'message', content: `df/${i}` }]))),
    ]);
    for (const batch of put) expect(batch.map((e) => e.seq - batch[0].seq)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect((await storedRows()).map((r) => r.seq)).toEqual(Array.from({ length: STORES * 20 + 10 }, (_, i) => i + 1));
  });

  it('creates exactly one event when putIfAbsent is called from several stores at once', async () => {
    const results = await Promise.all(
      stores.flatMap((store, s) =>
        Array.from({ length: 5 }, (_, i) => store.putIfAbsent({ thread_id: 'tb', run_id: 'r1', event_type: 'run.end', category: 'outputs', content: `${s}/${i}` })),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const winner = results.find((r) => r.created)!.event;
    for (const r of results) expect(r.event).toEqual(winner);
    expect(await storedRows()).toEqual([{ content: winner.content, thread_id: 'tb', seq: 1 }]);
  });
});
