// A live agent (another process) appends to a database while the app lists,
// pages and deletes in it: the agent never sees SQLITE_BUSY beyond its busy
// timeout, no write is lost, nothing is corrupted, and the app's next query
// shows everything the agent wrote.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventInput, InspectorStore, RunEvent } from '../../src-shared/types.ts';
import { openSqliteStore } from '../../src-main/store/sqlite/sqlite-store.ts';
import { buildDatabase, collectOutput, integrityCheck, makeTempDir, startScript } from './support.ts';

const LIVE_EVENTS = 300;
const OLD_THREADS = 6;
const OLD_RUNS = 3;
const OLD_RUN_EVENTS = 10;

const oldEvents = (): EventInput[] =>
  Array.from({ length: OLD_THREADS * OLD_RUNS * OLD_RUN_EVENTS }, (_, i) => ({
    thread_id: `old-${Math.floor(i / (OLD_RUNS * OLD_RUN_EVENTS))}`,
    run_id: `run-${Math.floor(i / OLD_RUN_EVENTS) % OLD_RUNS}`,
    event_type: i % 2 ? 'llm.start' : 'llm.ai.response',
    category: i % 2 ? 'trace' : 'message',
    content: `old ${i}`,
  }));

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Pages a thread's messages from the latest back to the first, as the timeline scrolls up. */
async function pageBackwards(store: InspectorStore, threadId: string): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for (let before: number | undefined; ; ) {
    const page = await store.listMessages(threadId, { limit: 25, beforeSeq: before });
    for (let i = 1; i < page.length; i++) expect(page[i].seq).toBeGreaterThan(page[i - 1].seq);
    if (page.length === 0) return all;
    all.unshift(...page);
    before = page[0].seq;
  }
}

const vintages = [
  { name: 'a database the app created (WAL)', create: (file: string) => openSqliteStore(file, { create: true }) },
  {
    name: "DeerFlow's own database (rollback journal, kept as it is)",
    create: (file: string) => openSqliteStore(buildDatabase('deerflow.sql', file), { create: false }),
  },
];

describe.each(vintages)('a live writer in another process: $name', ({ create }) => {
  let temp: ReturnType<typeof makeTempDir>;
  let file: string;
  let store: InspectorStore;

  beforeEach(async () => {
    temp = makeTempDir();
    file = path.join(temp.dir, 'live.db');
    store = create(file);
    await store.putBatch(oldEvents());
  });
  afterEach(async () => {
    await store.close();
    temp.remove();
  });

  it('loses no write, never fails the writer, and the app sees every event after a refresh', async () => {
    const writer = startScript('live-writer.ts', [file, 'live', 'live-run', String(LIVE_EVENTS)]);
    const outcome = collectOutput(writer);
    let finished = false;
    void outcome.then(() => (finished = true));

    const deletions: number[] = [];
    const toDelete = Array.from({ length: OLD_THREADS }, (_, t) => Array.from({ length: OLD_RUNS }, (_, r) => [`old-${t}`, `run-${r}`])).flat();
    let seenLive = 0;
    let rounds = 0;
    while (!finished) {
      rounds++;
      const live = (await store.listThreads()).find((t) => t.thread_id === 'live');
      // The count a later refresh shows never goes back.
      expect(live?.message_count ?? 0).toBeGreaterThanOrEqual(seenLive);
      seenLive = live?.message_count ?? 0;
      const paged = await pageBackwards(store, 'live');
      expect(paged.length).toBeGreaterThanOrEqual(seenLive);
      await store.listEvents('live', 'live-run', { afterSeq: Math.max(0, seenLive - 40), limit: 50 });
      const next = toDelete.shift();
      if (next) deletions.push(await store.deleteByRun(next[0], next[1]));
      await nextTick();
    }

    const { code, stdout, stderr } = await outcome;
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(stdout) as { written: number; errors: string[]; slowestMs: number };
    expect(summary.errors).toEqual([]);
    expect(summary.written).toBe(LIVE_EVENTS);
    expect(rounds).toBeGreaterThan(0);
    expect(deletions.every((n) => n === OLD_RUN_EVENTS)).toBe(true);

    // After a refresh: every event the agent wrote, in order, once.
    const messages = await store.listMessages('live', { limit: 10_000 });
    expect(messages.map((e) => e.seq)).toEqual(Array.from({ length: LIVE_EVENTS }, (_, i) => i + 1));
    expect(messages.map((e) => (e.content as { content: string }).content)).toEqual(Array.from({ length: LIVE_EVENTS }, (_, i) => `live ${i}`));
    expect(await store.countMessages('live')).toBe(LIVE_EVENTS);
    for (const [threadId, runId] of toDelete) expect(await store.deleteByRun(threadId, runId)).toBe(OLD_RUN_EVENTS);
    expect((await store.listThreads()).filter((t) => t.thread_id.startsWith('old-') && t.event_count > 0)).toEqual([]);
    await store.close();
    expect(integrityCheck(file)).toBe('ok');
  });
});
