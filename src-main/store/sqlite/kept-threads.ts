// The sqlite store's thread list, kept up to date instead of made anew
// (issue 14, "Kept summaries for huge stores"): each run's counts, seq range
// and time span, and each thread's totals, latest run and its status from
// the run's events, and title, as of the highest run_events rowid seen and
// marks of the rows at and below it (summary-file.ts keeps them between
// sessions). The first list reads the table once in rowid order, a page at a
// time; later ones read the rows above the highest rowid seen, add them to
// their runs, and read again from the indexes only the threads a delete or a
// rewrite touched: those the app deleted from or the live follower names
// (expire), and those the table's count and the marks say another connection
// changed (table-changes.ts, as the follower tells them), the runs with rows
// at rowids handed out again whatever their count. Nothing committed by
// another connection and nothing written by this one: the list is answered
// as kept.
import type Database from 'better-sqlite3';
import { firstHumanText } from '../../../src-shared/message-model.ts';
import type { RunEvent } from '../../../src-shared/types.ts';
import { EventTable, type LastRow, type RewrittenRun } from '../../live/table-changes.ts';
import { outcomeOf } from '../run-facts.ts';
import { runVersion, threadTotals, type RunRow } from '../run-rows.ts';
import { rowToEvent } from './encoding.ts';
import type { EventRow } from './rows.ts';
import type { Statements, SummaryRow, SummaryStatements } from './sql.ts';
import type { KeptThread, SqliteSummaryFile, ThreadWrite } from './summary-file.ts';

/** Rowids per statement of the first list's pass: a writer in rollback-journal mode waits for one page at most. */
const PAGE_ROWS = 50_000;
/** Messages that may be human read per statement while looking for a title: the first is nearly always it. */
const TITLE_PAGE = 8;
/** Above every seq a listing shows (a text seq another writer left sorts above numbers). */
const NO_SEQ_ABOVE = Number.MAX_SAFE_INTEGER + 1;

/** What one update of the kept list did, for tests and the benchmark. */
export interface SummaryWork {
  /** The kept list it started from came from the sidecar. */
  fromFile: boolean;
  /** run_events rows read in rowid order (0: none added since). */
  rowsRead: number;
  /** The per-thread counts were read from an index: a delete or a rewrite by another connection, or the follower's "any thread". */
  countedThreads: boolean;
  /** The threads read again from the indexes, in no particular order. */
  recomputed: string[];
}

export interface KeptThreadsSource {
  db: Database.Database;
  sql: Pick<Statements, 'runs' | 'lastOutcome'>;
  summarySql: SummaryStatements;
  /** run_events is a view: no rowid, so every list after a commit reads it whole. */
  isView: boolean;
  toEvent: (row: EventRow) => RunEvent;
  onWork?: (work: SummaryWork) => void;
}

interface Kept {
  last: LastRow;
  threads: Map<string, KeptThread>;
  /** Runs by thread and run: every thread's when not saved (`saved` undefined), else those read from the file or changed since. */
  runs: Map<string, Map<string, RunRow>>;
  /** The file's save this list was read from or saved as; undefined: in memory only. */
  saved: string | undefined;
}

function highestSeq(runs: Iterable<RunRow>): number {
  let highest = 0;
  for (const run of runs) highest = Math.max(highest, run.last_seq);
  return highest;
}

const nothingKept = (): Kept => ({ last: { rowId: 0, marks: [] }, threads: new Map(), runs: new Map(), saved: undefined });

/** The summary file failed (a full disk, a damaged file): the list is kept in memory from now on. */
class SummaryFileLost extends Error {}

/** What an update changed, thread by thread. */
class UpdateWork {
  /** Where the list stood when the update began. */
  readonly from: LastRow;
  rowsRead = 0;
  countedThreads = false;
  /** Runs that grew, by thread. */
  readonly grown = new Map<string, Set<string>>();
  /** The lowest seq of the messages each thread grew by. */
  readonly firstMessage = new Map<string, number>();
  readonly recomputed = new Set<string>();
  /** Of those, the threads whose runs were all read again (else only whole runs went: lostRuns). */
  readonly rereadRuns = new Set<string>();
  readonly lostRuns = new Map<string, string[]>();
  /** Runs, by thread, with rows at rowids that may have been handed out again (table-changes.ts rewrittenRuns). */
  readonly rewritten = new Map<string, Set<string>>();

  constructor(from: LastRow) {
    this.from = from;
  }

  noteRewritten(runs: readonly RewrittenRun[]): void {
    for (const { thread, run } of runs) {
      let ofThread = this.rewritten.get(thread);
      if (!ofThread) this.rewritten.set(thread, (ofThread = new Set()));
      ofThread.add(run);
    }
  }

  changedThreads(): Set<string> {
    return new Set([...this.grown.keys(), ...this.recomputed]);
  }
}

export class KeptThreads {
  private readonly source: KeptThreadsSource;
  private readonly table: EventTable | null;
  private kept: Kept | null = null;
  private file: SqliteSummaryFile | null = null;
  private readonly expired = new Set<string>();
  /** This connection wrote, or the follower could not say which threads changed: the next list looks, whatever data_version says. */
  private lookAgain = false;
  private seenVersion: number | null = null;
  private updating: Promise<ReadonlyMap<string, KeptThread>> | null = null;

  constructor(source: KeptThreadsSource) {
    this.source = source;
    this.table = source.isView ? null : new EventTable(source.db);
  }

  /** The sidecar's summary: a later open lists from it (see thread-summary.ts in handlers). */
  keepIn(file: SqliteSummaryFile): void {
    this.file?.close();
    this.file = file;
  }

  /**
   * These threads changed: checked by their count at the next list. Null (any may have: the follower's
   * word after a runs or threads_meta row went) leaves it to the next list's look at the table, which
   * sees whatever the follower's would in run_events.
   */
  expire(threadIds: readonly string[] | null): void {
    if (threadIds === null) this.lookAgain = true;
    else for (const thread of threadIds) this.expired.add(thread);
  }

  /** This connection committed a write: data_version does not show its own commits. */
  wrote(): void {
    this.lookAgain = true;
  }

  /**
   * Every thread with events, by id; `unchanged`: nothing was committed anywhere since the last call
   * (so the runs table and threads_meta are as they were too).
   */
  async threads(): Promise<{ threads: ReadonlyMap<string, KeptThread>; unchanged: boolean }> {
    // An update under way may have read the table before the caller's last write: wait, then look again.
    while (this.updating) await this.updating.catch(() => {});
    if (this.kept && !this.mayHaveChanged()) return { threads: this.kept.threads, unchanged: true };
    const update = (this.updating = this.update().finally(() => (this.updating = null)));
    return { threads: await update, unchanged: false };
  }

  close(): void {
    this.file?.close();
    this.file = null;
  }

  private mayHaveChanged(): boolean {
    return this.lookAgain || this.expired.size > 0 || this.source.summarySql.dataVersion.get() !== this.seenVersion;
  }

  private async update(): Promise<ReadonlyMap<string, KeptThread>> {
    for (;;) {
      try {
        return await this.updateOnce();
      } catch (error) {
        // Half taken in: the next list starts from the file, or from nothing.
        this.kept = null;
        if (!(error instanceof SummaryFileLost)) throw error;
      }
    }
  }

  private async updateOnce(): Promise<ReadonlyMap<string, KeptThread>> {
    // Read first: a commit while this update reads is looked for again at the next list.
    this.seenVersion = this.source.summarySql.dataVersion.get()!;
    this.lookAgain = false;
    const kept = this.startingPoint();
    const work = new UpdateWork(kept.last);
    const fromFile = kept.saved !== undefined;
    if (this.table) {
      await this.readPages(kept, work, this.table);
      this.source.db.transaction(() => this.finish(kept, work, this.table!))();
    } else {
      this.source.db.transaction(() => this.readView(kept, work))();
    }
    this.kept = kept;
    this.save(kept, work);
    this.source.onWork?.({ fromFile, rowsRead: work.rowsRead, countedThreads: work.countedThreads, recomputed: [...work.recomputed] });
    return kept.threads;
  }

  /** The list in memory, unless another connection saved a newer one (then that), or none yet (then the file's, or nothing). */
  private startingPoint(): Kept {
    if (!this.table) return nothingKept();
    const fileVersion = this.fromFile(() => this.file?.version());
    if (this.kept && this.kept.saved === fileVersion) return this.kept;
    const loaded = fileVersion === undefined ? null : this.fromFile(() => this.file?.load() ?? null);
    return loaded ? { last: loaded.last, threads: new Map(loaded.threads.map((t) => [t.thread_id, t])), runs: new Map(), saved: loaded.version } : nothingKept();
  }

  /**
   * The rows far above the highest rowid seen (the first list: all of them), a page per statement,
   * yielding between pages. Deletes meanwhile show in finish's look, as any other connection's.
   */
  private async readPages(kept: Kept, work: UpdateWork, table: EventTable): Promise<void> {
    if (table.maxRowId() - kept.last.rowId <= PAGE_ROWS) return;
    // Rowids handed out again below the pages: their runs are read again in finish.
    work.noteRewritten(table.rewrittenRuns(kept.last));
    do {
      // A page and the marks of its rows in one read transaction: the marks are of rows it read.
      this.source.db.transaction(() => {
        const to = kept.last.rowId + PAGE_ROWS;
        this.absorb(kept, work, this.source.summarySql.rowsAbove().all({ from: kept.last.rowId, to }));
        kept.last = table.lastRow(to);
      })();
      await new Promise((resolve) => setImmediate(resolve));
    } while (table.maxRowId() - kept.last.rowId > PAGE_ROWS);
  }

  /**
   * In one read transaction: the rows added since; the threads with rows at rowids handed out again
   * (the marks of the rows last seen say which) read again; the threads expired read again if their
   * count (from an index) says rows went; then those the table's count says another connection
   * deleted from, read again too.
   */
  private finish(kept: Kept, work: UpdateWork, table: EventTable): void {
    const expired = [...this.expired];
    this.expired.clear();
    const top = table.maxRowId();
    if (top > kept.last.rowId) this.absorb(kept, work, this.source.summarySql.rowsAbove().all({ from: kept.last.rowId, to: top }));
    for (const thread of work.grown.keys()) this.settle(kept, thread);
    // Before the threads expired: a run written again may have as many rows as their count expects.
    const rewritten = table.rewrittenRuns(kept.last);
    work.noteRewritten(rewritten);
    const anyThread = work.rewritten.size > 0;
    for (const [thread, runs] of work.rewritten) this.recompute(kept, work, thread, runs);
    for (const thread of expired) {
      if (!work.recomputed.has(thread) && this.source.summarySql.threadEvents.get(thread) !== (kept.threads.get(thread)?.event_count ?? 0)) {
        this.recompute(kept, work, thread);
      }
    }
    const total = anyThread ? undefined : [...kept.threads.values()].reduce((sum, t) => sum + t.event_count, 0);
    const counts = () => new Map([...kept.threads].map(([thread, t]) => [thread, t.event_count]));
    const touched = table.deletedOrRewritten(rewritten, { total, counts });
    work.countedThreads = touched.counts !== null;
    for (const thread of touched.threads) if (!work.recomputed.has(thread)) this.recompute(kept, work, thread);
    for (const thread of work.grown.keys()) if (!work.recomputed.has(thread)) this.titleAfterGrowth(kept, work, thread);
    kept.last = table.lastRow(top);
  }

  /** A view: every row, every time. */
  private readView(kept: Kept, work: UpdateWork): void {
    this.absorb(kept, work, this.source.summarySql.allRows.all());
    for (const thread of work.grown.keys()) {
      this.settle(kept, thread);
      this.titleAfterGrowth(kept, work, thread);
    }
  }

  /** Rows added to their runs. */
  private absorb(kept: Kept, work: UpdateWork, rows: SummaryRow[]): void {
    work.rowsRead += rows.length;
    let threadValue: unknown;
    let runValue: unknown;
    let run: RunRow | undefined;
    for (const [, thread, runId, seq, category, createdAt] of rows) {
      // Rows come in runs: look the run up only when it changes.
      if (thread !== threadValue || runId !== runValue || run === undefined) {
        threadValue = thread;
        runValue = runId;
        run = this.growingRun(kept, work, String(thread), String(runId));
      }
      const first = run.event_count === 0;
      if (first || seq < run.first_seq) run.first_seq = seq;
      if (first || seq > run.last_seq) run.last_seq = seq;
      run.event_count++;
      // Compared as stored: DeerFlow's UTC text sorts in time order.
      const stamp = createdAt === null ? null : String(createdAt);
      if (stamp !== null && (run.first_created_at === null || stamp < run.first_created_at)) run.first_created_at = stamp;
      if (stamp !== null && (run.last_created_at === null || stamp > run.last_created_at)) run.last_created_at = stamp;
      if (category === 'message') {
        run.message_count++;
        const lowest = work.firstMessage.get(run.thread_id);
        if (lowest === undefined || seq < lowest) work.firstMessage.set(run.thread_id, seq);
      }
    }
  }

  private growingRun(kept: Kept, work: UpdateWork, thread: string, runId: string): RunRow {
    const runs = this.runsOf(kept, thread);
    let run = runs.get(runId);
    if (!run) {
      run = { thread_id: thread, run_id: runId, event_count: 0, message_count: 0, first_seq: 0, last_seq: 0, first_created_at: null, last_created_at: null };
      runs.set(runId, run);
    }
    let grown = work.grown.get(thread);
    if (!grown) work.grown.set(thread, (grown = new Set()));
    grown.add(runId);
    return run;
  }

  /** A thread's runs, read from the file the first time they are needed (a thread the list does not have has none there). */
  private runsOf(kept: Kept, thread: string): Map<string, RunRow> {
    let runs = kept.runs.get(thread);
    if (!runs) {
      const stored = kept.saved !== undefined && kept.threads.has(thread) ? this.fromFile(() => this.file!.runsOf(thread)) : [];
      kept.runs.set(thread, (runs = new Map(stored.map((run) => [run.run_id, run]))));
    }
    return runs;
  }

  /**
   * A thread read again: when its count says only whole runs went (DeerFlow deletes a run, or a thread,
   * whole), by a seek per run kept; else from the indexes, its runs' counts and seq ranges, and the span
   * of those whose count or seq range changed (reading their rows). Its title looked for from its first
   * message. `rewritten`: these runs have rows at rowids handed out again, which may have kept their
   * count and seq range, so their stamps are read whatever their version, and the latest run's status.
   */
  private recompute(kept: Kept, work: UpdateWork, thread: string, rewritten?: ReadonlySet<string>): void {
    work.recomputed.add(thread);
    const before = this.runsOf(kept, thread);
    let runs = rewritten ? null : this.withoutLostRuns(thread, before);
    if (runs) {
      work.lostRuns.set(thread, [...before.keys()].filter((run) => !runs!.has(run)));
    } else {
      runs = this.runsFromIndexes(thread, rewritten ? new Map([...before].filter(([run]) => !rewritten.has(run))) : before);
      work.rereadRuns.add(thread);
    }
    kept.runs.set(thread, runs);
    const known = kept.threads.get(thread);
    if (rewritten && known) known.last_run_version = null;
    const entry = this.settle(kept, thread);
    if (!entry) return;
    entry.title = null;
    entry.title_seq = null;
    entry.title_after = 0;
    this.findTitle(kept, entry, 0);
  }

  /** The runs still there, if they hold every row the thread has: else null. */
  private withoutLostRuns(thread: string, runs: ReadonlyMap<string, RunRow>): Map<string, RunRow> | null {
    const left = [...runs.values()].filter((run) => this.source.summarySql.runExists.get(thread, run.run_id) !== undefined);
    const rows = left.reduce((sum, run) => sum + run.event_count, 0);
    return rows === this.source.summarySql.threadEvents.get(thread) ? new Map(left.map((run) => [run.run_id, run])) : null;
  }

  private runsFromIndexes(thread: string, before: ReadonlyMap<string, RunRow>): Map<string, RunRow> {
    const runs = new Map<string, RunRow>();
    for (const row of this.source.sql.runs.all({ thread })) {
      const known = before.get(row.run_id);
      if (known && runVersion(known) === runVersion(row)) {
        runs.set(row.run_id, known);
        continue;
      }
      const stamps = this.source.summarySql.runStamps.get(thread, row.run_id);
      const stamp = (value: unknown) => (value === null || value === undefined ? null : String(value));
      runs.set(row.run_id, { thread_id: thread, ...row, first_created_at: stamp(stamps?.first_created_at), last_created_at: stamp(stamps?.last_created_at) });
    }
    return runs;
  }

  /** A thread's entry made again from its runs (gone when it has none), with its latest run's status from the events when that run changed. */
  private settle(kept: Kept, thread: string): KeptThread | undefined {
    const { lastRun, ...totals } = threadTotals(this.runsOf(kept, thread).values());
    if (!lastRun) {
      kept.threads.delete(thread);
      kept.runs.delete(thread);
      return undefined;
    }
    const entry: KeptThread = kept.threads.get(thread) ?? {
      thread_id: thread,
      ...totals,
      last_run_id: null,
      last_run_version: null,
      last_run_status: null,
      title: null,
      title_seq: null,
      title_after: 0,
    };
    Object.assign(entry, totals);
    const version = runVersion(lastRun);
    if (entry.last_run_id !== lastRun.run_id || entry.last_run_version !== version) {
      const outcome = this.source.sql.lastOutcome.get(thread, lastRun.run_id);
      entry.last_run_id = lastRun.run_id;
      entry.last_run_version = version;
      entry.last_run_status = outcomeOf(outcome ? rowToEvent(outcome) : undefined).status ?? null;
    }
    kept.threads.set(thread, entry);
    return entry;
  }

  /** New messages may come before the title (or be the first human one): only they, and those never read, are read. */
  private titleAfterGrowth(kept: Kept, work: UpdateWork, thread: string): void {
    const entry = kept.threads.get(thread);
    const lowest = work.firstMessage.get(thread);
    if (!entry || lowest === undefined) return;
    if (entry.title_seq === null) this.findTitle(kept, entry, Math.min(lowest - 1, entry.title_after));
    else if (lowest < entry.title_seq) this.findTitle(kept, entry, lowest - 1);
  }

  /** The first human message with a seq above `after` and below the title's (if any) is the title; none: every message up to now is read. */
  private findTitle(kept: Kept, entry: KeptThread, after: number): void {
    const before = entry.title_seq ?? NO_SEQ_ABOVE;
    for (let from = after; ; ) {
      const page = this.source.summarySql.humanCandidates.all({ thread: entry.thread_id, after: from, before, limit: TITLE_PAGE });
      for (const row of page) {
        const title = firstHumanText([this.source.toEvent(row)]);
        if (title === null) continue;
        entry.title = title;
        entry.title_seq = row.seq;
        return;
      }
      if (page.length < TITLE_PAGE) break;
      from = page[page.length - 1].seq;
    }
    if (entry.title_seq === null) entry.title_after = Math.max(entry.title_after, highestSeq(this.runsOf(kept, entry.thread_id).values()));
  }

  /** The changed threads into the file, from the save the list was read from (all of them when it was in memory only). */
  private save(kept: Kept, work: UpdateWork): void {
    if (!this.file || !this.table) return;
    const everything = kept.saved === undefined;
    const threads = everything ? new Set([...kept.threads.keys(), ...work.recomputed]) : work.changedThreads();
    const writes = new Map<string, ThreadWrite>();
    for (const thread of threads) {
      const runs = kept.runs.get(thread);
      const replaceRuns = everything || work.rereadRuns.has(thread);
      const grown = [...(work.grown.get(thread) ?? [])].flatMap((run) => runs?.get(run) ?? []);
      const changed = replaceRuns ? [...(runs?.values() ?? [])] : grown;
      writes.set(thread, { thread: kept.threads.get(thread) ?? null, runs: changed, removedRuns: replaceRuns ? [] : (work.lostRuns.get(thread) ?? []), replaceRuns });
    }
    // Nothing to write (a commit to the runs table, say): another store on the file need not read it again.
    if (writes.size === 0 && JSON.stringify(kept.last) === JSON.stringify(work.from)) return;
    try {
      const { saved, version } = this.file.save(kept.saved, kept.last, writes);
      if (!saved) return;
      kept.saved = version;
      // Every run is in the file now: read from there when next needed.
      if (everything) kept.runs.clear();
    } catch (error) {
      // Another connection held the file past the busy timeout (the search index's build): saved at the next list.
      if ((error as { code?: string }).code === 'SQLITE_BUSY') return;
      this.dropFile();
      // Runs read from the file only: the next list starts from nothing, in memory.
      if (!everything) this.kept = null;
    }
  }

  private fromFile<T>(read: () => T): T {
    try {
      return read();
    } catch {
      this.dropFile();
      throw new SummaryFileLost();
    }
  }

  private dropFile(): void {
    this.file?.close();
    this.file = null;
  }
}
