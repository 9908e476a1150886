// The search engine of SQLite and JSONL sources (issue 10): a sidecar index
// (sidecar-file.ts, where: sidecar-location.ts) answers which events may
// match, newest first (index-query.ts); each candidate is then read from the
// store and checked by the matching rules, which also give its snippet, so
// a hit is exact even for a term the trigrams cannot answer (北美) or an
// event changed since it was indexed. Opening starts bringing the index up
// to date; until it is, results are exact for what is indexed and the status
// says building. A big backlog (a first build) runs in the job worker, as do
// a SQLite source's deletes; a small one (what a refresh finds after a
// write) in this process — for JSONL from the store, which already holds
// every event — in batches that yield to the event loop. A sidecar found
// damaged (SQLITE_CORRUPT, SQLITE_NOTADB) while searching or syncing is
// removed and built again, and the search is answered from the new one.
import { StoreError } from '../../src-shared/errors.ts';
import { parseQuery } from '../../src-shared/search-query.ts';
import { DEFAULT_SEARCH_LIMIT } from '../../src-shared/search-schema.ts';
import type { InspectorStore, SearchHit, SearchIndexStatus, SearchOptions, SearchResult, ThreadSummary } from '../../src-shared/types.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { indexKey } from './index-doc.ts';
import { CandidateWorker, candidatesHere, type CandidateSearches } from './candidate-worker.ts';
import { CandidateReader, type Candidate, type OrderKey } from './index-query.ts';
import { pendingSqliteWork, syncSqliteIndex, type SyncOptions, type SyncProgress } from './index-sqlite-sync.ts';
import { listedVersion, watchDatabase, watchStore, type SourceWatch } from './index-source-watch.ts';
import { syncStoreIndex } from './index-store-sync.ts';
import { eventTotal } from './run-events.ts';
import { inScope, matchingText, toSearchHit } from './scan-engine.ts';
import type { SearchEngine, SearchEngineOptions } from './search-engine.ts';
import { SearchSupersession } from './search-supersession.ts';
import { isDamagedSidecar, openSidecar, removeSidecar, type Sidecar } from './sidecar-file.ts';
import { sidecarPath, sourceIdentity } from './sidecar-location.ts';

/** A backlog above this many rows goes to the worker (as do deletes): in this process it would take more than about a second. */
const WORKER_BACKLOG = 20_000;
/** Rows per batch in this process: each transaction stays well under 50 ms. */
const IN_PROCESS_BATCH = 500;
/** Candidates read per step: the first is about a page; later ones grow when the checks reject many. */
const FIRST_CHUNK = 64;
const MAX_CHUNK = 4096;
/** A long search yields to the event loop this often: a request waits at most about this long behind it (issue 14: under 16 ms). */
const YIELD_EVERY_MS = 8;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

type IndexedKind = 'sqlite' | 'jsonl' | 'jsonl-file' | 'postgres';

/** A server database is known by the identity its store read (postgres-store.ts); a file or folder by its own (sidecar-location.ts). */
function identityOf(store: InspectorStore, kind: IndexedKind, source: string): string {
  return 'identity' in store && typeof store.identity === 'string' ? `${kind}:${store.identity}` : sourceIdentity(kind, source);
}

class IndexEngine implements SearchEngine {
  private readonly store: InspectorStore;
  private readonly kind: IndexedKind;
  private readonly source: string;
  private sidecar: Sidecar;
  /** Made at the first search: a worker started as the source opens would take its CPU from the source's first reads. */
  private candidates: CandidateSearches | null = null;
  private readonly options: SearchEngineOptions;
  private current: SearchIndexStatus;
  /** The sync running or queued last; syncs run one at a time. */
  private syncing: Promise<void> = Promise.resolve();
  private cancelBuild: (() => void) | null = null;
  private readonly watch: SourceWatch;
  private readonly supersession = new SearchSupersession();
  /** The source's version (index-source-watch.ts) when the last sync started; null before the first. */
  private seen: string | null = null;
  private syncRunning = false;
  private closed = false;

  constructor(store: InspectorStore, kind: IndexedKind, source: string, sidecar: Sidecar, options: SearchEngineOptions) {
    this.store = store;
    this.kind = kind;
    this.source = source;
    this.sidecar = sidecar;
    this.options = options;
    this.current = { state: 'building', indexed: sidecar.indexed(), total: sidecar.indexed() };
    this.watch = kind === 'sqlite' ? watchDatabase(source) : watchStore(store);
  }

  status(): SearchIndexStatus {
    return { ...this.current };
  }

  refresh(): Promise<void> {
    const run = this.syncing.then(() => this.sync());
    this.syncing = run.catch(() => undefined);
    return run;
  }

  private report(status: SearchIndexStatus): void {
    const { state, indexed, total } = this.current;
    if (status.state === state && status.indexed === indexed && status.total === total) return;
    this.current = status;
    if (!this.closed) this.options.onStatus(this.status());
  }

  private onWorkerProgress = ({ indexed, total }: SyncProgress) => this.report({ state: 'building', indexed, total });

  /**
   * A batch done in this process says building only while more remain: a
   * sync of a few new rows (one batch) is no backlog, and a page shown while
   * the index "builds" is searched again once it is ready (use-search.ts).
   */
  private onBatch = ({ indexed, total }: SyncProgress) => {
    if (indexed < total) this.report({ state: 'building', indexed, total });
  };

  private async sync(): Promise<void> {
    if (this.closed) return;
    this.syncRunning = true;
    try {
      // Taken first: a change made while this sync runs is seen by the next search. A store's thread list is
      // taken once, for the version and the sync alike (on PostgreSQL it is queries).
      const threads = this.kind === 'sqlite' ? null : await this.store.listThreads();
      this.seen = threads ? listedVersion(threads) : await this.watch.version();
      await this.catchUp(threads).catch(async (error: unknown) => {
        if (!isDamagedSidecar(error)) throw error;
        this.replaceSidecar();
        await this.catchUp(threads);
      });
    } catch (error) {
      // Not caught up: the next search tries again, and until then the index is not said to be building.
      this.seen = null;
      this.report({ state: 'ready', indexed: this.sidecar.indexed(), total: this.current.total });
      throw syncFailure(error);
    } finally {
      this.syncRunning = false;
    }
  }

  /** `threads`: a JSONL or PostgreSQL store's list at the start of the sync; null for SQLite. */
  private async catchUp(threads: ThreadSummary[] | null): Promise<void> {
    if (threads) {
      const identity = identityOf(this.store, this.kind, this.source);
      if (identity !== this.sidecar.getMeta('identity')) this.sidecar.clear(identity);
      const built = this.options.jobs.hasWorker && eventTotal(threads) - this.sidecar.indexed() > WORKER_BACKLOG && (await this.buildInWorker());
      // After a build in the worker, what changed while it ran is listed again.
      await syncStoreIndex(this.store, this.sidecar, this.inProcess(), built ? undefined : threads);
    } else {
      if (this.options.jobs.hasWorker) {
        const { newRows, rowsGone } = pendingSqliteWork(this.source, this.sidecar);
        // Comparing every thread's rows after a delete reads a million index entries: not in this process.
        if (newRows > WORKER_BACKLOG || rowsGone) await this.buildInWorker();
      }
      // What arrived while the worker built, deletes included.
      await syncSqliteIndex(this.source, this.sidecar, this.inProcess());
    }
    const indexed = this.sidecar.indexed();
    this.report({ state: 'ready', indexed, total: indexed });
  }

  private inProcess(): SyncOptions {
    return { batchSize: IN_PROCESS_BATCH, onProgress: this.onBatch, pause: nextTurn };
  }

  /** False: not built (a PostgreSQL source's index is built in this process). */
  private async buildInWorker(): Promise<boolean> {
    // A server's events would reach the worker only over a connection of its own, with the password this one has: they are indexed here, between turns.
    if (this.kind === 'postgres') return false;
    this.report({ ...this.current, state: 'building' });
    const job = this.options.jobs.runIndex({ kind: this.kind, source: this.source, sidecar: this.sidecar.file }, ({ done, total }) =>
      this.onWorkerProgress({ indexed: done, total: total ?? done }),
    );
    this.cancelBuild = job.cancel;
    try {
      await job.done;
    } finally {
      this.cancelBuild = null;
    }
    return true;
  }

  /** Nothing in the sidecar is original: a damaged one is removed and an empty one opened, which the next sync builds. */
  private replaceSidecar(): void {
    this.sidecar.close();
    removeSidecar(this.sidecar.file);
    this.sidecar = openSidecar(this.sidecar.file, identityOf(this.store, this.kind, this.source), this.source);
    void this.candidates?.close();
    this.candidates = null;
  }

  /** Read in a worker of their own, where one can be started; else here. */
  private candidatesOf(sidecar: Sidecar): CandidateSearches {
    const reader = new CandidateReader(sidecar.db);
    const worker = this.options.jobs.startService({ searchCandidates: { sidecar: sidecar.file } });
    return worker ? new CandidateWorker(worker, reader) : candidatesHere(reader);
  }

  /**
   * A search that met a damaged sidecar, or one replaced under it by a sync
   * that met one, is asked again once: of a sidecar built again, when
   * syncs are done, so the answer is exact rather than lost.
   */
  async search(query: string, options: SearchOptions): Promise<SearchResult> {
    const sidecar = this.sidecar;
    try {
      return await this.searchIndexed(query, options);
    } catch (error) {
      if (!isDamagedSidecar(error) && this.sidecar === sidecar) throw error;
      await this.syncing;
      if (this.sidecar === sidecar) {
        this.replaceSidecar();
        this.seen = null;
      }
      return this.searchIndexed(query, options);
    }
  }

  private async searchIndexed(query: string, { limit = DEFAULT_SEARCH_LIMIT, cursor, ...scope }: SearchOptions): Promise<SearchResult> {
    // Another process's writes: caught up with before answering. While a sync runs (a build), what is indexed answers.
    if (!this.syncRunning && (await this.watch.version()) !== this.seen) await this.refresh();
    const terms = parseQuery(query);
    const throwIfSuperseded = this.supersession.begin(terms, scope);
    this.candidates ??= this.candidatesOf(this.sidecar);
    const candidateSearch = this.candidates.open(terms, scope);
    const hits: SearchHit[] = [];
    let after: OrderKey | null = cursor ? indexKey(decodeCursor(cursor)) : null;
    let chunk = Math.max(FIRST_CHUNK, limit + 1);
    let lastYield = performance.now();
    // Checking many candidates (a rare short term) reads many events, and a walk's steps of few matches each take their
    // time budget (index-query.ts): other requests get their turns meanwhile.
    const giveTurnWhenDue = async () => {
      if (performance.now() - lastYield <= YIELD_EVERY_MS) return;
      await nextTurn();
      lastYield = performance.now();
      throwIfSuperseded();
    };
    try {
      for (;;) {
        // A newer search may have started while this one waited for the store or gave its turn (search-supersession.ts).
        throwIfSuperseded();
        const { candidates, resume } = await candidateSearch.next(after, chunk);
        throwIfSuperseded();
        for (const candidate of candidates) {
          const hit = await this.check(candidate, terms, scope);
          if (hit) hits.push(hit);
          if (hits.length > limit) break;
          await giveTurnWhenDue();
        }
        if (hits.length > limit || resume === null) break;
        after = resume;
        chunk = Math.min(MAX_CHUNK, chunk * 4);
        await giveTurnWhenDue();
      }
    } finally {
      candidateSearch.close();
    }
    const page = hits.slice(0, limit);
    return { hits: page, nextCursor: hits.length > limit ? encodeCursor(page[page.length - 1]) : null, index: this.status() };
  }

  /** The candidate's event as the store has it now, when it is in scope and every term is in its text. */
  private async check(candidate: Candidate, terms: readonly string[], scope: SearchOptions): Promise<SearchHit | null> {
    const event = await this.store.getEvent(candidate.thread_id, candidate.seq);
    if (!event || !inScope(event, scope)) return null;
    const text = matchingText(event, terms);
    return text === null ? null : toSearchHit(event, text, terms);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelBuild?.();
    await this.syncing;
    this.watch.close();
    await this.candidates?.close();
    this.sidecar.close();
  }
}

/** A sync's failure as the search reports it: a StoreError keeps its code (a cancelled build says CANCELLED). */
function syncFailure(error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  return new StoreError('INTERNAL', `the search index could not catch up with the source: ${error instanceof Error ? error.message : String(error)}`);
}

/** The engine of a SQLite, JSONL folder or JSONL export source; it starts bringing its index up to date at once. */
export async function openIndexEngine(store: InspectorStore, options: SearchEngineOptions): Promise<SearchEngine> {
  const { kind, path: source } = store.info;
  if (source === null || kind === 'memory') throw new Error('the search index needs a source on disk');
  const createdByApp = 'createdByApp' in store && store.createdByApp === true;
  const sidecar = openSidecar(sidecarPath({ path: source, createdByApp }, options.userDataDir), identityOf(store, kind, source), source);
  const engine = new IndexEngine(store, kind, source, sidecar, options);
  void engine.refresh().catch(() => {}); // a failed sync is tried again by the next search, which answers with its error
  return engine;
}
