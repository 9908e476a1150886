// The sqlite backend: DeerFlow's own run_events database, read and written in
// its encoding, with no schema change to a file this app did not create.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../../../src-shared/errors.ts';
import type {
  EventCounts,
  EventInput,
  InspectorStore,
  JsonValue,
  ListEventsOptions,
  ListMessagesOptions,
  OverviewOptions,
  RecordedRun,
  RunEvent,
  RunSummary,
  SourceInfo,
  SourceIssue,
  ThreadOverview,
  ThreadSummary,
} from '../../../src-shared/types.ts';
import { NO_RECORDS, type DeletedRecords, type RunRecordCounts } from '../../../src-shared/run-records.ts';
import { DEFAULT_EVENT_LIMIT, DEFAULT_MESSAGE_LIMIT } from '../event-index.ts';
import { bucketing, type Bucketing } from '../../../src-shared/overview-buckets.ts';
import { checkBuckets, checkMarks, emptyOverview, type MarksWanted, noMarksYet, type OverviewMarks, withMarks, withoutMarks, zeroOverview } from '../overview.ts';
import { aiUsageOf, outcomeOf, UsageTally, type AiUsage, type RunOutcome } from '../run-facts.ts';
import type { RunRecordsStore } from '../run-records.ts';
import { addThreadsWithoutEvents, foldCounts, recordedRunOf, stringOrNull, summaryFromRunsRow } from '../table-values.ts';
import {
  checkEventInput,
  checkEventInputs,
  checkId,
  checkListEventsOptions,
  checkListMessagesOptions,
} from '../validate.ts';
import { createdAtFromDb, eventToRow, rowDecoder, rowToEvent, writtenRow } from './encoding.ts';
import { createDatabase, isAppDatabase } from './new-database.ts';
import { ROW_TEXT_COLUMNS, RowBatchWriter, type RowBatch } from './row-batch.ts';
import { KeptThreads, type SummaryWork } from './kept-threads.ts';
import type { EventRow, RunRow, RunsTableRow } from './rows.ts';
import { assertSqliteFile, detectSchema, type SqliteSchema } from './schema.ts';
import {
  ATTACH_IMPORTED_SQL,
  copyImportedSql,
  DETACH_IMPORTED_SQL,
  type ExportReader,
  prepareExportStatements,
  prepareRecordStatements,
  prepareStatements,
  prepareSummaryStatements,
  type RecordStatements,
  type Statements,
  type SummaryStatements,
  type Window,
} from './sql.ts';
import type { SqliteMarksFile } from './marks-file.ts';
import type { KeptThread, SqliteSummaryFile } from './summary-file.ts';
import { VersionedCache } from './versioned-cache.ts';

export interface OpenSqliteOptions {
  /** Create the file with DeerFlow's schema when it does not exist. */
  create: boolean;
  readOnly?: boolean;
  /** Told what each update of the kept thread list read (tests, the benchmark). */
  onSummaryWork?: (work: SummaryWork) => void;
}

/** How long a statement waits for another process's write lock (a live agent writes short transactions). */
export const BUSY_TIMEOUT_MS = 5000;
const NO_LIMIT = -1;
/** Per connection, never stored in the file: index-heavy inserts and big-thread scans need more than the default 2 MiB. */
const CACHE_KIB = 64 * 1024;

export function openSqliteStore(file: string, options: OpenSqliteOptions): SqliteStore {
  const absolute = path.resolve(file);
  if (!fs.existsSync(absolute)) {
    if (!options.create || options.readOnly) throw new StoreError('SOURCE', `${absolute}: no such database`);
    try {
      createDatabase(absolute);
    } catch (error) {
      throw new StoreError('SOURCE', `${absolute}: cannot be created (${(error as Error).message})`);
    }
  }
  assertSqliteFile(absolute);

  const db = new Database(absolute, { readonly: options.readOnly ?? false, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma(`cache_size = -${CACHE_KIB}`);
    // Per connection too; safe in WAL mode (the mode of files we create), which is what makes it fast.
    if (db.pragma('journal_mode', { simple: true }) === 'wal' && !options.readOnly) db.pragma('synchronous = NORMAL');
    return new SqliteStore(db, absolute, detectSchema(db, absolute), options.readOnly ?? false, options.onSummaryWork);
  } catch (error) {
    db.close();
    throw storeErrorFrom(error, absolute);
  }
}

/** SQLite's failures as the store's errors, naming the file: callers tell a damaged or locked file from a bug. */
export function storeErrorFrom(error: unknown, file: string): unknown {
  if (error instanceof StoreError || !(error instanceof Database.SqliteError)) return error;
  const code = error.code;
  if (code.startsWith('SQLITE_READONLY')) return new StoreError('READ_ONLY', `${file} cannot be written (${error.message})`);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError('SOURCE', `${file} is locked by another process; try again`);
  }
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
    return new StoreError('SOURCE', `${file} is damaged: ${error.message}`);
  }
  return new StoreError('SOURCE', `${file}: ${error.message}`);
}

/**
 * Cursors as a SQL window, seq > after AND seq < before. The defaults also
 * keep out rows another writer gave a seq that is not a positive integer
 * (SQLite sorts text after every number).
 */
function windowOf({ limit, afterSeq, beforeSeq }: ListMessagesOptions): Window {
  return { after: afterSeq ?? 0, before: beforeSeq ?? Number.MAX_SAFE_INTEGER + 1, limit: limit ?? NO_LIMIT };
}

/** DESIGN.md §2 guarantee 4: with afterSeq the first `limit` of the window, otherwise the last `limit`, ascending. */
function pageRows<P extends Window>(
  forward: Database.Statement<[P], EventRow>,
  backward: Database.Statement<[P], EventRow>,
  params: P,
  hasAfter: boolean,
  toEvent: (row: EventRow) => RunEvent,
): RunEvent[] {
  if (hasAfter) return forward.all(params).map(toEvent);
  return backward.all(params).map(toEvent).reverse();
}

/** JSON text SQLite extracted (valid by construction), or null. */
const parseJson = (text: string | null): JsonValue => (text === null ? null : (JSON.parse(text) as JsonValue));

/** Earliest and latest created_at, as the store returns them. */
interface Span {
  first: string | null;
  last: string | null;
}

/** What a run's events say about it, kept while the run is unchanged. */
interface RunFacts extends Span {
  outcome: RunOutcome;
  figures: Pick<RunSummary, 'llm_calls' | 'tool_calls' | 'tool_errors'>;
  /** Read only for a run the runs table does not have. */
  usage?: AiUsage;
}

/** Threads in id order (the SQL BINARY order for the ids DeerFlow writes). */
const byThreadId = (a: KeptThread, b: KeptThread) => (a.thread_id < b.thread_id ? -1 : a.thread_id > b.thread_id ? 1 : 0);

/** The store on a connection someone else opened (a database an import is building), with this store's cache size. */
export function storeOnConnection(db: Database.Database, file: string): SqliteStore {
  db.pragma(`cache_size = -${CACHE_KIB}`);
  return new SqliteStore(db, file, detectSchema(db, file), false);
}

export class SqliteStore implements InspectorStore, RunRecordsStore {
  readonly info: SourceInfo;
  /** run_events columns this app does not know, whose values each record shows after its own keys (schema.ts). */
  readonly extraColumns: readonly string[];
  /** This app created the file (new-database.ts marks its header): things derived from it may be kept beside it. */
  readonly createdByApp: boolean;
  private readonly db: Database.Database;
  private readonly schema: SqliteSchema;
  private readonly sql: Statements;
  /** DeerFlow's run records beside the events (a DeerFlow-style delete's); null without a runs table. */
  private readonly records: RecordStatements | null;
  /** The record of a row, with the extra columns' values. */
  private readonly toEvent: (row: EventRow) => RunEvent;
  /**
   * Highest seq a deleted run took with it, per thread, so the next seq stays
   * above it as in the memory backend (guarantee 8). Kept only while the
   * process lives: DeerFlow itself uses max(seq) + 1.
   */
  private readonly deletedHighWater = new Map<string, number>();
  /** The thread list, kept up to date (kept-threads.ts), in the sidecar once the session gives it one (keepSummaryIn). */
  private readonly keptThreads: KeptThreads;
  private readonly summarySql: SummaryStatements;
  /** The last thread list, as made: answered again while nothing commits. */
  private listed: ThreadSummary[] | null = null;
  /** Per thread, what its runs' events say. */
  private readonly runFacts = new Map<string, VersionedCache<RunFacts>>();
  /**
   * Per thread, its overview strip's counts for the bucket count last asked for; `marked`: its
   * errors and failed tool calls are counted (else they are zeros to be filled).
   */
  private readonly overviews = new VersionedCache<{ overview: ThreadOverview; marked: boolean }>();
  private readonly overviewMarks = new Map<string, OverviewMarks>();
  /** The threads whose marks came from the marks file (keepMarksIn): the whole-table pass's answer replaces them. */
  private readonly marksFromFile = new Set<string>();
  private marksFile: SqliteMarksFile | null = null;

  constructor(db: Database.Database, file: string, schema: SqliteSchema, readOnly: boolean, onSummaryWork?: (work: SummaryWork) => void) {
    this.db = db;
    this.schema = schema;
    this.info = { kind: 'sqlite', path: file, readOnly };
    this.sql = prepareStatements(db, schema);
    this.records = prepareRecordStatements(db, schema);
    this.extraColumns = schema.extraColumns.map((c) => c.name);
    this.toEvent = rowDecoder(this.extraColumns);
    this.createdByApp = isAppDatabase(db);
    this.summarySql = prepareSummaryStatements(db, schema);
    this.keptThreads = new KeptThreads({
      db,
      sql: this.sql,
      summarySql: this.summarySql,
      isView: schema.eventsView,
      toEvent: this.toEvent,
      onWork: onSummaryWork,
    });
  }

  private assertWritable(inserting: boolean): void {
    if (this.info.readOnly) throw new StoreError('READ_ONLY', `${this.info.path} is open read-only`);
    if (this.schema.eventsView) throw new StoreError('READ_ONLY', `${this.info.path}: run_events is a view, so it cannot be written`);
    if (inserting && this.schema.unfillableColumns.length > 0) {
      throw new StoreError(
        'READ_ONLY',
        `${this.info.path}: cannot add events, run_events has required columns this app does not know: ${this.schema.unfillableColumns.join(', ')}`,
      );
    }
  }

  /** A write transaction that takes the write lock at once, so max(seq) cannot change under it. */
  private write<T>(work: () => T): T {
    try {
      return this.db.transaction(work).immediate();
    } catch (error) {
      throw storeErrorFrom(error, this.info.path!);
    } finally {
      this.keptThreads.wrote();
    }
  }

  private read<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw storeErrorFrom(error, this.info.path!);
    }
  }

  /** Seq allocator for one transaction: max(seq) + 1 per thread, then consecutive. */
  private allocator(): (threadId: string) => number {
    const next = new Map<string, number>();
    return (threadId) => {
      const seq = next.get(threadId) ?? Math.max(this.sql.maxSeq.get(threadId) ?? 0, this.deletedHighWater.get(threadId) ?? 0) + 1;
      next.set(threadId, seq + 1);
      return seq;
    };
  }

  private insert(input: EventInput, seq: number): RunEvent {
    const row = eventToRow(input, seq);
    const extras = this.sql.insert(row);
    // Decoding what was written makes the returned record exactly what a later query returns.
    const stored = writtenRow(row, this.schema.userId);
    return this.toEvent(extras ? { ...stored, ...extras } : stored);
  }

  async put(event: EventInput): Promise<RunEvent> {
    const input = checkEventInput(event);
    this.assertWritable(true);
    return this.write(() => this.insert(input, this.allocator()(input.thread_id)));
  }

  async putBatch(events: EventInput[]): Promise<RunEvent[]> {
    const inputs = checkEventInputs(events);
    if (inputs.length === 0) return [];
    this.assertWritable(true);
    return this.write(() => {
      const seqFor = this.allocator();
      return inputs.map((input) => this.insert(input, seqFor(input.thread_id)));
    });
  }

  async putIfAbsent(event: EventInput): Promise<{ event: RunEvent; created: boolean }> {
    const input = checkEventInput(event);
    this.assertWritable(true);
    return this.write(() => {
      const existing = this.sql.firstOfType.get(input.thread_id, input.run_id, input.event_type);
      if (existing) return { event: this.toEvent(existing), created: false };
      return { event: this.insert(input, this.allocator()(input.thread_id)), created: true };
    });
  }

  /**
   * Import: records keep their seq and owner; a (thread_id, seq) the database
   * already has is skipped, so importing an export twice adds nothing. One
   * transaction per call.
   */
  importEvents(records: RunEvent[]): { imported: number; duplicates: number } {
    this.assertWritable(true);
    const writer = new RowBatchWriter(this.extraColumns);
    for (const record of records) writer.addRecord(record);
    return this.importRows(writer.take());
  }

  /** importEvents for rows an import has already checked and encoded (with a value for each of extraColumns). */
  importRows(batch: RowBatch): { imported: number; duplicates: number } {
    this.assertWritable(true);
    if (batch.rows > 0 && batch.columns !== ROW_TEXT_COLUMNS.length + this.extraColumns.length) {
      throw new StoreError('INTERNAL', `${this.info.path}: rows of ${batch.columns} values for a table that takes ${ROW_TEXT_COLUMNS.length + this.extraColumns.length}`);
    }
    const imported = this.write(() => this.sql.insertBatch(batch));
    return { imported, duplicates: batch.rows - imported };
  }

  /** importEvents for every event of another database of this app's making (an import's own); returns how many were added. */
  importDatabase(file: string): number {
    this.assertWritable(true);
    this.db.prepare(ATTACH_IMPORTED_SQL).run(file);
    try {
      return this.write(() => this.db.prepare(copyImportedSql(this.schema)).run().changes);
    } finally {
      this.db.exec(DETACH_IMPORTED_SQL);
    }
  }

  async listMessages(threadId: string, options?: ListMessagesOptions): Promise<RunEvent[]> {
    const thread = checkId(threadId, 'threadId');
    const { limit = DEFAULT_MESSAGE_LIMIT, ...cursors } = checkListMessagesOptions(options);
    const params = { thread, ...windowOf({ limit, ...cursors }) };
    return this.read(() => pageRows(this.sql.messagesForward, this.sql.messagesBackward, params, cursors.afterSeq !== undefined, this.toEvent));
  }

  async listMessagesByRun(threadId: string, runId: string, options?: ListMessagesOptions): Promise<RunEvent[]> {
    const thread = checkId(threadId, 'threadId');
    const run = checkId(runId, 'runId');
    const page = checkListMessagesOptions(options);
    const params = { thread, run, ...windowOf(page) };
    return this.read(() => pageRows(this.sql.runMessagesForward, this.sql.runMessagesBackward, params, page.afterSeq !== undefined, this.toEvent));
  }

  async listEvents(threadId: string, runId: string, options?: ListEventsOptions): Promise<RunEvent[]> {
    const thread = checkId(threadId, 'threadId');
    const run = checkId(runId, 'runId');
    const { eventTypes, taskId, limit = DEFAULT_EVENT_LIMIT, afterSeq } = checkListEventsOptions(options);
    const page = { thread, run, ...windowOf({ afterSeq, limit }) };
    if (eventTypes === undefined && taskId === undefined) return this.read(() => this.sql.events.all(page).map(this.toEvent));
    const filtered = { ...page, types: eventTypes ? JSON.stringify(eventTypes) : null, task: taskId ?? null };
    return this.read(() => this.sql.filteredEvents.all(filtered).map(this.toEvent));
  }

  async countMessages(threadId: string): Promise<number> {
    const thread = checkId(threadId, 'threadId');
    return this.read(() => this.sql.countMessages.get(thread) ?? 0);
  }

  async deleteByThread(threadId: string): Promise<number> {
    return this.removeThread(threadId, false).events;
  }

  async deleteByRun(threadId: string, runId: string): Promise<number> {
    return this.removeRun(threadId, runId, false).events;
  }

  async deletableRecords(threadId: string, runId?: string): Promise<RunRecordCounts | null> {
    const thread = checkId(threadId, 'threadId');
    const run = runId === undefined ? null : checkId(runId, 'runId');
    if (!this.records || this.info.readOnly || this.schema.eventsView) return null;
    return this.read(() => this.records!.counts({ thread, run }));
  }

  async deleteWithRecords(threadId: string, runId?: string): Promise<DeletedRecords> {
    return runId === undefined ? this.removeThread(threadId, true) : this.removeRun(threadId, runId, true);
  }

  /** The run records that go with a delete's events, in its transaction: when asked for and the database keeps them. */
  private removeRecords(thread: string, run: string | null, withRecords: boolean): Omit<DeletedRecords, 'events'> {
    return withRecords && this.records ? this.records.remove({ thread, run }) : NO_RECORDS;
  }

  private removeThread(threadId: string, withRecords: boolean): DeletedRecords {
    const thread = checkId(threadId, 'threadId');
    this.assertWritable(false);
    const removed = this.write(() => {
      const events = this.sql.deleteThread(thread);
      return { events, ...this.removeRecords(thread, null, withRecords) };
    });
    this.deletedHighWater.delete(thread);
    if (removed.events > 0) this.keptThreads.expire([thread]);
    // New events may give it the same count and seq range again.
    this.runFacts.delete(thread);
    this.overviews.delete(thread);
    this.overviewMarks.delete(thread);
    this.marksFromFile.delete(thread);
    return removed;
  }

  private removeRun(threadId: string, runId: string, withRecords: boolean): DeletedRecords {
    const thread = checkId(threadId, 'threadId');
    const run = checkId(runId, 'runId');
    this.assertWritable(false);
    const { highest, removed } = this.write(() => {
      const top = this.sql.maxSeq.get(thread) ?? 0;
      const events = this.sql.deleteRun(thread, run);
      return { highest: top, removed: { events, ...this.removeRecords(thread, run, withRecords) } };
    });
    if (removed.events > 0) {
      this.deletedHighWater.set(thread, Math.max(highest, this.deletedHighWater.get(thread) ?? 0));
      this.keptThreads.expire([thread]);
    }
    return removed;
  }

  async listThreads(): Promise<ThreadSummary[]> {
    let kept: Awaited<ReturnType<KeptThreads['threads']>>;
    try {
      kept = await this.keptThreads.threads();
    } catch (error) {
      throw storeErrorFrom(error, this.info.path!);
    }
    // Nothing committed anywhere since the last list: its names and statuses are as they were too.
    if (!kept.unchanged || !this.listed) this.listed = this.read(() => this.threadSummaries(kept.threads));
    return this.listed.map((thread) => ({ ...thread }));
  }

  /** The kept threads with threads_meta's names and the runs table's statuses, read now (they change in place). */
  private threadSummaries(kept: ReadonlyMap<string, KeptThread>): ThreadSummary[] {
    const names = new Map<string, string | null>();
    for (const row of this.sql.metaThreads?.all() ?? []) names.set(row.thread_id, stringOrNull(row.display_name));
    const ordered = [...kept.values()].sort(byThreadId);
    const statuses = this.runStatuses(ordered.flatMap((thread) => (thread.last_run_id === null ? [] : [thread.last_run_id])));
    const threads: ThreadSummary[] = ordered.map((thread) => ({
      thread_id: thread.thread_id,
      display_name: names.get(thread.thread_id) ?? null,
      message_count: thread.message_count,
      event_count: thread.event_count,
      run_count: thread.run_count,
      first_created_at: createdAtFromDb(thread.first_created_at),
      last_created_at: createdAtFromDb(thread.last_created_at),
      last_run_status: thread.last_run_id === null ? null : (stringOrNull(statuses.get(thread.last_run_id)) ?? thread.last_run_status),
      title: thread.title,
    }));
    addThreadsWithoutEvents(threads, names);
    return threads;
  }

  /** The `runs` status of these runs, by run id; none without the table or its column. */
  private runStatuses(runIds: string[]): Map<unknown, unknown> {
    if (!this.summarySql.runStatuses || runIds.length === 0) return new Map();
    return new Map(this.summarySql.runStatuses.all(JSON.stringify(runIds)).map((row) => [row.run_id, row.status]));
  }

  /** The live follower's word: these threads changed (null: any may have), so the kept list reads them again. */
  expire(threadIds: readonly string[] | null): void {
    this.keptThreads.expire(threadIds);
  }

  /** Keeps the thread list in the source's sidecar, so a later open reads only what changed since; the session gives it before the first list. */
  keepSummaryIn(file: SqliteSummaryFile): void {
    this.keptThreads.keepIn(file);
  }

  private outcomeFromEvents(thread: string, run: string): RunOutcome {
    const outcome = this.sql.lastOutcome.get(thread, run);
    return outcomeOf(outcome ? rowToEvent(outcome) : undefined);
  }

  /** The `runs` rows of these runs, by run id; empty without the table. */
  private runsTableRows(runIds: string[]): Map<string, RunsTableRow> {
    if (!this.sql.runsTable || runIds.length === 0) return new Map();
    return new Map(this.sql.runsTable.all(JSON.stringify(runIds)).map((r) => [r.run_id, r]));
  }

  async listRuns(threadId: string): Promise<RunSummary[]> {
    const thread = checkId(threadId, 'threadId');
    return this.read(() => this.runSummaries(thread));
  }

  private runSummaries(thread: string): RunSummary[] {
    const rows = this.sql.runs.all({ thread });
    const table = this.runsTableRows(rows.map((r) => r.run_id));
    const known = this.runFacts.get(thread) ?? new VersionedCache<RunFacts>();
    this.runFacts.set(thread, known);
    known.keepOnly(rows.map((r) => r.run_id));
    return rows.map((row) => {
      const facts = this.factsOf(known, thread, row);
      const summary = {
        run_id: row.run_id,
        message_count: row.message_count,
        event_count: row.event_count,
        first_created_at: facts.first,
        last_created_at: facts.last,
        first_seq: row.first_seq,
        last_seq: row.last_seq,
        ...facts.figures,
      };
      // DeerFlow's runs table is the authority where it has the run.
      const run = table.get(row.run_id);
      if (run) return { ...summary, ...summaryFromRunsRow(run, facts.outcome) };
      facts.usage ??= this.usageFromMessages(thread, row.run_id);
      return { ...summary, ...facts.outcome, stop_reason: null, model_name: facts.usage.model, total_tokens: facts.usage.tokens };
    });
  }

  /**
   * What a run's events say about it. Its span reads every row of the run,
   * so the facts are kept while the run's count and seq range are unchanged
   * (events are only ever added and deleted).
   */
  private factsOf(known: VersionedCache<RunFacts>, thread: string, row: RunRow): RunFacts {
    const version = `${row.event_count}:${row.first_seq}:${row.last_seq}`;
    const kept = known.get(row.run_id, version);
    if (kept) return kept;
    const stamps = this.sql.runSpan.get(thread, row.run_id);
    const facts: RunFacts = {
      first: createdAtFromDb(stamps?.first_created_at),
      last: createdAtFromDb(stamps?.last_created_at),
      outcome: this.outcomeFromEvents(thread, row.run_id),
      figures: { llm_calls: stamps?.llm_calls ?? 0, tool_calls: stamps?.tool_calls ?? 0, tool_errors: stamps?.tool_errors ?? 0 },
    };
    known.set(row.run_id, version, facts);
    return facts;
  }

  private usageFromMessages(thread: string, run: string): AiUsage {
    const tally = new UsageTally();
    for (const row of this.sql.runUsage.all(thread, run)) {
      const content = { usage_metadata: parseJson(row.usage_metadata), response_metadata: parseJson(row.response_metadata) };
      tally.add(row.seq, aiUsageOf(content, { usage: parseJson(row.usage), model_name: parseJson(row.model_name) }));
    }
    return tally;
  }

  async recordedRun(threadId: string, runId: string): Promise<RecordedRun | null> {
    const thread = checkId(threadId, 'threadId');
    const run = checkId(runId, 'runId');
    const row = this.sql.recordedRun && this.read(() => this.sql.recordedRun?.get({ thread, run }));
    return row ? recordedRunOf(row) : null;
  }

  async threadOverview(threadId: string, buckets: number, options?: OverviewOptions): Promise<ThreadOverview> {
    const thread = checkId(threadId, 'threadId');
    const wanted = checkBuckets(buckets);
    const marks = checkMarks(options);
    return this.read(() => {
      const { overview, marked } = this.overviewOf(thread, wanted, marks);
      return structuredClone(marks !== false && marked ? overview : withoutMarks(overview));
    });
  }

  /**
   * Events and messages from an index; the errors and failed tool calls from the seqs kept of them
   * (marksOf), counted in when asked for (and, for `'kept'`, when at hand). A count with marks
   * stands for one without.
   */
  private overviewOf(thread: string, buckets: number, marks: MarksWanted): { overview: ThreadOverview; marked: boolean } {
    const range = this.sql.threadRange.get({ thread });
    if (!range || range.first_seq === null || range.last_seq === null) return { overview: emptyOverview(), marked: true };
    const version = `${range.event_count}:${range.first_seq}:${range.last_seq}:${buckets}`;
    const kept = this.overviews.get(thread, version);
    if (kept && (kept.marked || marks === false)) return kept;
    const cut = bucketing(range.first_seq, range.last_seq, buckets);
    const overview = kept?.overview ?? this.overviewCounts(thread, cut);
    const found = marks === false ? null : this.marksOf(thread, { first: range.first_seq, last: range.last_seq, count: range.event_count }, marks === 'kept');
    if (found) withMarks(overview, cut, found);
    const entry = { overview, marked: found !== null };
    this.overviews.set(thread, version, entry);
    return entry;
  }

  private overviewCounts(thread: string, cut: Bucketing): ThreadOverview {
    const overview = zeroOverview(cut);
    const { events, messages } = overview.buckets;
    for (const row of this.sql.overviewCounts.all({ thread, first: cut.first, last: cut.last, width: cut.width })) {
      events[row.bucket] = row.events;
      messages[row.bucket] = row.messages;
    }
    return overview;
  }

  /**
   * Finding a thread's errors and failed tool calls reads every row of it
   * (some 150 ms for 200,000 events), so their seqs are kept. Events are only
   * ever added above the highest seq and deleted: when the events added since
   * are exactly those above the last seq read, only they are read (a live
   * run's new events), else the whole thread again — unless `onlyKept`,
   * which answers null rather than read the whole thread.
   */
  private marksOf(thread: string, now: Pick<OverviewMarks, 'first' | 'last' | 'count'>, onlyKept = false): OverviewMarks | null {
    const known = this.overviewMarks.get(thread);
    const onlyAdded = known !== undefined && known.first === now.first && now.last >= known.last && this.sql.countAfter.get({ thread, after: known.last }) === now.count - known.count;
    if (!onlyAdded && onlyKept) return null;
    const marks: OverviewMarks = onlyAdded ? known : noMarksYet(now);
    if (!onlyAdded) this.marksFromFile.delete(thread);
    if (marks.last < now.last) {
      for (const row of this.sql.overviewMarks.all({ thread, after: marks.last, last: now.last })) {
        if (row.error) marks.errors.push(row.seq);
        if (row.tool_error) marks.toolErrors.push(row.seq);
      }
    }
    marks.last = now.last;
    marks.count = now.count;
    this.overviewMarks.set(thread, marks);
    return marks;
  }

  /**
   * Every thread's marks from one pass over the table, a page of rowids per
   * statement (a writer in rollback-journal mode waits for one page at most);
   * the read worker (src-main/reads/) runs it once the source is open and
   * keeps the answer with seedOverviewMarks. Yields to the event loop between
   * pages, where `signal` (a cancel) is heard and reads asked meanwhile are answered.
   */
  async scanOverviewMarks(signal?: AbortSignal, pageRows = 50_000): Promise<Map<string, OverviewMarks>> {
    const found = new Map<string, OverviewMarks>();
    const top = this.read(() => this.sql.maxRowId().get()) ?? 0;
    for (let from = 0; from < top; from += pageRows) {
      await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted) throw new StoreError('CANCELLED', 'cancelled');
      const page = this.read(() => this.sql.tableMarks().all({ from, to: Math.min(top, from + pageRows) }));
      for (const row of page) {
        let marks = found.get(row.thread_id);
        if (!marks) found.set(row.thread_id, (marks = { first: row.seq, last: row.seq, count: 0, errors: [], toolErrors: [] }));
        marks.count++;
        if (row.seq < marks.first) marks.first = row.seq;
        if (row.seq > marks.last) marks.last = row.seq;
        if (row.error) marks.errors.push(row.seq);
        if (row.tool_error) marks.toolErrors.push(row.seq);
      }
    }
    for (const marks of found.values()) {
      marks.errors.sort((a, b) => a - b);
      marks.toolErrors.sort((a, b) => a - b);
    }
    return found;
  }

  /**
   * Marks found by the whole-table pass (scanOverviewMarks), kept for the threads not
   * counted one by one meanwhile. marksOf checks them against the thread as it is
   * when asked (its first seq, last seq and count), as it checks its own.
   */
  seedOverviewMarks(found: ReadonlyMap<string, OverviewMarks>): void {
    for (const [thread, marks] of found) {
      if (this.overviewMarks.has(thread) && !this.marksFromFile.has(thread)) continue;
      this.overviewMarks.set(thread, marks);
      // A strip counted with the file's marks is counted again with these.
      if (this.marksFromFile.delete(thread)) this.overviews.delete(thread);
    }
    this.marksFile?.save(found);
  }

  /**
   * Keeps the whole-table pass's marks in the source's sidecar (marks-file.ts), and takes those a
   * pass of an earlier session kept: a strip has its markers at once, checked as the pass's are.
   */
  keepMarksIn(file: SqliteMarksFile): void {
    this.marksFile = file;
    for (const [thread, marks] of file.load()) {
      if (this.overviewMarks.has(thread)) continue;
      this.overviewMarks.set(thread, marks);
      this.marksFromFile.add(thread);
    }
  }

  async eventCounts(threadId: string, runId?: string): Promise<EventCounts> {
    const thread = checkId(threadId, 'threadId');
    if (runId === undefined) return this.read(() => foldCounts(this.sql.threadCounts.all({ thread })));
    const run = checkId(runId, 'runId');
    return this.read(() => foldCounts(this.sql.runCounts.all({ thread, run })));
  }

  async getEvent(threadId: string, seq: number): Promise<RunEvent | null> {
    const thread = checkId(threadId, 'threadId');
    const row = this.read(() => this.sql.getEvent.get(thread, seq));
    return row ? this.toEvent(row) : null;
  }

  async sourceIssues(): Promise<SourceIssue[]> {
    return [];
  }

  async close(): Promise<void> {
    this.keptThreads.close();
    this.marksFile?.close();
    if (this.db.open) this.db.close();
  }

  /**
   * An export's reads in ix_events_run's order (jobs/export-rows.ts). Null
   * where they cannot be read so: a view has no rowid, a table without the
   * index would be sorted for every page, and the general path shows columns
   * this app does not know.
   */
  exportReader(): ExportReader | null {
    if (this.schema.eventsView || this.schema.indexes.threadRunSeq === null || this.extraColumns.length > 0) return null;
    const sql = this.read(() => prepareExportStatements(this.db, this.schema));
    return {
      runs: (threadId) => this.read(() => (threadId === undefined ? sql.runs.all() : sql.threadRuns.all(threadId))),
      page: (window, limit) => this.read(() => sql.rows.all({ ...window, limit })),
    };
  }
}
