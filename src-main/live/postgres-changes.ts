// Which threads the commits of other connections changed in a PostgreSQL
// source, read by the PostgreSQL follower at each poll (LIVE_SQL, sql.ts).
// A poll first looks at the cluster's snapshot, which any commit moves and
// which reads no table: an idle server costs that one statement a second.
// When it moved: the run_events rows above the highest id seen and in the
// gaps below it (id-gaps.ts) name the threads that grew, and the running or
// pending runs (a partial index) those whose run started, moved or ended.
// What no index finds is read by scans of whole tables, each at a rate that
// keeps it under SCAN_SHARE of the server's time (a Turn): a census counts
// run_events (an index-only scan), or at once when its delete counters moved
// (they come late but cost nothing), and when the count does not add up each
// thread's rows and seq sum name the threads that lost or gained rows
// unseen, in the count's REPEATABLE READ snapshot; the side tables' marks (a
// row per run or thread, hashed whole) name those whose runs or
// threads_meta rows changed otherwise (an ended run's tokens, a rename).
import { LIVE_SQL, type Statement } from '../store/postgres/sql.ts';
import { IdGaps, type GapRules } from '../store/postgres/id-gaps.ts';

export interface LiveReader {
  query<R>(statement: Statement, values?: Record<string, unknown>): Promise<R[]>;
  /** `work` in one REPEATABLE READ, read-only transaction: each of its statements sees the same snapshot. */
  inSnapshot<T>(work: () => Promise<T>): Promise<T>;
}

interface Look {
  snapshot: string;
  events: string | null;
  runs: string | null;
  threads_meta: string | null;
  rewrites: string;
}

interface AddedRow {
  id: number;
  thread_id: string;
  seq: number;
}

/** A thread's rows and the sum of their seqs: a delete, or rows added unseen, changes them. */
interface ThreadRows {
  thread_id: string;
  rows: number;
  seqs: number;
}

interface KeyedRow {
  key: string;
  thread_id: string;
  version: number;
}

/** At most this share of the server's time goes to each scan of whole tables while something commits. */
export const SCAN_SHARE = 0.02;
/**
 * A scan's turn is spaced by what it took, but by no more than this per row would make it (well above
 * what a server spends on a row): on a loaded machine a small table's scan takes a round trip's time,
 * which is not the server's work.
 */
const MOST_MS_PER_ROW = 0.001;
/** Rows read above the top per statement: a burst (an import) is read in steps of this many, all in one check. */
export const ADDED_ROWS_LIMIT = 50_000;
/** Ids below the top read when following starts, to find gaps that are there already. */
const START_WINDOW_IDS = 1_000;
const GAP_RULES: GapRules = { keepMs: 30_000, most: 1_000 };

const tablesOf = (look: Look) => `${look.events} ${look.runs} ${look.threads_meta}`;

/**
 * PostgreSQL's error codes for a side table this follower cannot read so: a column a vintage lacks (42703),
 * a function an old server lacks (42883, hash_record before 14), a table the login may not read (42501).
 */
const LACKS = new Set(['42703', '42883', '42501']);

/** What a side table's statements answer, or 'reshaped' when it cannot be read so any more (a column dropped). */
async function unlessReshaped<T>(work: () => Promise<T>): Promise<T | 'reshaped'> {
  try {
    return await work();
  } catch (error) {
    if (LACKS.has((error as { code?: string }).code ?? '')) return 'reshaped';
    throw error;
  }
}

/** The threads whose rows differ between two keyed readings: added, gone, changed, or moved (both threads). */
function differingThreads<T extends { thread_id: string }>(before: Map<string, T>, after: Map<string, T>, same: (a: T, b: T) => boolean): Set<string> {
  const threads = new Set<string>();
  for (const [key, row] of after) {
    const old = before.get(key);
    if (old !== undefined && old.thread_id === row.thread_id && same(old, row)) continue;
    threads.add(row.thread_id);
    if (old !== undefined) threads.add(old.thread_id);
  }
  for (const [key, row] of before) if (!after.has(key)) threads.add(row.thread_id);
  return threads;
}

/** `threads` (changed in place) with the rows just added. */
function grown(threads: Map<string, ThreadRows>, added: readonly AddedRow[]): Map<string, ThreadRows> {
  for (const row of added) {
    const counts = threads.get(row.thread_id);
    threads.set(row.thread_id, { thread_id: row.thread_id, rows: (counts?.rows ?? 0) + 1, seqs: (counts?.seqs ?? 0) + row.seq });
  }
  return threads;
}

const byKey = (rows: readonly KeyedRow[]) => new Map(rows.map((row) => [row.key, row]));
const sameVersion = (a: KeyedRow, b: KeyedRow) => a.version === b.version;
const sameRows = (a: ThreadRows, b: ThreadRows) => a.rows === b.rows && a.seqs === b.seqs;

/** runs or threads_meta read whole: its rows by key, and the mark they make (LIVE_SQL's keyedRows). */
class SideTable {
  private readonly statements: { rows: Statement; mark: Statement };
  private rows: Map<string, KeyedRow>;
  private mark: string;

  private constructor(statements: { rows: Statement; mark: Statement }, rows: readonly KeyedRow[]) {
    this.statements = statements;
    this.rows = byKey(rows);
    this.mark = SideTable.markOf(rows);
  }

  get size(): number {
    return this.rows.size;
  }

  /** The mark as the mark statement makes it: the count and the sum of the rows' hashes. */
  private static markOf(rows: readonly KeyedRow[]): string {
    return `${rows.length} ${rows.reduce((sum, row) => sum + row.version, 0)}`;
  }

  /** The table as it is now; null when this server or vintage cannot be read so (not followed then). */
  static async read(reader: LiveReader, statements: { rows: Statement; mark: Statement }): Promise<SideTable | null> {
    const rows = await unlessReshaped(() => reader.query<KeyedRow>(statements.rows));
    return rows === 'reshaped' ? null : new SideTable(statements, rows);
  }

  /** The threads whose rows changed since the last look, and how to take the change in; 'reshaped' when it cannot be read so any more. */
  changes(reader: LiveReader): Promise<{ threads: Set<string>; apply: () => void } | 'reshaped'> {
    return unlessReshaped(() => this.readChanges(reader));
  }

  private async readChanges(reader: LiveReader): Promise<{ threads: Set<string>; apply: () => void }> {
    const [{ mark }] = await reader.query<{ mark: string }>(this.statements.mark);
    if (mark === this.mark) return { threads: new Set(), apply: () => {} };
    const rows = await reader.query<KeyedRow>(this.statements.rows);
    const after = byKey(rows);
    return {
      threads: differingThreads(this.rows, after, sameVersion),
      apply: () => {
        this.rows = after;
        this.mark = SideTable.markOf(rows);
      },
    };
  }
}

/** When a scan of whole tables may run again: owed once something committed, due when its cost is spread thin enough. */
class Turn {
  owed = false;
  private at = performance.now();
  private ms = 0;

  due(rows: number): boolean {
    return this.owed && performance.now() - this.at >= Math.min(this.ms, rows * MOST_MS_PER_ROW) / SCAN_SHARE;
  }

  took(ms: number): void {
    this.owed = false;
    this.at = performance.now();
    this.ms = ms;
  }
}

export class PostgresChanges {
  private seen: Look;
  private readonly tables: string;
  private ids: IdGaps;
  private threads: Map<string, ThreadRows>;
  /** run_events' rows: the sum of `threads`. */
  private total: number;
  /** The running and pending runs; null when runs is not followed. */
  private active: Map<string, KeyedRow> | null;
  private readonly runs: SideTable | null;
  private readonly threadsMeta: SideTable | null;
  /** The census of run_events; the side tables' marks. */
  private readonly counting = new Turn();
  private readonly marking = new Turn();

  private constructor(start: {
    look: Look;
    ids: IdGaps;
    threads: Map<string, ThreadRows>;
    active: Map<string, KeyedRow> | null;
    runs: SideTable | null;
    threadsMeta: SideTable | null;
  }) {
    this.seen = start.look;
    this.tables = tablesOf(start.look);
    this.ids = start.ids;
    this.threads = start.threads;
    this.total = [...start.threads.values()].reduce((sum, thread) => sum + thread.rows, 0);
    this.active = start.active;
    this.runs = start.runs;
    this.threadsMeta = start.threadsMeta;
  }

  /** The source as it is now: what later checks compare with. */
  static async start(reader: LiveReader): Promise<PostgresChanges> {
    const events = await reader.inSnapshot(async () => {
      const [look] = await reader.query<Look>(LIVE_SQL.look);
      const [{ top }] = await reader.query<{ top: number }>(LIVE_SQL.eventsTop);
      const window = new IdGaps(Math.max(0, top - START_WINDOW_IDS));
      const seen = await reader.query<AddedRow>(LIVE_SQL.eventsAdded, { top: window.top, limit: START_WINDOW_IDS, ...window.bounds });
      const ids = window.after(seen.map((row) => row.id).sort((a, b) => a - b), top, performance.now(), GAP_RULES);
      return { look, ids, threads: await PostgresChanges.threadRows(reader) };
    });
    // Each side table on its own: one this server or vintage cannot read so is not followed, and the rest is.
    const runs = events.look.runs === null ? null : await SideTable.read(reader, LIVE_SQL.runs);
    const threadsMeta = events.look.threads_meta === null ? null : await SideTable.read(reader, LIVE_SQL.threads);
    const active = runs === null ? null : byKey(await reader.query<KeyedRow>(LIVE_SQL.activeRuns));
    return new PostgresChanges({ ...events, active, runs, threadsMeta });
  }

  private static async threadRows(reader: LiveReader): Promise<Map<string, ThreadRows>> {
    return new Map((await reader.query<ThreadRows>(LIVE_SQL.eventThreads)).map((row) => [row.thread_id, row]));
  }

  /**
   * The threads changed since the last check ([] when none), or 'replaced' when a table was dropped,
   * created or made again. `census`: made now, whatever its turn (after the app's own write, which may
   * be a delete: it is taken in by this check).
   */
  async check(reader: LiveReader, { census: censusNow = false } = {}): Promise<string[] | 'replaced'> {
    const [look] = await reader.query<Look>(LIVE_SQL.look);
    if (tablesOf(look) !== this.tables) return 'replaced';
    const committed = look.snapshot !== this.seen.snapshot;
    const rewritten = look.rewrites !== this.seen.rewrites;
    if (committed || rewritten) this.counting.owed = this.marking.owed = true;
    // The delete counters moved: a delete (seconds ago, maybe) that only a census sees; else the census waits its turn.
    const census = censusNow || rewritten || this.counting.due(this.total);
    const marks = this.marking.due((this.runs?.size ?? 0) + (this.threadsMeta?.size ?? 0));
    if (census) return reader.inSnapshot(() => this.read(reader, { look: null, marks }));
    return committed || marks ? this.read(reader, { look, marks }) : [];
  }

  /**
   * What changed: the rows added, the active runs and the side tables, and in a census (no `look` given:
   * read here, in the census's snapshot) the run_events count. Nothing is taken in until every statement
   * has answered, so a check that fails is made again whole.
   */
  private async read(reader: LiveReader, { look: given, marks }: { look: Look | null; marks: boolean }): Promise<string[] | 'replaced'> {
    const look = given ?? (await reader.query<Look>(LIVE_SQL.look))[0];
    if (tablesOf(look) !== this.tables) return 'replaced';
    const { added, reached } = await this.addedRows(reader);
    const changed = new Set(added.map((row) => row.thread_id));
    // A side table reshaped (a column dropped by a migration) is the source to open again, as a table made again is.
    const activeRows = this.active && (await unlessReshaped(() => reader.query<KeyedRow>(LIVE_SQL.activeRuns)));
    if (activeRows === 'reshaped') return 'replaced';
    const active = activeRows && byKey(activeRows);
    if (this.active && active) for (const thread of differingThreads(this.active, active, sameVersion)) changed.add(thread);
    // One after the other: in a census's transaction a statement that fails makes the next fail too.
    const sides = [];
    const marksStarted = performance.now();
    for (const table of marks ? [this.runs, this.threadsMeta] : []) {
      const side = await table?.changes(reader);
      if (side === 'reshaped') return 'replaced';
      sides.push(side);
    }
    const marksMs = performance.now() - marksStarted;
    for (const side of sides) for (const thread of side?.threads ?? []) changed.add(thread);
    const counted = given === null ? await this.countEvents(reader, added) : null;
    for (const thread of counted?.threads ?? []) changed.add(thread);

    this.ids = this.ids.after(added.map((row) => row.id).sort((a, b) => a - b), reached, performance.now(), GAP_RULES);
    if (counted?.threadRows) {
      this.threads = counted.threadRows;
      this.total = counted.total;
    } else {
      this.threads = grown(this.threads, added);
      this.total += added.length;
    }
    this.active = active;
    // Outside a census the delete counters are as seen (else it would have been one).
    this.seen = look;
    for (const side of sides) side?.apply();
    if (marks) this.marking.took(marksMs);
    // Spaced by what the count costs: the per-thread count a delete costs once is not what every census costs.
    if (counted) this.counting.took(counted.countMs);
    return [...changed];
  }

  /**
   * The rows in the gaps and above the top, and the highest id read: a burst (an import) is read
   * ADDED_ROWS_LIMIT rows at a time, all of it in this check.
   */
  private async addedRows(reader: LiveReader): Promise<{ added: AddedRow[]; reached: number }> {
    const added = await reader.query<AddedRow>(LIVE_SQL.eventsAdded, { top: this.ids.top, limit: ADDED_ROWS_LIMIT, ...this.ids.bounds });
    let above = added.filter((row) => row.id > this.ids.top);
    let reached = this.ids.top;
    for (;;) {
      reached = above.reduce((top, row) => Math.max(top, row.id), reached);
      if (above.length < ADDED_ROWS_LIMIT) return { added, reached };
      above = await reader.query<AddedRow>(LIVE_SQL.eventsAdded, { top: reached, limit: ADDED_ROWS_LIMIT, firsts: [], lasts: [] });
      for (const row of above) added.push(row);
    }
  }

  /** The census, in its snapshot: the run_events count, and each thread's when it does not add up. */
  private async countEvents(reader: LiveReader, added: readonly AddedRow[]) {
    const started = performance.now();
    const [{ rows: total }] = await reader.query<{ rows: number }>(LIVE_SQL.eventTotal);
    const countMs = performance.now() - started;
    if (total === this.total + added.length) return { threads: [], total, threadRows: null, countMs };
    const threadRows = await PostgresChanges.threadRows(reader);
    return { threads: differingThreads(grown(new Map(this.threads), added), threadRows, sameRows), total, threadRows, countMs };
  }
}
