// The read worker's side (started from job-worker.ts's entry): the source
// opened read-only on a connection of its own, whose kept figures (spans,
// runs' facts, overviews and their marks, kept summaries) live here; each
// named read answered by id, as it ends, so requests may overlap, and as its
// JSON (the session's transports send those bytes on as they are). Here too,
// off the session's thread, what reads the whole table: the overview marks
// of every thread, found at open a page of rows at a time between requests
// (for the strips this worker draws), and the follower of other connections'
// commits, whose look at a big table (a count per thread) takes a while.
import type { MessagePort } from 'node:worker_threads';
import type { InspectorStore } from '../../src-shared/types.ts';
import { asStoreError } from '../as-store-error.ts';
import { keepOverviewMarks, keepThreadSummary } from '../handlers/thread-summary.ts';
import { followSource } from '../live/follow-source.ts';
import type { SourceFollower } from '../live/follower.ts';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { readFrom, type FromReadWorker, type ReadWorkerSpec, type ToReadWorker } from './read-methods.ts';

const expires = (store: InspectorStore): store is InspectorStore & { expire(threadIds: string[] | null): void } => 'expire' in store;

/** The follower's side of the worker: its events posted to the session, the session's absorb and holds taken in. */
class FollowerHere {
  private follower: SourceFollower | null = null;
  private readonly releases = new Map<number, () => void>();
  private reopened: { resolve: () => void; reject: (error: Error) => void } | null = null;
  private readonly send: (message: FromReadWorker) => void;

  constructor(send: (message: FromReadWorker) => void) {
    this.send = send;
  }

  /** Follows from now on; the session then pushes everything if another connection committed since it opened the source. */
  start(store: InspectorStore): void {
    this.follower = followSource(store, {
      onChanged: (threadIds) => this.send({ type: 'changed', threadIds }),
      // Told again at a later check when the session could not open the new file.
      onReplaced: () =>
        new Promise<void>((resolve, reject) => {
          this.reopened = { resolve, reject };
          this.send({ type: 'replaced' });
        }),
    });
    this.send({ type: 'following' });
  }

  /** Before start, a hold holds nothing (the first look is taken after the write) and an absorb has nothing to take in. */
  take(message: ToReadWorker & { type: 'absorb' | 'hold' | 'release' | 'reopened' }): void {
    if (message.type === 'absorb') this.follower?.absorb(message.threadIds, message.removed);
    else if (message.type === 'hold') {
      void Promise.resolve(this.follower?.hold?.() ?? (() => {})).then((release) => {
        this.releases.set(message.id, release);
        this.send({ type: 'held', id: message.id });
      });
    } else if (message.type === 'release') {
      this.releases.get(message.id)?.();
      this.releases.delete(message.id);
    } else {
      const reopened = this.reopened;
      this.reopened = null;
      if (message.ok) reopened?.resolve();
      else reopened?.reject(new Error('the new file could not be opened yet'));
    }
  }
}

/**
 * The first reads are answered before what reads the whole table starts (the
 * follower's first look, the marks pass): a turn of the loop lets the
 * requests already waiting in.
 */
export function serveReads(port: MessagePort, { source, userDataDir, follow }: ReadWorkerSpec): void {
  const send = (message: FromReadWorker) => port.postMessage(message);
  let store: SqliteStore;
  try {
    store = openSqliteStore(source, { create: false, readOnly: true });
  } catch (error) {
    send({ type: 'unusable', message: asStoreError(error).message });
    port.close();
    return;
  }
  keepThreadSummary(store, userDataDir);
  keepOverviewMarks(store, userDataDir);
  const follower = follow ? new FollowerHere(send) : null;
  port.on('message', (message: ToReadWorker) => {
    if (message.type === 'read') answer(store, message, send);
    else if (message.type === 'expire') {
      if (expires(store)) store.expire(message.threadIds);
    } else follower?.take(message);
  });
  send({ type: 'ready' });
  setImmediate(() => {
    follower?.start(store);
    // A database whose run_events is a view has no rowid to page by: its strips read their own rows.
    store.scanOverviewMarks().then(
      (marks) => store.seedOverviewMarks(marks),
      () => {},
    ).finally(() => send({ type: 'marked' }));
  });
}

const utf8 = new TextEncoder();

/**
 * JSON text as UTF-8 in shared memory: the session takes it in without a copy and, unlike a
 * buffer moved to it, without its size counting towards the session's next full collection (V8
 * counts a moved buffer as its new isolate's memory: a few answers of the runs of a big thread,
 * 23 MB each, made one, which held the session's thread for 10–30 ms).
 */
function sharedUtf8(text: string): Uint8Array {
  const json = new Uint8Array(new SharedArrayBuffer(Buffer.byteLength(text, 'utf8')));
  utf8.encodeInto(text, json);
  return json;
}

/** Serialised here, once, off the session's thread: the session passes the bytes on to the page's transport as they are. */
function answer(store: InspectorStore, { id, method, params }: ToReadWorker & { type: 'read' }, send: (message: FromReadWorker) => void): void {
  readFrom(store, method, params as never)
    .then((value) => sharedUtf8(JSON.stringify(value)))
    .then(
      (json) => send({ type: 'answer', id, json }),
      (error: unknown) => {
        const { code, message } = asStoreError(error);
        // A bug: its stack is printed here, where it happened.
        if (code === 'INTERNAL') console.error(`read worker: ${method} failed:`, error);
        send({ type: 'failed', id, code, message });
      },
    );
}
