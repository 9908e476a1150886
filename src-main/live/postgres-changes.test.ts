// What a PostgreSQL follower's check reads, statement by statement, on a
// scripted server: an idle one costs the look alone; a commit, the rows
// above the top, the active runs and the side tables' marks; a census only
// in its turn, or at once when asked (the app's own write) or when the
// delete counters moved.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LIVE_SQL, type Statement } from '../store/postgres/sql.ts';
import { ADDED_ROWS_LIMIT, SCAN_SHARE, PostgresChanges, type LiveReader } from './postgres-changes.ts';

/** A server that answers each of the follower's statements from `answers`, and records what it was asked. */
class ScriptedServer implements LiveReader {
  readonly asked: string[] = [];
  look = { snapshot: '100:100:', events: '1', runs: '2', threads_meta: '3', rewrites: '0' };
  added: { id: number; thread_id: string; seq: number }[] = [];
  threads = [{ thread_id: 't1', rows: 2, seqs: 3 }];
  total = 2;
  runs: { key: string; thread_id: string; version: number }[] = [];
  /** How long the count, each thread's count and the runs mark take (on a faked clock). */
  countMs = 0;
  perThreadMs = 0;
  runsMarkMs = 0;

  async query<R>(statement: Statement, values: Record<string, unknown> = {}): Promise<R[]> {
    this.asked.push(statement.name);
    if (statement.name === LIVE_SQL.eventsAdded.name) return this.addedRows(values) as R[];
    if (statement.name === LIVE_SQL.eventTotal.name) vi.advanceTimersByTime(this.countMs);
    if (statement.name === LIVE_SQL.eventThreads.name) vi.advanceTimersByTime(this.perThreadMs);
    if (statement.name === LIVE_SQL.runs.mark.name) vi.advanceTimersByTime(this.runsMarkMs);
    const answers: Record<string, unknown[]> = {
      [LIVE_SQL.look.name]: [this.look],
      [LIVE_SQL.eventsTop.name]: [{ top: 2 }],
      [LIVE_SQL.eventThreads.name]: this.threads,
      [LIVE_SQL.eventTotal.name]: [{ rows: this.total }],
      [LIVE_SQL.activeRuns.name]: [],
      [LIVE_SQL.runs.rows.name]: this.runs,
      [LIVE_SQL.runs.mark.name]: [{ mark: `${this.runs.length} 0` }],
      [LIVE_SQL.threads.rows.name]: [],
      [LIVE_SQL.threads.mark.name]: [{ mark: '0 0' }],
    };
    return answers[statement.name] as R[];
  }

  /** As the statement: rows above the top in id order, at most the limit, then those in the gaps. */
  private addedRows({ top, limit, firsts, lasts }: Record<string, unknown>) {
    const [from, most, starts, ends] = [top as number, limit as number, firsts as number[], lasts as number[]];
    const above = this.added.filter((row) => row.id > from).sort((a, b) => a.id - b.id).slice(0, most);
    return [...above, ...this.added.filter((row) => starts.some((first, i) => row.id >= first && row.id <= ends[i]))];
  }

  async inSnapshot<T>(work: () => Promise<T>): Promise<T> {
    this.asked.push('BEGIN');
    const result = await work();
    this.asked.push('COMMIT');
    return result;
  }

  /** What the next check asks. */
  async check(changes: PostgresChanges, options?: { census?: boolean }): Promise<{ asked: string[]; changed: string[] | 'replaced' }> {
    this.asked.length = 0;
    const changed = await changes.check(this, options);
    return { asked: [...this.asked], changed };
  }
}

describe('a PostgreSQL follower check', () => {
  let server: ScriptedServer;
  let changes: PostgresChanges;

  beforeEach(async () => {
    // performance.now() on a clock of the test's: a census's cost and turn are times.
    vi.useFakeTimers({ toFake: ['performance'] });
    server = new ScriptedServer();
    changes = await PostgresChanges.start(server);
  });
  afterEach(() => vi.useRealTimers());

  it('asks an idle server the look alone, and announces nothing', async () => {
    for (let i = 0; i < 3; i++) expect(await server.check(changes)).toEqual({ asked: [LIVE_SQL.look.name], changed: [] });
  });

  it("after a commit, reads the rows added, the active runs and the side tables' marks, with a census in one snapshot", async () => {
    server.look = { ...server.look, snapshot: '101:101:' };
    server.added = [{ id: 3, thread_id: 't2', seq: 1 }];
    server.threads = [...server.threads, { thread_id: 't2', rows: 1, seqs: 1 }];
    server.total = 3;
    const { asked, changed } = await server.check(changes);
    expect(changed).toEqual(['t2']);
    // The first census after the start is due at once (its cost is not known yet).
    expect(asked).toEqual([
      LIVE_SQL.look.name,
      'BEGIN',
      LIVE_SQL.look.name,
      LIVE_SQL.eventsAdded.name,
      LIVE_SQL.activeRuns.name,
      LIVE_SQL.runs.mark.name,
      LIVE_SQL.threads.mark.name,
      LIVE_SQL.eventTotal.name,
      'COMMIT',
    ]);
    server.added = [];
    expect(await server.check(changes)).toEqual({ asked: [LIVE_SQL.look.name], changed: [] });
  });

  it("names the threads of a delete from the census's per-thread count when the total falls short", async () => {
    server.look = { ...server.look, snapshot: '101:101:' };
    server.threads = [];
    server.total = 0;
    const { asked, changed } = await server.check(changes);
    expect(changed).toEqual(['t1']);
    expect(asked).toContain(LIVE_SQL.eventThreads.name);
  });

  it('makes a census at once when asked, or when the delete counters moved, even with the snapshot unchanged', async () => {
    expect((await server.check(changes, { census: true })).asked).toContain(LIVE_SQL.eventTotal.name);
    server.look = { ...server.look, rewrites: '5' };
    expect((await server.check(changes)).asked).toContain(LIVE_SQL.eventTotal.name);
    expect((await server.check(changes)).asked).toEqual([LIVE_SQL.look.name]);
  });

  it('reads a burst larger than one statement takes in the same check, on from the highest id read', async () => {
    server.look = { ...server.look, snapshot: '101:101:' };
    const burst = 2 * ADDED_ROWS_LIMIT + 1;
    server.added = Array.from({ length: burst }, (_, i) => ({ id: 3 + i, thread_id: i === burst - 1 ? 't3' : 't2', seq: i + 1 }));
    server.threads = [...server.threads, { thread_id: 't2', rows: burst - 1, seqs: ((burst - 1) * burst) / 2 }, { thread_id: 't3', rows: 1, seqs: burst }];
    server.total = 2 + burst;
    const { asked, changed } = await server.check(changes);
    expect(new Set(changed)).toEqual(new Set(['t2', 't3']));
    expect(asked.filter((name) => name === LIVE_SQL.eventsAdded.name).length).toBe(3);
    // It all added up: no per-thread count.
    expect(asked).not.toContain(LIVE_SQL.eventThreads.name);
  });

  /** A commit `afterMs` from now: what the check after it asks. */
  async function askedAfter(afterMs: number, commit: number): Promise<string[]> {
    vi.advanceTimersByTime(afterMs);
    server.look = { ...server.look, snapshot: `${commit}:${commit}:` };
    return (await server.check(changes)).asked;
  }

  it(`spaces the census so it takes ${SCAN_SHARE * 100} % of the time at most, a delete's per-thread count apart`, async () => {
    server.threads = [{ thread_id: 't1', rows: 1_000_000, seqs: 1 }];
    server.total = 1_000_000;
    changes = await PostgresChanges.start(server);
    server.countMs = 10;
    server.perThreadMs = 1_000;
    // The first census: its cost is not known yet. A delete: the count falls short, each thread is counted.
    server.threads = [{ thread_id: 't1', rows: 999_000, seqs: 1 }];
    server.total = 999_000;
    expect(await askedAfter(0, 101)).toContain(LIVE_SQL.eventThreads.name);
    // 10 ms of counting: the next census not before 10 / SCAN_SHARE = 500 ms have gone; the rest is read meanwhile.
    expect(await askedAfter(400, 102)).toEqual([LIVE_SQL.look.name, LIVE_SQL.eventsAdded.name, LIVE_SQL.activeRuns.name, LIVE_SQL.runs.mark.name, LIVE_SQL.threads.mark.name]);
    // Owed since the commit, made at its turn even with nothing committed since.
    vi.advanceTimersByTime(100);
    expect((await server.check(changes)).asked).toContain(LIVE_SQL.eventTotal.name);
    expect(await askedAfter(100, 103)).not.toContain(LIVE_SQL.eventTotal.name);
  });

  it("does not hold a small table's census back for a slow answer (a loaded machine's round trip, not the server's work)", async () => {
    server.countMs = 100;
    expect(await askedAfter(0, 101)).toContain(LIVE_SQL.eventTotal.name);
    expect(await askedAfter(1, 102)).toContain(LIVE_SQL.eventTotal.name);
  });

  it("spaces the side tables' marks by their own cost", async () => {
    server.runs = Array.from({ length: 20_000 }, (_, i) => ({ key: `r${i}`, thread_id: 't1', version: 0 }));
    changes = await PostgresChanges.start(server);
    server.runsMarkMs = 10;
    expect(await askedAfter(0, 101)).toContain(LIVE_SQL.runs.mark.name);
    // 10 ms (no more than 20,000 rows make it at most): not again before 500 ms, while the census goes on at its own turn.
    const meanwhile = await askedAfter(400, 102);
    expect(meanwhile).not.toContain(LIVE_SQL.runs.mark.name);
    expect(meanwhile).toContain(LIVE_SQL.eventTotal.name);
    expect(await askedAfter(100, 103)).toContain(LIVE_SQL.runs.mark.name);
  });

  it('says replaced when a table is made again (another oid)', async () => {
    server.look = { ...server.look, runs: '22' };
    expect(await server.check(changes)).toEqual({ asked: [LIVE_SQL.look.name], changed: 'replaced' });
  });
});
