// The session's side of a SQLite source's read worker (issue 14, "The main
// process never blocks"; Signal Desktop runs SQLite in workers): the page's
// slow reads (read-methods.ts) are posted to a worker thread that holds a
// read-only connection of its own, and answered by id, so they may overlap
// and this process's event loop goes on serving the page meanwhile; each
// answer comes as its JSON, which this thread passes on unparsed. A worker
// that dies is started again at once, and the reads it left unanswered are
// answered here, on the session's connection, with a log line;
// one that cannot open the source, or keeps dying, leaves every read here.
// A small database is read here until its worker is ready. The worker also
// follows the database (another process's commits), as the session's
// follower: its events come back as messages, absorb and holds go to it.
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { ParamsOf, ResultOf } from '../../src-shared/contract.ts';
import { StoreError } from '../../src-shared/errors.ts';
import { resultValue, SerializedResult, type Answer } from '../../src-shared/serialized-result.ts';
import type { FollowerEvents, SourceFollower } from '../live/follower.ts';
import { WatchedDatabase } from '../live/watched-database.ts';
import type { FromReadWorker, ReadMethod, ReadWorkerSpec, ToReadWorker } from './read-methods.ts';

export type Read = <M extends ReadMethod>(method: M, params: ParamsOf<M>) => Promise<ResultOf<M>>;

export interface ReadWorkerOptions extends Omit<ReadWorkerSpec, 'follow'> {
  /** job-worker's entry (job-spec.ts sourceWorkerUrl, or the bundle's file), which serves reads by its workerData. */
  workerUrl: URL;
  /** The same read on the session's connection: for what a dead worker left unanswered, and every read once no worker can be used. */
  fallback: Read;
  /** Given: the worker follows the database, and tells these (see `follower`). */
  events?: FollowerEvents;
  /** The reads stay in this process from now on, and nothing follows the database there: the session follows it itself. */
  onGivenUp?: () => void;
}

/** A worker that has died this many times is not started again: the source's reads stay in this process. */
const MAX_STARTS = 4;

/**
 * A database this small (with its WAL) is read here until its worker is ready: a cold thread list
 * of it takes about 16 ms (some 12,000 events), less than a worker takes to start (0.1–0.4 s
 * from the sources on a busy machine).
 */
const SMALL_SOURCE_BYTES = 16 * 1024 * 1024;

const fileBytes = (file: string) => statSync(file, { throwIfNoEntry: false })?.size ?? 0;

/**
 * Whether another connection committed to `file` between the session's open and its worker's
 * follower taking its first look: a data_version read when the session opens, and again then
 * (a connection of its own, read-only; reading it takes no lock in WAL mode and writes nothing).
 */
function commitsSinceOpen(file: string): () => boolean {
  let watched: WatchedDatabase;
  let before: number;
  try {
    watched = new WatchedDatabase(file, { busyTimeoutMs: 0 });
    before = watched.dataVersion();
  } catch {
    return () => true;
  }
  return () => {
    try {
      return watched.dataVersion() !== before;
    } catch {
      return true; // a writer's lock: something may well have been committed
    } finally {
      watched.close();
    }
  };
}

interface Pending {
  method: ReadMethod;
  params: unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const log = (line: string) => process.stderr.write(`run-inspector: ${line}\n`);

export class ReadWorker {
  private readonly options: ReadWorkerOptions;
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  /** Holds the worker's follower has not confirmed yet, by id: each resolves with its release. */
  private readonly holds = new Map<number, (release: () => void) => void>();
  private nextId = 1;
  private starts = 0;
  /** Why reads stay in this process for good; null while a worker may read. */
  private givenUp: string | null = null;
  private closing: Promise<void> | null = null;
  private exited: Promise<void> = Promise.resolve();
  /** The worker has opened the source (it answers reads as soon as they come). */
  private ready = false;
  /** The worker's follower has taken its first look. */
  private following = false;
  /** The source is small enough to be read here while no worker is ready (SMALL_SOURCE_BYTES). */
  private readonly small: boolean;
  private onStarted = () => {};
  private whenStarted = Promise.resolve();
  private onMarked = () => {};
  /** Asked once, when the first worker follows: whether what it follows from may differ from what the session opened (then all is pushed). */
  private changedBeforeFollowing: (() => boolean) | null;
  /** Settles once the first worker's overview marks pass at open is over (or it stopped first): the strips it draws have their marks. */
  readonly marked = new Promise<void>((resolve) => (this.onMarked = resolve));

  constructor(options: ReadWorkerOptions) {
    this.options = options;
    this.small = fileBytes(options.source) + fileBytes(`${options.source}-wal`) <= SMALL_SOURCE_BYTES;
    this.changedBeforeFollowing = options.events ? commitsSinceOpen(options.source) : null;
    this.start();
  }

  /**
   * The worker's follower as the session holds one. A hold is in place once
   * the worker has heard of it (the promise): a check there cannot run
   * between the app's write and its absorb, which reach it in that order.
   */
  readonly follower: SourceFollower = {
    absorb: (threadIds, removed) => this.worker?.postMessage({ type: 'absorb', threadIds, removed } satisfies ToReadWorker),
    hold: () => this.hold(),
    // It ends with the worker, when the source does (close).
    stop: () => {},
  };

  /** Whether a worker follows the source (it was asked to, and has not been given up). */
  get follows(): boolean {
    return this.options.events !== undefined && this.givenUp === null;
  }

  /** Settles once the latest worker is ready and, when it follows, following; or could not be (reads then stay here). */
  get started(): Promise<void> {
    return this.whenStarted;
  }

  /** Whether a worker thread is up (reads go to it), rather than given up or closed. */
  get running(): boolean {
    return this.worker !== null;
  }

  /** `method`'s answer: the worker's as the JSON it made, for a transport to send as it is; one read here (the fallback) as the value. */
  answer<M extends ReadMethod>(method: M, params: ParamsOf<M>): Promise<Answer<ResultOf<M>>> {
    if (this.closing) return Promise.reject(this.closedError());
    const worker = this.worker;
    if (worker === null || (!this.ready && this.small)) return this.options.fallback(method, params);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, params, resolve: resolve as (value: unknown) => void, reject });
      this.refWhileOwing(worker);
      worker.postMessage({ type: 'read', id, method, params } satisfies ToReadWorker);
    });
  }

  /** The value itself, parsed here: for what this process reads for its own use, which is small. */
  async read<M extends ReadMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    return resultValue(await this.answer(method, params));
  }

  /** Referenced only while it owes answers (reads, holds): an idle worker never keeps the process alive. */
  private refWhileOwing(worker: Worker): void {
    if (this.pending.size + this.holds.size > 0) worker.ref();
    else worker.unref();
  }

  private hold(): Promise<() => void> {
    const worker = this.worker;
    if (worker === null || !this.options.events) return Promise.resolve(() => {});
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.holds.set(id, resolve);
      this.refWhileOwing(worker);
      worker.postMessage({ type: 'hold', id } satisfies ToReadWorker);
    });
  }

  /** The app or another process changed these threads (null: any): the worker's kept figures of them are read again. */
  expire(threadIds: string[] | null): void {
    this.worker?.postMessage({ type: 'expire', threadIds } satisfies ToReadWorker);
  }

  /** Stops the worker; the reads it owes fail with CANCELLED at once. Resolves once the thread has ended. */
  close(): Promise<void> {
    if (!this.closing) {
      this.followingFromNow(false);
      this.cancelOwed();
      this.closing = (async () => {
        await this.worker?.terminate();
        await this.exited;
      })();
    }
    return this.closing;
  }

  private closedError(): StoreError {
    return new StoreError('CANCELLED', `${this.options.source} was closed`);
  }

  private cancelOwed(): void {
    for (const { reject } of this.pending.values()) reject(this.closedError());
    this.pending.clear();
  }

  private start(): Worker | null {
    if (this.givenUp !== null || this.closing) return null;
    this.starts++;
    const { workerUrl, source, userDataDir, events } = this.options;
    let worker: Worker;
    try {
      worker = new Worker(workerUrl, { workerData: { reads: { source, userDataDir, follow: events !== undefined } satisfies ReadWorkerSpec } });
    } catch (error) {
      this.giveUp(`no read worker could be started from ${workerUrl.href} (${(error as Error).message})`);
      return null;
    }
    worker.unref();
    this.whenStarted = new Promise((resolve) => (this.onStarted = resolve));
    let failure: Error | null = null;
    worker.on('message', (message: FromReadWorker) => this.take(worker, message));
    worker.on('error', (error) => (failure = error));
    this.exited = new Promise((resolve) =>
      worker.once('exit', (code) => {
        this.ended(worker, failure?.message ?? `exit code ${code}`);
        resolve();
      }),
    );
    this.worker = worker;
    return worker;
  }

  private take(worker: Worker, message: FromReadWorker): void {
    if (message.type === 'ready') {
      this.ready = true;
      if (!this.options.events) this.onStarted();
    } else if (message.type === 'following') {
      this.following = true;
      this.followingFromNow();
      this.onStarted();
    } else if (message.type === 'marked') this.onMarked();
    else if (message.type === 'unusable') this.giveUp(`the read worker cannot open ${this.options.source} (${message.message})`);
    else if (message.type === 'changed') this.options.events?.onChanged(message.threadIds);
    else if (message.type === 'replaced') {
      const answer = (ok: boolean) => worker.postMessage({ type: 'reopened', ok } satisfies ToReadWorker);
      Promise.resolve(this.options.events?.onReplaced()).then(() => answer(true), () => answer(false));
    } else if (message.type === 'held') {
      const resolve = this.holds.get(message.id);
      this.holds.delete(message.id);
      this.refWhileOwing(worker);
      resolve?.(() => worker.postMessage({ type: 'release', id: message.id } satisfies ToReadWorker));
    } else {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      this.refWhileOwing(worker);
      if (message.type === 'answer') pending.resolve(new SerializedResult(message.json));
      else pending.reject(new StoreError(message.code, message.message));
    }
  }

  private giveUp(why: string): void {
    this.givenUp = why;
    log(`${why}: its reads are answered in this process`);
    this.options.onGivenUp?.();
    this.followingFromNow();
  }

  /** A follower (the worker's, or the session's own) looks from now on: what another connection committed since the session opened is pushed as everything. */
  private followingFromNow(push = true): void {
    const changed = this.changedBeforeFollowing;
    this.changedBeforeFollowing = null;
    if (changed?.() && push) this.options.events!.onChanged(null);
  }

  /** The worker's thread ended: closed, given up, or dead; what it owed is answered here unless the source was closed. */
  private ended(worker: Worker, reason: string): void {
    if (this.worker === worker) this.worker = null;
    const wasFollowing = this.following;
    this.ready = false;
    this.following = false;
    this.onStarted();
    this.onMarked();
    // A hold on a follower that is gone holds nothing.
    for (const resolve of this.holds.values()) resolve(() => {});
    this.holds.clear();
    if (this.closing) return;
    const owed = [...this.pending.values()];
    this.pending.clear();
    if (this.givenUp === null) {
      const again = this.starts < MAX_STARTS;
      log(
        `the read worker of ${this.options.source} stopped (${reason}); ${owed.length} read(s) it owed answered in this process, ` +
          (again ? 'later ones by a new worker' : `and every later one: it stopped ${this.starts} times`),
      );
      if (!again) {
        this.givenUp = `it stopped ${this.starts} times`;
        this.options.onGivenUp?.();
      }
    }
    for (const { method, params, resolve, reject } of owed) this.options.fallback(method, params as never).then(resolve, reject);
    // What changed while no follower looked is not known: everything, to be safe.
    if (wasFollowing) this.options.events!.onChanged(null);
    this.start();
  }
}
