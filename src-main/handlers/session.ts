// What every transport shares in one process: the open source (opened,
// replaced, closed here only), its read worker and its search engine, recent
// sources, push messages and jobs.
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { AppInfo, DropOutcome, ParamsOf, PathKind, RecentSource, ResultOf, SourceIndexing } from '../../src-shared/contract.ts';
import { badArgument, StoreError } from '../../src-shared/errors.ts';
import { eventsOnly, rowsRemoved, type DeletedRecords, type RunRecordCounts } from '../../src-shared/run-records.ts';
import type { HealthReport } from '../../src-shared/health.ts';
import { resultValue, type Answer } from '../../src-shared/serialized-result.ts';
import type { InspectorStore, SearchIndexStatus, SearchOptions, SearchResult, SourceInfo, ThreadSummary } from '../../src-shared/types.ts';
import { checkOpenSource } from '../jobs/health-job.ts';
import { JobRunner } from '../jobs/job-runner.ts';
import { sourceWorkerUrl } from '../jobs/job-spec.ts';
import { checkRepairTarget } from '../jobs/repair-jsonl.ts';
import { followSource } from '../live/follow-source.ts';
import type { FollowerEvents, SideRowsRemoved, SourceFollower } from '../live/follower.ts';
import { readFrom, type ReadMethod } from '../reads/read-methods.ts';
import { ReadWorker } from '../reads/read-worker.ts';
import { openSearchEngine } from '../search/engine-for-source.ts';
import { indexHold } from '../store/jsonl/index-hold.ts';
import type { JsonlStore } from '../store/jsonl/jsonl-store.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { keepsRunRecords } from '../store/run-records.ts';
import { isPostgresUrl, isSourceUrl, refuseSourceUrl, shownUrl, sourcePath } from '../store/source-url.ts';
import { classifySource, isDatabaseName } from '../store/open-source.ts';
import { LatestDrop } from './latest-drop.ts';
import { PushEmitter } from './push.ts';
import { type RecentChange, RecentSources } from './recent-sources.ts';
import { sampleStore, userDataDir } from './sample-store.ts';
import { keepThreadSummary } from './thread-summary.ts';
import type { SavedPasswords } from './saved-passwords.ts';
import { type Credentials, ServerPasswords, withoutPassword } from './server-passwords.ts';
import { SourceSearch } from './source-search.ts';

export interface SessionOptions {
  transport: AppInfo['transport'];
  /**
   * Recent sources, the sample store and search indexes that cannot live beside their source live here; without it,
   * recents last as long as the process and the others are in sample-store.ts's userDataDir().
   */
  userDataDir?: string;
  /** SOURCE resolution (DESIGN.md "What a SOURCE is"); null → a memory store. */
  openSource?: (path: string | null, options?: SourceOpenOptions) => Promise<InspectorStore>;
  /** PostgreSQL sources open to write (`--write`); otherwise each is read-only until the page switches it (allowWrites). */
  write?: boolean;
  /** The desktop app's passwords kept in the OS keychain; without them a typed password lasts as long as the session. */
  savedPasswords?: SavedPasswords;
  /** Makes (or finds) the built-in sample store and returns its path. */
  samplePath?: () => Promise<string>;
  /** The job worker's entry, which also serves a SQLite source's reads (src-main/reads); null runs jobs and reads in-process. See JobRunner. */
  workerUrl?: URL | null;
  /** Told of every change to the recent list (the desktop shell mirrors it in the OS and the menu). */
  onRecentChanged?: (change: RecentChange) => void;
}

/** What a PostgreSQL source is opened with (open-source.ts OpenSourceOptions); files ignore both. */
export interface SourceOpenOptions {
  password?: string;
  write?: boolean;
}

interface OpenOptions extends SourceOpenOptions {
  /** False for an open the user did not choose (the sample, a reopen): the recent list stays as it is. */
  addToRecent?: boolean;
}

/** A delete of more events than this from a SQLite source runs in the job worker: about a tenth of a second of SQLite's time. */
const BIG_DELETE_EVENTS = 20_000;

/** A page's paths: a relative one would resolve against the server's folder, which the page cannot see. */
function requireAbsolute(path: string, field = 'path'): string {
  if (!isAbsolute(path)) throw badArgument(`${field}: ${path} is relative; give the full path (it would resolve against the server's folder)`);
  return path;
}

function requireExisting(path: string, field = 'path'): string {
  if (!existsSync(path)) throw new StoreError('NOT_FOUND', `${field}: ${path}: no such file or folder`);
  return path;
}

function requireFolder(folder: string, field: string): void {
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new StoreError('NOT_FOUND', `${field}: ${folder}: no such folder`);
}

/** A JSONL layout store (jsonl-store.ts), which a page's session has read in the background. */
const indexesInBackground = (store: InspectorStore): store is InspectorStore & Pick<JsonlStore, 'indexInBackground' | 'indexingStatus' | 'listThreadsSoFar'> =>
  store.info.kind === 'jsonl' && 'indexInBackground' in store;

const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);

async function defaultOpenSource(path: string | null, options: SourceOpenOptions = {}): Promise<InspectorStore> {
  if (path === null) return new MemoryStore();
  const { openSource } = await import('../store/open-source.ts');
  return openSource(path, options);
}

export class Session {
  readonly transport: AppInfo['transport'];
  readonly push = new PushEmitter();
  readonly recent: RecentSources;
  readonly jobs: JobRunner;
  readonly drops = new LatestDrop();
  readonly passwords: ServerPasswords;
  /** Each import's target by job id, so the page opens what an import made by naming the job (openImported). */
  private readonly importTargets = new Map<string, string>();
  /** Each repaired copy's folder by job id (openRepaired). */
  private readonly repairedCopies = new Map<string, string>();
  private current: InspectorStore;
  private readonly sourceSearch: SourceSearch;
  private readonly opener: (path: string | null, options?: SourceOpenOptions) => Promise<InspectorStore>;
  /** Whether PostgreSQL sources open to write (SessionOptions.write). */
  private readonly writeServers: boolean;
  /** How the open source was opened, to open it again the same way (allowWrites, a replaced file); its password in memory only. */
  private openedWith: { source: string | null; options: SourceOpenOptions };
  private readonly samplePath: () => Promise<string>;
  /** Where what the app derives from a source and keeps lives when it cannot live beside it (sidecars). */
  private readonly dataDir: string;
  /** The worker entry (SessionOptions.workerUrl); null: none. */
  private readonly workerUrl: URL | null;
  /** The open source's read worker (startReads); null when its reads run here. */
  private reads: ReadWorker | null = null;
  /** Read workers of replaced sources, until their threads have ended: close() waits for them. */
  private readonly stoppingReads = new Set<Promise<void>>();
  /** What another process writes to the open source, announced as it commits (issue 12); null when not followed. */
  private follower: SourceFollower | null = null;

  private constructor(store: InspectorStore, opened: Session['openedWith'], passwords: ServerPasswords, options: SessionOptions) {
    this.current = store;
    this.openedWith = opened;
    this.passwords = passwords;
    this.writeServers = options.write ?? false;
    this.transport = options.transport;
    this.recent = new RecentSources(options.userDataDir, options.onRecentChanged);
    this.opener = options.openSource ?? defaultOpenSource;
    this.samplePath = options.samplePath ?? (() => sampleStore(options.userDataDir));
    this.workerUrl = options.workerUrl === undefined ? sourceWorkerUrl() : options.workerUrl;
    this.jobs = new JobRunner({
      workerUrl: this.workerUrl,
      onProgress: (progress) => this.push.emit('job:progress', progress),
      onDone: (result) => this.push.emit('job:done', result),
    });
    this.dataDir = options.userDataDir ?? userDataDir();
    const searchOptions = {
      userDataDir: this.dataDir,
      jobs: this.jobs,
      onStatus: (status: SearchIndexStatus) => this.push.emit('search:index', status),
    };
    this.sourceSearch = new SourceSearch((source) => openSearchEngine(source, searchOptions));
    keepThreadSummary(store, this.dataDir);
    this.indexInBackground(store);
    this.startReads(store);
    this.follow(store);
  }

  /**
   * A page's JSONL folder is read in the background from the start, its
   * progress pushed (source:indexing); meanwhile the page lists the threads
   * read so far (listThreads). Scripts (`rpc`) have no progress to show:
   * their thread list waits for every thread.
   */
  private indexInBackground(store: InspectorStore): void {
    if (this.transport === 'rpc' || !indexesInBackground(store)) return;
    store.indexInBackground({
      onProgress: (progress) => {
        if (store === this.current) this.push.emit('source:indexing', progress);
      },
      // A page answered from the kept index before the thread's files were all checked: it asks again.
      onChanged: (threadIds) => {
        if (store === this.current) this.announce(threadIds);
      },
      gate: indexHold(),
    });
  }

  /** The thread list: a page's, while its JSONL folder is first read, the threads read so far; else every thread (by the read worker where there is one). */
  async listThreads(): Promise<ThreadSummary[]> {
    return resultValue(await this.threadList());
  }

  /** The same list as a transport sends it: the read worker's as the JSON it made. */
  threadList(): Promise<Answer<ThreadSummary[]>> {
    const store = this.current;
    if (this.transport !== 'rpc' && indexesInBackground(store)) return store.listThreadsSoFar();
    return this.answer('listThreads', {});
  }

  /** Where the open source's first read stands; a source read at once (a database) is always ready. */
  indexingStatus(): SourceIndexing {
    const store = this.current;
    return indexesInBackground(store) ? store.indexingStatus() : { done: 0, total: 0, ready: true };
  }

  /**
   * A page's source is followed while another process writes it: its
   * changes are pushed as store:changed without a reload. Scripts (`rpc`)
   * ask again when they want to know, and must exit when done.
   */
  private follow(store: InspectorStore): void {
    this.follower?.stop();
    this.follower = null;
    if (this.transport === 'rpc') return;
    // A SQLite source's read worker follows it there: the follower's look at a big table takes a while.
    this.follower = this.reads?.follows ? this.reads.follower : followSource(store, this.followerEvents(store));
  }

  private followerEvents(store: InspectorStore): FollowerEvents {
    return {
      onChanged: (threadIds) => {
        if (store === this.current) this.announce(threadIds);
      },
      onReplaced: async () => {
        // Another file at the path: opened again as it now is; if it cannot be (half-written), the old one stays
        // and the follower tells again.
        if (store === this.current) await this.reopen();
      },
    };
  }

  /**
   * A page's SQLite source: its slow reads (read-methods.ts) go to a read
   * worker with a connection of its own, so this process goes on serving the
   * page while SQLite works (issue 14); the worker also finds every thread's
   * overview-strip marks at open, for the strips it draws, and follows the
   * database for the session (another process's commits). Scripts (`rpc`)
   * want the in-process floor, and open and close sources by the hundred;
   * memory and JSONL stores are read where their index is, PostgreSQL's on
   * the server.
   */
  private startReads(store: InspectorStore): void {
    this.stopReads();
    const { kind, path } = store.info;
    if (this.transport === 'rpc' || this.workerUrl === null || kind !== 'sqlite' || path === null) return;
    this.reads = new ReadWorker({
      workerUrl: this.workerUrl,
      source: path,
      userDataDir: this.dataDir,
      fallback: (method, params) => readFrom(store, method, params),
      events: this.followerEvents(store),
      // No worker follows the source any more: this process does.
      onGivenUp: () => {
        if (store === this.current) this.follow(store);
      },
    });
  }

  /** The read worker of the source being replaced or closed stops; the reads it owes fail with CANCELLED. */
  private stopReads(): void {
    const previous = this.reads;
    this.reads = null;
    if (!previous) return;
    const stopped = previous.close().finally(() => this.stoppingReads.delete(stopped));
    this.stoppingReads.add(stopped);
  }

  /** The open source's read worker, null when its reads run in this process. */
  get readWorker(): ReadWorker | null {
    return this.reads;
  }

  /** One of the page's slow reads: by the source's read worker when it has one (as the JSON it made, for the transport), else here. */
  answer<M extends ReadMethod>(method: M, params: ParamsOf<M>): Promise<Answer<ResultOf<M>>> {
    return this.reads ? this.reads.answer(method, params) : readFrom(this.current, method, params);
  }

  /** The same read's value, for the session's own use. */
  async read<M extends ReadMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    return resultValue(await this.answer(method, params));
  }

  /** A session on `source` (null → memory). Opening it does not add it to the recent list: a launch argument is not a choice from the UI. */
  static async create(source: string | null, options: SessionOptions): Promise<Session> {
    const opener = options.openSource ?? defaultOpenSource;
    const passwords = new ServerPasswords(options.savedPasswords ?? null);
    const path = source === null ? null : sourcePath(source, resolve);
    const openOptions = { write: options.write ?? false, password: path !== null && isPostgresUrl(path) ? await passwords.known(path) : undefined };
    return new Session(await opener(path, openOptions), { source: path, options: openOptions }, passwords, options);
  }

  get store(): InspectorStore {
    return this.current;
  }

  get info(): SourceInfo {
    return this.current.info;
  }

  /**
   * Replaces the open source; when the new one cannot be opened the old one stays open. A
   * PostgreSQL URL given no password is tried with the one known for it (typed earlier in this
   * session, or kept in the keychain), and is read-only unless the session writes to servers.
   */
  async open(path: string, { addToRecent = true, password, write = this.writeServers }: OpenOptions = {}): Promise<SourceInfo> {
    const source = sourcePath(path, resolve);
    const options = { write, password: password ?? (isPostgresUrl(source) ? await this.passwords.known(source) : undefined) };
    return this.replaceWith(await this.opener(source, options), { source, options }, addToRecent);
  }

  /** `next` in place of the open source, which is closed. */
  private async replaceWith(next: InspectorStore, opened: Session['openedWith'], addToRecent: boolean): Promise<SourceInfo> {
    const previous = this.current;
    this.current = next;
    this.openedWith = opened;
    keepThreadSummary(next, this.dataDir);
    this.indexInBackground(next);
    this.startReads(next);
    this.follow(next);
    await this.sourceSearch.close();
    await previous.close();
    if (addToRecent) await this.recent.add(next.info);
    this.changed(null);
    return next.info;
  }

  /** The open source opened again as it was (the same password and mode), in place of itself. */
  private async reopen(changes: SourceOpenOptions = {}): Promise<SourceInfo> {
    const { source, options } = this.openedWith;
    if (source === null) return this.info;
    return this.open(source, { ...options, ...changes, addToRecent: false });
  }

  /**
   * A PostgreSQL database the page names by URL (issue 13). A password given replaces any in the
   * URL and, once the server takes it, is kept for the session (and in the keychain when
   * `remember`); without one the known password is tried, and a server that wants one answers AUTH.
   */
  async openDatabaseUrl(url: string, credentials: Credentials = {}): Promise<SourceInfo> {
    if (!isPostgresUrl(url)) throw badArgument(`url: ${shownUrl(url)} is not a postgres:// or postgresql:// URL`);
    const { password } = credentials;
    const info = await this.open(password === undefined ? url : withoutPassword(url), { password });
    await this.passwords.accepted(info.path!, credentials);
    return info;
  }

  /**
   * The open PostgreSQL source, opened again to write (the page asked, the user agreed): for as
   * long as it stays open; opened anew (from the recent list) it is read-only again.
   */
  async allowWrites(): Promise<SourceInfo> {
    const { kind, path, readOnly } = this.info;
    if (!readOnly) return this.info;
    if (kind !== 'postgres') throw new StoreError('READ_ONLY', `${path ?? 'this source'} is read-only; only a PostgreSQL source switches to read-write`);
    const { source, options } = this.openedWith;
    const writable = { ...options, write: true };
    const next = await this.opener(source, writable);
    // The command line has the last word (`serve` and `rpc` write to a server only with --write): the open source stays.
    if (next.info.readOnly) {
      await next.close();
      throw new StoreError('READ_ONLY', `${path} stays read-only: this app was started without --write, which it needs to write to a PostgreSQL server`);
    }
    return this.replaceWith(next, { source, options: writable }, false);
  }

  /**
   * What the page asks for (issue 9, point 14): unlike a SOURCE on the
   * command line, a missing path is an error naming it, never a new store;
   * `create` makes a new database, in a folder that exists. A relative path
   * would resolve against the server's folder, which the page cannot see.
   */
  async openFromPage(path: string, { create = false, ...credentials }: { create?: boolean } & Credentials = {}): Promise<SourceInfo> {
    if (isPostgresUrl(path)) {
      if (create) throw badArgument('create: a PostgreSQL database is not created from the page; give an existing one');
      return this.openDatabaseUrl(path, credentials);
    }
    if (isSourceUrl(path)) refuseSourceUrl(path);
    if (credentials.password !== undefined) throw badArgument('password: only a postgresql:// URL takes one');
    const absolute = requireAbsolute(path);
    if (!existsSync(absolute)) {
      if (!create) throw new StoreError('NOT_FOUND', `${absolute}: no such file or folder`);
      if (!isDatabaseName(absolute)) throw badArgument(`path: a new database needs a .db, .sqlite or .sqlite3 name (${absolute})`);
      if (!statSync(dirname(absolute), { throwIfNoEntry: false })?.isDirectory()) throw new StoreError('NOT_FOUND', `${dirname(absolute)}: no such folder`);
    }
    return this.open(absolute);
  }

  /**
   * A recent entry, and only one: a path not on the list is refused (the desktop page names no
   * other path). One that is gone says so and stays listed (the user may remove it); it is never
   * created anew.
   */
  async openRecent(path: string, credentials: Credentials = {}): Promise<SourceInfo> {
    const entry = (await this.recent.list()).find((recent) => recent.path === path);
    if (entry === undefined) throw new StoreError('NOT_FOUND', `${path} is not on the recent list`);
    if (entry.kind === 'postgres') return this.openDatabaseUrl(path, credentials);
    if (!entry.exists) throw new StoreError('NOT_FOUND', `${path} was moved or deleted`);
    return this.open(path);
  }

  /** A recent entry removed, and the password kept for it with it. */
  async forgetRecent(path: string): Promise<RecentSource[]> {
    await this.passwords.forget(path);
    return this.recent.remove(path);
  }

  /** The recent list emptied, and every password kept with it. */
  async clearRecent(): Promise<RecentSource[]> {
    await this.passwords.clear();
    return this.recent.clear();
  }

  /** A drop on the desktop window: a SQLite file opens at once; a JSONL one waits for the user's choice under a drop id. */
  async openDropped(path: string): Promise<DropOutcome> {
    const pathKind = this.classify(path);
    if (pathKind === 'sqlite') return { kind: 'opened', info: await this.openFromPage(path) };
    return { kind: 'choose', dropId: this.drops.remember(path), path, pathKind };
  }

  /** What an import of this session wrote, opened; NOT_FOUND when it made nothing (it failed first) or the id is not one of its imports. */
  openImported(jobId: string): Promise<SourceInfo> {
    return this.openWrittenBy(jobId, this.importTargets, 'import');
  }

  /** A repaired copy of this session's, opened (the page never names its folder); NOT_FOUND when the id is not one of its repairs. */
  openRepaired(jobId: string): Promise<SourceInfo> {
    return this.openWrittenBy(jobId, this.repairedCopies, 'repaired copy');
  }

  private async openWrittenBy(jobId: string, written: ReadonlyMap<string, string>, what: string): Promise<SourceInfo> {
    const target = written.get(jobId);
    if (target === undefined) throw new StoreError('NOT_FOUND', `job ${jobId}: no ${what} of this session has that id`);
    return this.openFromPage(target);
  }

  /** How an existing path would open, as SOURCE resolution decides. */
  private classify(path: string): PathKind {
    const absolute = requireExisting(requireAbsolute(path));
    const kind = classifySource(absolute);
    return kind === 'jsonl-dir' ? 'jsonl' : kind === 'jsonl-file' ? 'jsonl-file' : 'sqlite';
  }

  async openSample(): Promise<SourceInfo> {
    return this.open(await this.samplePath(), { addToRecent: false });
  }

  /**
   * Tells every page what the app itself changed, and the search index to catch up; null = everything (a new source, an
   * import). `removed`: the rows a DeerFlow-style delete took from the side tables, which the follower takes in with it.
   */
  changed(threadIds: string[] | null, removed?: SideRowsRemoved): void {
    // Taken in by the follower first, so this write is not pushed a second time as another process's.
    this.follower?.absorb(threadIds, removed);
    this.announce(threadIds);
  }

  private announce(threadIds: string[] | null): void {
    // Before the push: the page's reads that follow it reach the worker after this.
    this.reads?.expire(threadIds);
    this.sourceSearch.changed();
    this.push.emit('store:changed', { threadIds });
  }

  /** The open source's health (issue 15), of one thread or of all, the latter with health:progress pushes. */
  checkHealth(threadId?: string): Promise<HealthReport> {
    return checkOpenSource(this.current, this.jobs, { threadId, onProgress: (progress) => this.push.emit('health:progress', progress) });
  }

  /** `query` and `options` passed the contract's schema. Waits for the index to take in the app's own latest change. */
  search(query: string, options: SearchOptions): Promise<SearchResult> {
    return this.sourceSearch.search(this.current, query, options);
  }

  /**
   * Deletes a thread's events, or one run's, and tells every page; returns
   * how many. A big delete from a SQLite source runs in the job worker on a
   * connection of its own, so this process keeps serving the page while
   * SQLite works (DESIGN.md §4); memory and JSONL sources, and small
   * deletes, stay here. The follower is held until the delete is announced:
   * a check in between would push it a second time, as another process's.
   */
  async deleteEvents(threadId: string, runId?: string): Promise<number> {
    return (await this.deleteRows(threadId, runId, false)).events;
  }

  /** What a DeerFlow-style delete of the thread (or run) would take besides its events; null where the open source keeps no run records. */
  deletableRecords(threadId: string, runId?: string): Promise<RunRecordCounts | null> {
    const store = this.current;
    return keepsRunRecords(store) ? store.deletableRecords(threadId, runId) : Promise.resolve(null);
  }

  /** deleteEvents, and with `records` DeerFlow's run records of the thread (or run) in the same transaction (issue 15), as DeerFlow's own delete does. */
  deleteWithRecords(threadId: string, runId: string | undefined, records: boolean): Promise<DeletedRecords> {
    return this.deleteRows(threadId, runId, records);
  }

  private async deleteRows(threadId: string, runId: string | undefined, records: boolean): Promise<DeletedRecords> {
    const store = this.current;
    const release = await (this.follower?.hold?.() ?? (() => {}));
    try {
      const removed = await this.remove(store, threadId, runId, records);
      if (rowsRemoved(removed) > 0) this.changed([threadId], { runs: removed.runs, threads_meta: removed.threadsMeta });
      return removed;
    } finally {
      release();
    }
  }

  private async remove(store: InspectorStore, threadId: string, runId: string | undefined, records: boolean): Promise<DeletedRecords> {
    const withRecords = records && keepsRunRecords(store) ? store : null;
    if (!(await this.isBigSqliteDelete(store, threadId, runId))) {
      if (withRecords) return withRecords.deleteWithRecords(threadId, runId);
      return eventsOnly(runId === undefined ? await store.deleteByThread(threadId) : await store.deleteByRun(threadId, runId));
    }
    // The worker's connection is not this one: a run deleted there leaves this connection with
    // DeerFlow's rule for the next seq, max(seq) + 1, rather than above every seq the run had.
    const removed = await this.jobs.runDelete({ source: store.info.path!, threadId, runId, records: withRecords !== null });
    // The open connection forgets the thread's deleted seqs only through a delete of its own (guarantee 8:
    // the thread starts again at seq 1); it finds nothing left, or what another writer added meanwhile.
    if (runId === undefined && store === this.current) return { ...removed, events: removed.events + (await store.deleteByThread(threadId)) };
    return removed;
  }

  private async isBigSqliteDelete(store: InspectorStore, threadId: string, runId: string | undefined): Promise<boolean> {
    const { kind, path, readOnly } = store.info;
    if (kind !== 'sqlite' || path === null || readOnly || !this.jobs.hasWorker) return false;
    // Counting messages reads an index only, and most of a big thread's events are messages.
    if (runId === undefined && (await store.countMessages(threadId)) > BIG_DELETE_EVENTS) return true;
    // eventCounts reads the rows it counts (the read worker's, when there is one): a run is usually small, and a thread with few messages too.
    return total((await this.read('eventCounts', { threadId, runId })).by_category) > BIG_DELETE_EVENTS;
  }

  /**
   * JSONL into `into`, or into the open source when that is a database. Paths as a
   * script's SOURCE (DESIGN.md §3): relative to this process's folder, a new database's missing
   * folders made; a page's go through importFromPage. A PostgreSQL database is written only as
   * the open source, opened to write.
   */
  startImport(path: string, into?: string): string {
    const open = this.info;
    const target = into !== undefined ? sourcePath(into, resolve) : open.kind === 'sqlite' || open.kind === 'postgres' ? open.path : null;
    if (target === null) throw badArgument('into: required, the open source is not a database');
    // The open source goes with the job: a server is imported into through its connection (import-target.ts).
    const { jobId, done } = this.jobs.start({ kind: 'import', path: resolve(path), into: target }, this.current);
    this.importTargets.set(jobId, target);
    void done.then((result) => {
      // The summary names a server by its display URL, as the open source's info does.
      if (result.ok && result.kind === 'import' && result.summary.into === this.info.path) this.changed(null);
    });
    return jobId;
  }

  /** A page's import: absolute paths only, an input that exists, a target whose folder exists (a typo makes nothing). */
  importFromPage(path: string, into?: string): string {
    requireExisting(requireAbsolute(path));
    if (into !== undefined) requireFolder(dirname(requireAbsolute(into, 'into')), 'into');
    return this.startImport(path, into);
  }

  /** A page's export: an absolute `out` (a relative one would land in the server's folder). */
  exportFromPage(out: string, threadId?: string, runId?: string): string {
    return this.startExport(requireAbsolute(out, 'out'), threadId, runId);
  }

  /** The open source (or one thread / run of it) into DeerFlow's layout under `out`. */
  startExport(out: string, threadId?: string, runId?: string): string {
    const store = this.current;
    return this.jobs.start({ kind: 'export', source: store.info.path, out: resolve(out), threadId, runId }, store).jobId;
  }

  /**
   * The open JSONL folder's repaired copy (issue 15) into `out`, a new or empty folder outside it (checked
   * before the job starts, so a wrong folder is said at once); the source is only read.
   */
  startRepair(out: string): string {
    const { kind, path } = this.info;
    if (kind !== 'jsonl' || path === null) throw badArgument(`the open source is ${path ?? 'a scratch store'}: only a JSONL folder has a repaired copy`);
    const target = checkRepairTarget(path, resolve(out)).out;
    const { jobId } = this.jobs.start({ kind: 'repair', source: path, out: target });
    this.repairedCopies.set(jobId, target);
    return jobId;
  }

  /** A page's repaired copy: an absolute `out`. */
  repairFromPage(out: string): string {
    return this.startRepair(requireAbsolute(out, 'out'));
  }

  /** Lets running jobs finish (a script's import), or cancels them (Ctrl+C), then closes the source. */
  async close({ cancelJobs = false } = {}): Promise<void> {
    if (cancelJobs) this.jobs.cancelAll();
    this.follower?.stop();
    this.follower = null;
    this.stopReads();
    await Promise.all(this.stoppingReads);
    // First: an index build in the worker ends with its engine.
    await this.sourceSearch.close();
    await this.jobs.idle();
    await this.current.close();
  }
}
