// Following a PostgreSQL source another process writes (issues 12 and 13),
// against the tests' own server: DeerFlow's writes (its advisory lock and
// max(seq) + 1, its runs and threads_meta updates) on connections of their
// own are announced by thread as they commit, the app's own are not
// announced twice, a killed connection is opened again, another database
// under the name is a replacement, and stop() leaves nothing running.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { testEvent } from '../../test/support/event-input.ts';
import { handlesAddedSince, LivePushes, liveHandles } from '../../test/support/live-pushes.ts';
import { recordingStatements, type StatementTiming } from '../../test/support/live-statements.ts';
import { createTestDatabase, deerflowWriteEvents, deerflowWriteRun, deerflowWriteThread, type TestDatabase } from '../../test/support/postgres-databases.ts';
import { postgresUrl } from '../../test/support/postgres-server.ts';
import { createHandlers, dispatch } from '../handlers/handlers.ts';
import { Session } from '../handlers/session.ts';
import { DEERFLOW_POSTGRES_DDL } from '../store/postgres/deerflow-schema.ts';
import { openPostgresStore, type PostgresStore } from '../store/postgres/postgres-store.ts';
import { LIVE_SQL } from '../store/postgres/sql.ts';
import { followSource } from './follow-source.ts';
import type { FollowerEvents } from './follower.ts';
import { followPostgres, PostgresFollower } from './postgres-follower.ts';

/** The "within 2 s of the commit", with the poll's second in it. */
const WITHIN_MS = 2_000;

/** What a follower announced, in order, and a wait for the next announcement naming a thread (never a fixed sleep). */
class Announcements implements FollowerEvents {
  readonly changes: (string[] | null)[] = [];
  replaced = 0;
  private waiters: { accepts: () => boolean; resolve: () => void }[] = [];

  onChanged(threadIds: string[] | null): void {
    this.changes.push(threadIds);
    this.wake();
  }

  onReplaced(): void {
    this.replaced++;
    this.wake();
  }

  private wake(): void {
    this.waiters = this.waiters.filter((waiter) => !(waiter.accepts() && (waiter.resolve(), true)));
  }

  /** Resolves when `accepts` holds (now, or after a later announcement); rejects after `withinMs`. */
  until(what: string, accepts: () => boolean, withinMs = WITHIN_MS): Promise<void> {
    if (accepts()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not announced within ${withinMs} ms: ${what}`)), withinMs);
      this.waiters.push({
        accepts,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /** The next announcement from now on that names `thread`. */
  next(thread: string, withinMs = WITHIN_MS): Promise<void> {
    const from = this.changes.length;
    return this.until(thread, () => this.changes.slice(from).some((threads) => threads?.includes(thread) ?? false), withinMs);
  }
}

/** Runs `write`, then waits for an announcement naming `thread`. */
async function expectAnnouncedBy(announcements: Announcements, thread: string, write: () => Promise<unknown>): Promise<void> {
  const next = announcements.next(thread);
  await write();
  await next;
}

const events = (thread: string, run: string, count: number) => Array.from({ length: count }, (_, i) => testEvent({ thread_id: thread, run_id: run, content: `${thread} ${run} ${i}` }));

/** The follower's own backend on the server (the store's pool is named without "(live)"); null when it has none. */
async function liveBackend(db: TestDatabase): Promise<number | null> {
  const [row] = await db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE '%(live)'`, [db.name]);
  return row?.pid ?? null;
}

/** Waits for `condition` (polled every 20 ms), at most `withinMs`. */
async function until(what: string, condition: () => Promise<boolean>, withinMs = 5_000): Promise<void> {
  const deadline = performance.now() + withinMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`not so within ${withinMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a PostgreSQL source another process writes, followed', () => {
  let db: TestDatabase;
  let store: PostgresStore;
  let follower: PostgresFollower;
  let announced: Announcements;

  beforeEach(async () => {
    db = await createTestDatabase();
    await deerflowWriteEvents(db.pool, [...events('t1', 'r0', 4), ...events('t2', 'r0', 4), ...events('t3', 'r0', 4)]);
    await deerflowWriteRun(db.pool, { run_id: 'r0', thread_id: 't2', status: 'running', model_name: 'm', error: null, total_input_tokens: 0, total_output_tokens: 0, total_tokens: 0 });
    await deerflowWriteThread(db.pool, { thread_id: 't3', display_name: 'Third' });
    store = await openPostgresStore(db.url);
    announced = new Announcements();
    follower = followPostgres(store, announced);
    await follower.started;
  });
  afterEach(async () => {
    follower.stop();
    await store.close();
    await db.drop();
  });

  const expectAnnounced = (thread: string, write: () => Promise<unknown>) => expectAnnouncedBy(announced, thread, write);

  it('announces appends by their threads within 2 s: an existing thread, a new one, two threads in one commit each', async () => {
    await expectAnnounced('t1', () => deerflowWriteEvents(db.pool, events('t1', 'r1', 3)));
    await expectAnnounced('new-thread', () => deerflowWriteEvents(db.pool, events('new-thread', 'r1', 1)));
    const both = announced.until('t2 and t3', () => ['t2', 't3'].every((thread) => announced.changes.some((threads) => threads?.includes(thread))));
    await deerflowWriteEvents(db.pool, [...events('t2', 'r1', 2), ...events('t3', 'r1', 2)]);
    await both;
    expect(new Set(announced.changes.flat())).toEqual(new Set(['t1', 'new-thread', 't2', 't3']));
    expect(announced.changes).not.toContain(null);
  });

  it('announces rows committed after a higher id was seen (a SERIAL id is visible at commit, not at insert)', async () => {
    const slow = await db.pool.connect();
    try {
      // A writer takes its ids and holds its transaction open...
      await slow.query('BEGIN');
      await slow.query(`SELECT pg_advisory_xact_lock(hashtext(CAST('slow' AS text))::bigint)`);
      await slow.query(
        `INSERT INTO run_events (thread_id, run_id, event_type, category, content, event_metadata, seq, created_at)
         SELECT 'slow', 'r1', 'llm.human.input', 'message', 'late ' || i, '{}', i, now() FROM generate_series(1, 3) i`,
      );
      // ...while another commits rows with higher ids, which are seen first.
      await expectAnnounced('t1', () => deerflowWriteEvents(db.pool, events('t1', 'r1', 2)));
      await expectAnnounced('slow', () => slow.query('COMMIT'));
    } finally {
      slow.release();
    }
    expect(announced.changes).toEqual([['t1'], ['slow']]);
  });

  it("announces another process's deletes: a run's events, a thread's", async () => {
    await expectAnnounced('t2', () => db.query(`DELETE FROM run_events WHERE thread_id = 't2' AND run_id = 'r0'`));
    await expectAnnounced('t1', () => db.query(`DELETE FROM run_events WHERE thread_id = 't1'`));
    expect(announced.changes).toEqual([['t2'], ['t1']]);
  });

  it("announces a runs row's changes: a run started, its status moved, its end, a run added already ended", async () => {
    const update = (status: string) => db.query(`UPDATE runs SET status = $1, updated_at = now() WHERE run_id = 'r0'`, [status]);
    await expectAnnounced('t2', () => update('pending'));
    await expectAnnounced('t2', () => update('success'));
    await expectAnnounced('t3', () =>
      deerflowWriteRun(db.pool, { run_id: 'r3', thread_id: 't3', status: 'error', model_name: 'm', error: 'boom', total_input_tokens: 1, total_output_tokens: 2, total_tokens: 3 }),
    );
    // An ended run's tokens, stamped no later than the latest updated_at (another worker's clock).
    await expectAnnounced('t3', () => db.query(`UPDATE runs SET total_tokens = 30, updated_at = updated_at - interval '1 hour' WHERE run_id = 'r3'`));
    expect(announced.changes).toEqual([['t2'], ['t2'], ['t3'], ['t3']]);
  });

  it('announces threads_meta changes: a rename, a thread named before its first event, a thread row gone', async () => {
    await expectAnnounced('t3', () => db.query(`UPDATE threads_meta SET display_name = 'Renamed', updated_at = now() WHERE thread_id = 't3'`));
    await expectAnnounced('named-first', () => deerflowWriteThread(db.pool, { thread_id: 'named-first', display_name: 'Named before its first event' }));
    await expectAnnounced('t3', () => db.query(`DELETE FROM threads_meta WHERE thread_id = 't3'`));
    expect(announced.changes).toEqual([['t3'], ['named-first'], ['t3']]);
  });

  it("does not announce the app's own writes again, and announces another writer's meanwhile", async () => {
    const writable = await openPostgresStore(db.url, { write: true });
    try {
      await writable.putBatch(events('t1', 'r9', 2));
      // What the session does after its own write, which it has announced itself.
      follower.absorb(['t1']);
      await expectAnnounced('t3', () => deerflowWriteEvents(db.pool, events('t3', 'r9', 1)));
      await writable.deleteByThread('t2');
      follower.absorb(['t2']);
      await expectAnnounced('t3', () => deerflowWriteEvents(db.pool, events('t3', 'r9', 1)));
    } finally {
      await writable.close();
    }
    expect(announced.changes).toEqual([['t3'], ['t3']]);
  });

  it("announces nothing while nothing is written, polling at its pace for little of this process's time", async () => {
    const statements: StatementTiming[] = [];
    /** The polls among them: a look outside a census's transaction. */
    const polls = () => {
      let inTransaction = false;
      return statements.filter(({ name }) => {
        if (/^BEGIN/.test(name)) inTransaction = true;
        if (/^(COMMIT|ROLLBACK)/.test(name)) inTransaction = false;
        return name === LIVE_SQL.look.name && !inTransaction;
      }).length;
    };
    const quiet = new Announcements();
    const pollMs = 200;
    const second = followPostgres(recordingStatements(store, statements), quiet, { pollMs });
    try {
      await second.started;
      const [pollsBefore, statementsBefore] = [polls(), statements.length];
      const cpu = process.cpuUsage();
      const started = performance.now();
      await until('ten polls', async () => polls() - pollsBefore >= 10);
      const elapsed = performance.now() - started;
      const used = process.cpuUsage(cpu);
      expect(quiet.changes).toEqual([]);
      expect(announced.changes).toEqual([]);
      // At its pace, never faster...
      expect(elapsed).toBeGreaterThanOrEqual(9 * pollMs);
      // ...and a handful of statements a poll at most: the look, and when the server committed anything (other test
      // files share it) the rows above the top, the active runs and a census in a transaction (postgres-changes.test.ts
      // has a poll of an idle server: the look alone).
      expect(statements.length - statementsBefore).toBeLessThanOrEqual(10 * 10);
      expect((used.user + used.system) / 1000 / 10).toBeLessThan(10);
    } finally {
      second.stop();
    }
  });

  it('opens its connection again when the server ends it, and announces what was committed meanwhile', async () => {
    const pid = await liveBackend(db);
    expect(pid).not.toBeNull();
    await db.query('SELECT pg_terminate_backend($1)', [pid]);
    // Committed while the follower has no connection.
    await deerflowWriteEvents(db.pool, events('t1', 'r1', 2));
    await announced.next('t1', 5_000);
    const again = await liveBackend(db);
    expect(again).not.toBeNull();
    expect(again).not.toBe(pid);
    await expectAnnounced('t2', () => deerflowWriteEvents(db.pool, events('t2', 'r1', 1)));
    expect(announced.changes).toEqual([['t1'], ['t2']]);
  });

  it('tells the session to open the source again when a table is dropped or created', async () => {
    await db.query('DROP TABLE threads_meta');
    await announced.until('a replacement', () => announced.replaced === 1);
    // A follower that started without it: DeerFlow creates it later.
    const later = new Announcements();
    const second = followPostgres(store, later);
    try {
      await second.started;
      await db.query(`CREATE TABLE threads_meta (thread_id VARCHAR(64) PRIMARY KEY, display_name VARCHAR(256), status VARCHAR(20) NOT NULL,
        metadata_json JSON NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)`);
      await later.until('a replacement', () => later.replaced === 1);
    } finally {
      second.stop();
    }
    expect([announced.changes, later.changes]).toEqual([[], []]);
  });

  it("tells the session to open the source again when a migration drops a column it reads, and a follower on the new shape follows the rest", async () => {
    await db.query('ALTER TABLE runs DROP COLUMN stop_reason');
    // The commit of the migration makes the next check read runs, which it cannot do so any more.
    await announced.until('a replacement', () => announced.replaced === 1);
    const later = new Announcements();
    const second = followPostgres(store, later);
    try {
      await second.started;
      await expectAnnouncedBy(later, 't1', () => deerflowWriteEvents(db.pool, events('t1', 'r1', 1)));
      await expectAnnouncedBy(later, 't3', () => db.query(`UPDATE threads_meta SET display_name = 'Renamed', updated_at = now() WHERE thread_id = 't3'`));
    } finally {
      second.stop();
    }
    expect(later.changes).toEqual([['t1'], ['t3']]);
  });

  it('stops: no timer, no connection to the server is left, and a later append announces nothing', async () => {
    const handlesBefore = liveHandles();
    const socketsBefore = process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length;
    follower.stop();
    expect(handlesAddedSince(handlesBefore)).toEqual({});
    await until('the live backend gone', async () => (await liveBackend(db)) === null);
    const sockets = () => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length;
    await until('its socket closed', async () => sockets() < socketsBefore);
    // Another follower sees the append, so the stopped one had its chance to announce it.
    const probe = new Announcements();
    const other = followPostgres(store, probe);
    try {
      await other.started;
      await expectAnnouncedBy(probe, 't1', () => deerflowWriteEvents(db.pool, events('t1', 'r1', 1)));
    } finally {
      other.stop();
    }
    expect(announced.changes).toEqual([]);
  });
});

describe('a PostgreSQL database dropped and made again under its name', () => {
  it('is a replacement: the follower tells the session once it can connect again', async () => {
    const db = await createTestDatabase();
    const store = await openPostgresStore(db.url);
    const announced = new Announcements();
    const follower = followPostgres(store, announced);
    const server = inject('postgresServer');
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      await follower.started;
      await admin.query(`DROP DATABASE ${pg.escapeIdentifier(db.name)} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(db.name)}`);
      const again = new pg.Client({ connectionString: postgresUrl(server, db.name) });
      await again.connect();
      await again.query(DEERFLOW_POSTGRES_DDL);
      await again.end();
      await announced.until('a replacement', () => announced.replaced > 0, 10_000);
      expect(announced.changes).toEqual([]);
    } finally {
      follower.stop();
      await store.close();
      await db.drop();
      await admin.end();
    }
  });
});

describe('following a PostgreSQL source from a session', () => {
  it('is what followSource gives a PostgreSQL store', async () => {
    const db = await createTestDatabase();
    const store = await openPostgresStore(db.url);
    const follower = followSource(store, new Announcements());
    try {
      expect(follower).toBeInstanceOf(PostgresFollower);
    } finally {
      follower?.stop();
      await store.close();
      await db.drop();
    }
  });

  it("pushes another process's commits as store:changed, the app's own delete once, and stops with the session", async () => {
    const db = await createTestDatabase();
    await deerflowWriteEvents(db.pool, [...events('t1', 'r0', 2), ...events('t3', 'r0', 2)]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-live-pg-session-'));
    const session = await Session.create(db.url, { transport: 'browser', workerUrl: null, userDataDir: dir, write: true });
    const pushes = new LivePushes(session);
    try {
      // The session's follower reads the server as it is once it has opened it: a probe committed before that is
      // not pushed, so probes are written until one is (the follower has started), three at most.
      for (let probe = 1; ; probe++) {
        const pushed = pushes.next('probe', 1_500);
        await deerflowWriteEvents(db.pool, events('probe', `r${probe}`, 1));
        const seen = await pushed.then(() => true, (error: unknown) => (probe === 3 ? Promise.reject(error) : false));
        if (seen) break;
      }
      const from = pushes.pushes.length;
      const appended = pushes.next('t1');
      await deerflowWriteEvents(db.pool, events('t1', 'r1', 1));
      await appended;
      expect(await dispatch(createHandlers(session), 'deleteByThread', { threadId: 't3' })).toBe(2);
      const again = pushes.next('t1');
      await deerflowWriteEvents(db.pool, events('t1', 'r2', 1));
      await again;
      expect(pushes.pushes.slice(from).map((push) => push.threadIds)).toEqual([['t1'], ['t3'], ['t1']]);
      await session.close();
      await until('the live backend gone', async () => (await liveBackend(db)) === null);
    } finally {
      await session.close();
      await db.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('follows nothing for a script (rpc): no timer, no connection of its own', async () => {
    const db = await createTestDatabase();
    const before = liveHandles();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-live-pg-rpc-'));
    const session = await Session.create(db.url, { transport: 'rpc', workerUrl: null, userDataDir: dir });
    try {
      expect(handlesAddedSince(before)).toEqual({});
      expect(await liveBackend(db)).toBeNull();
    } finally {
      await session.close();
      await db.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
