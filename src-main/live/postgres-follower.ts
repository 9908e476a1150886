// Follows a PostgreSQL source another process writes (a DeerFlow server, or
// several): a poll a second on a connection of the follower's own, never
// one of the store's pool (the page's reads do not wait behind it, and it
// ends with the follower), read-only, without parallel workers (a poller
// must not take the server's cores from DeerFlow). What each poll reads is
// postgres-changes.ts's. A dropped connection (a server restart, a killed
// backend, a network cut) is opened again after a backoff, quietly, and the
// follower goes on from what it had seen, so what was committed meanwhile
// is announced too. Another database under the source's name (dropped and
// made again: another oid) or its tables dropped, created or made again
// make the session open the source again.
import type pg from 'pg';
import { NamedStatements } from '../store/postgres/named-statements.ts';
import { DATABASE_IDENTITY_SQL, TRANSACTION_SQL, type Statement } from '../store/postgres/sql.ts';
import { ReplacementTeller, type FollowerEvents, type SourceFollower } from './follower.ts';
import { PostgresChanges, type LiveReader } from './postgres-changes.ts';

/** A poll a second: a commit is announced well inside the 2 s, and an idle server sees one tiny statement a second. */
export const POSTGRES_POLL_MS = 1000;
/** The census of a 10M-event table takes about a second; one that takes this long is cut off and tried again. */
const STATEMENT_TIMEOUT_MS = 15_000;
const RETRY_FIRST_MS = 500;
const RETRY_MOST_MS = 30_000;

/** What the follower needs of a PostgreSQL store (PostgresStore). */
export interface FollowedPostgres {
  /** The database's oid when the store opened it. */
  readonly identity: string;
  liveClient(options: { statementTimeoutMs: number; settings: Record<string, string> }): pg.Client;
}

/** The app's own write, announced by the session: kept out of every poll's answer until a poll started after it has ended. */
interface Absorbed {
  threads: Set<string> | null;
  /** Polls started before the write. */
  after: number;
}

/** Named statements on `client` (each prepared once per connection), a slow one logged once per connection (the census of a big table always is). */
function readerOn(client: pg.Client): LiveReader {
  const statements = new NamedStatements({ logOnceAs: 'live follower' });
  return {
    query: async <R,>(statement: Statement, values: Record<string, unknown> = {}) => (await statements.run(client, statement, values)).rows as R[],
    async inSnapshot(work) {
      await client.query(TRANSACTION_SQL.snapshot);
      try {
        const result = await work();
        await client.query(TRANSACTION_SQL.commit);
        return result;
      } catch (error) {
        await client.query(TRANSACTION_SQL.rollback).catch(() => {});
        throw error;
      }
    },
  };
}

export class PostgresFollower implements SourceFollower {
  /** Resolves once the follower has read the source as it is (what it announces comes after that). */
  readonly started: Promise<void>;
  private markStarted: () => void = () => {};
  private readonly source: FollowedPostgres;
  private readonly events: FollowerEvents;
  private readonly pollMs: number;
  private readonly replacement: ReplacementTeller;
  private connection: { client: pg.Client; reader: LiveReader } | null = null;
  /** null until the first poll read the source (and again after a replacement was opened). */
  private changes: PostgresChanges | null = null;
  /** Another database is at the source's name, or its tables changed: told until the session has opened it again. */
  private replaced = false;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private pollAgain = false;
  private stopped = false;
  private failures = 0;
  private polls = 0;
  private absorbed: Absorbed[] = [];
  /** The next poll makes a census: the app wrote (absorb). */
  private censusNext = false;

  constructor(source: FollowedPostgres, events: FollowerEvents, pollMs: number) {
    this.source = source;
    this.events = events;
    this.pollMs = pollMs;
    this.replacement = new ReplacementTeller(events);
    this.started = new Promise((resolve) => (this.markStarted = resolve));
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    // unref: a follower never keeps a process alive on its own (the session stops it anyway).
    this.timer = setTimeout(() => void this.poll(), ms).unref();
  }

  private async poll(): Promise<void> {
    this.timer = null;
    if (this.polling || this.stopped) return;
    this.polling = true;
    const poll = ++this.polls;
    const census = this.censusNext;
    this.censusNext = false;
    let next = this.pollMs;
    try {
      const reader = await this.reader();
      if (this.replaced) this.tellReplaced();
      else if (this.changes === null) {
        this.changes = await PostgresChanges.start(reader);
        this.announce([], poll);
        this.markStarted();
      } else {
        const changed = await this.changes.check(reader, { census });
        if (changed === 'replaced') {
          this.replaced = true;
          this.tellReplaced();
        } else this.announce(changed, poll);
      }
      this.failures = 0;
    } catch {
      // Quietly: the connection is opened again after a wait that doubles, and what it missed is read then.
      this.censusNext ||= census;
      this.disconnect();
      next = Math.min(RETRY_MOST_MS, RETRY_FIRST_MS * 2 ** this.failures++);
    } finally {
      this.polling = false;
      if (this.pollAgain) {
        this.pollAgain = false;
        next = 0;
      }
      this.schedule(next);
    }
  }

  /** The follower's connection, opened when there is none; another database under the name is a replacement. */
  private async reader(): Promise<LiveReader> {
    if (this.connection) return this.connection.reader;
    const client = this.source.liveClient({ statementTimeoutMs: STATEMENT_TIMEOUT_MS, settings: { max_parallel_workers_per_gather: '0' } });
    // A connection the server ends between polls must not take the process down: the next poll opens another.
    client.on('error', () => {
      if (this.connection?.client === client) this.disconnect();
    });
    const connection = { client, reader: readerOn(client) };
    this.connection = connection;
    await client.connect();
    const [database] = (await client.query<{ oid: string }>(DATABASE_IDENTITY_SQL)).rows;
    if (database?.oid !== this.source.identity) this.replaced = true;
    return connection.reader;
  }

  private disconnect(): void {
    const client = this.connection?.client;
    this.connection = null;
    client?.end().catch(() => {});
  }

  private tellReplaced(): void {
    if (this.replacement.busy || this.stopped) return;
    this.replacement.tell(() => {
      this.replaced = false;
      this.changes = null;
    });
  }

  /** `changed` without the threads of the app's own writes, which the session has announced. */
  private announce(changed: string[], poll: number): void {
    // A poll under way when the follower stopped tells nothing.
    if (this.stopped) return;
    let others = changed;
    for (const { threads } of this.absorbed) others = threads === null ? [] : others.filter((thread) => !threads.has(thread));
    this.absorbed = this.absorbed.filter((absorbed) => absorbed.after >= poll);
    if (others.length > 0) this.events.onChanged(others);
  }

  absorb(threadIds: string[] | null): void {
    this.absorbed.push({ threads: threadIds === null ? null : new Set(threadIds), after: this.polls });
    this.censusNext = true;
    // Polled now, so another writer's change of other threads meanwhile is not held back a second.
    if (this.polling) this.pollAgain = true;
    else this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.disconnect();
  }
}

/** Follows the PostgreSQL source of `store` until stopped. */
export function followPostgres(store: FollowedPostgres, events: FollowerEvents, { pollMs = POSTGRES_POLL_MS } = {}): PostgresFollower {
  return new PostgresFollower(store, events, pollMs);
}
