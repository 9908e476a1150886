// The search's candidate reads (index-query.ts) in a worker thread of their
// own (issue 14, "The main process never blocks"): one FTS5 statement on a
// big index can take tens of milliseconds (a driving table's matches read
// and sorted, a window of the walk), which on the session's thread would hold
// every other request meanwhile. The worker (serve-candidates.ts, a role of
// job-worker's entry) opens the sidecar read-only and keeps each search's
// steps; this side sends a search's terms once, then asks for its steps by
// id. A worker that dies is not started again: what it owed, and every later
// search, is read on the session's own connection to the sidecar, with a
// log line. A damaged sidecar's error comes back as the SqliteError it was,
// so the engine builds the sidecar again as it would from its own read.
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { StoreError } from '../../src-shared/errors.ts';
import type { CandidateReader, CandidateScope, CandidateStep, CandidateSteps, OrderKey } from './index-query.ts';

/** What the worker is started with (job-worker.ts's `searchCandidates` role). */
export interface CandidateWorkerSpec {
  sidecar: string;
}

export type ToCandidateWorker =
  | { type: 'open'; search: number; terms: readonly string[]; scope: CandidateScope }
  | { type: 'step'; id: number; search: number; after: OrderKey | null; limit: number }
  | { type: 'close'; search: number };

export type FromCandidateWorker =
  | { type: 'step'; id: number; step: CandidateStep }
  | { type: 'failed'; id: number; message: string; sqliteCode: string | null };

/** One search's candidates, step by step (CandidateSteps), wherever they are read; close() when the search is done. */
export interface CandidateSearch {
  next(after: OrderKey | null, limit: number): Promise<CandidateStep>;
  close(): void;
}

export interface CandidateSearches {
  open(terms: readonly string[], scope: CandidateScope): CandidateSearch;
  close(): Promise<void>;
}

/** The searches read on the session's thread: where no worker can be started. */
export function candidatesHere(reader: CandidateReader): CandidateSearches {
  return {
    open(terms, scope) {
      const steps = reader.open(terms, scope);
      return { next: async (after, limit) => steps(after, limit), close: () => {} };
    },
    close: async () => {},
  };
}

interface Owed {
  search: number;
  after: OrderKey | null;
  limit: number;
  resolve: (step: CandidateStep) => void;
  reject: (error: unknown) => void;
}

interface Opened {
  terms: readonly string[];
  scope: CandidateScope;
  /** Its steps on the session's connection, once the worker is gone. */
  here: CandidateSteps | null;
}

const log = (line: string) => process.stderr.write(`run-inspector: ${line}\n`);

/** The error the worker met, as this thread would have met it. */
function failure({ message, sqliteCode }: Extract<FromCandidateWorker, { type: 'failed' }>): Error {
  return sqliteCode === null ? new StoreError('INTERNAL', message) : new Database.SqliteError(message, sqliteCode);
}

export class CandidateWorker implements CandidateSearches {
  private worker: Worker | null;
  private readonly reader: CandidateReader;
  private readonly searches = new Map<number, Opened>();
  private readonly owed = new Map<number, Owed>();
  private nextId = 1;
  private closed = false;

  /** `worker`: started on this role (CandidateWorkerSpec); `reader`: the session's own, for when it is gone. */
  constructor(worker: Worker, reader: CandidateReader) {
    this.worker = worker;
    this.reader = reader;
    worker.unref();
    worker.on('message', (message: FromCandidateWorker) => this.settle(message));
    worker.on('error', (error) => this.gone(`the search's worker failed (${error.message})`));
    worker.on('exit', (code) => this.gone(`the search's worker stopped (exit ${code})`));
  }

  open(terms: readonly string[], scope: CandidateScope): CandidateSearch {
    const search = this.nextId++;
    this.searches.set(search, { terms, scope, here: null });
    this.send({ type: 'open', search, terms, scope });
    return {
      next: (after, limit) => this.step(search, after, limit),
      close: () => {
        this.searches.delete(search);
        this.send({ type: 'close', search });
      },
    };
  }

  private step(search: number, after: OrderKey | null, limit: number): Promise<CandidateStep> {
    if (this.closed) return Promise.reject(new StoreError('CANCELLED', 'the search index was closed'));
    if (this.worker === null) return Promise.resolve().then(() => this.stepHere(search, after, limit));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.owed.set(id, { search, after, limit, resolve, reject });
      this.worker!.ref();
      this.send({ type: 'step', id, search, after, limit });
    });
  }

  private stepHere(search: number, after: OrderKey | null, limit: number): CandidateStep {
    const opened = this.searches.get(search);
    if (!opened) throw new StoreError('CANCELLED', 'the search was closed');
    opened.here ??= this.reader.open(opened.terms, opened.scope);
    return opened.here(after, limit);
  }

  private send(message: ToCandidateWorker): void {
    this.worker?.postMessage(message);
  }

  private settle(message: FromCandidateWorker): void {
    const owed = this.owed.get(message.id);
    if (!owed) return;
    this.owed.delete(message.id);
    if (this.owed.size === 0) this.worker?.unref();
    if (message.type === 'step') owed.resolve(message.step);
    else owed.reject(failure(message));
  }

  /** The worker ended on its own: what it owed is read here, and so is every later step. */
  private gone(why: string): void {
    if (this.worker === null || this.closed) return;
    this.worker = null;
    log(`${why}: searches are read on the session's thread from now on`);
    const owed = [...this.owed.values()];
    this.owed.clear();
    for (const { search, after, limit, resolve, reject } of owed) {
      try {
        resolve(this.stepHere(search, after, limit));
      } catch (error) {
        reject(error);
      }
    }
  }

  /** Ends the worker; the steps it owes fail with CANCELLED. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    for (const { reject } of this.owed.values()) reject(new StoreError('CANCELLED', 'the search index was closed'));
    this.owed.clear();
    await worker?.terminate();
  }
}
