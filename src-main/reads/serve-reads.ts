// The read worker's side (started from job-worker.ts's entry): the source
// opened read-only on a connection of its own, whose kept figures (spans,
// runs' facts, overviews and their marks, kept summaries) live here; each
// named read answered by id, as it ends, so requests may overlap. The
// overview marks of every thread are found here at open, a page of rows at a
// time between requests, for the strips this worker draws.
import type { MessagePort } from 'node:worker_threads';
import type { InspectorStore } from '../../src-shared/types.ts';
import { asStoreError } from '../as-store-error.ts';
import { keepThreadSummary } from '../handlers/thread-summary.ts';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { readFrom, type FromReadWorker, type ReadWorkerSpec, type ToReadWorker } from './read-methods.ts';

const expires = (store: InspectorStore): store is InspectorStore & { expire(threadIds: string[] | null): void } => 'expire' in store;

export function serveReads(port: MessagePort, { source, userDataDir }: ReadWorkerSpec): void {
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
  send({ type: 'ready' });
  port.on('message', (message: ToReadWorker) => {
    if (message.type === 'expire') {
      if (expires(store)) store.expire(message.threadIds);
      return;
    }
    const { id, method, params } = message;
    readFrom(store, method, params as never).then(
      (value) => send({ type: 'answer', id, value }),
      (error: unknown) => {
        const { code, message: text } = asStoreError(error);
        // A bug: its stack is printed here, where it happened (the session's log line names the method only).
        if (code === 'INTERNAL') console.error(`read worker: ${method} failed:`, error);
        send({ type: 'failed', id, code, message: text });
      },
    );
  });
  // A database whose run_events is a view has no rowid to page by: its strips read their own rows.
  store.scanOverviewMarks().then(
    (marks) => store.seedOverviewMarks(marks),
    () => {},
  ).finally(() => send({ type: 'marked' }));
}
