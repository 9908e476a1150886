// Whether a source changed since the index last caught up with it (issue
// 10: the index is brought up to date when another process writes, not only
// after the app's own changes): a token, cheap enough to take before every
// search, that differs once the source changed.
import Database from 'better-sqlite3';
import type { InspectorStore } from '../../src-shared/types.ts';
import { sourceIdentity } from './sidecar-location.ts';

export interface SourceWatch {
  version(): Promise<string>;
  close(): void;
}

/**
 * A SQLite database: its identity (another file at the path) and SQLite's
 * data_version on a read-only connection of the watch's own, which changes
 * whenever any other connection — the session's store, another process —
 * commits. Reading it takes no lock and writes nothing. A file renamed over
 * the path gets a connection of its own: the old one would go on watching
 * the replaced file.
 */
export function watchDatabase(file: string): SourceWatch {
  let watched = openDataVersion(file);
  return {
    version: async () => {
      if (sourceIdentity('sqlite', file) !== watched.identity) {
        watched.db.close();
        watched = openDataVersion(file);
      }
      return `${watched.identity}:${watched.dataVersion.get()}`;
    },
    close: () => watched.db.close(),
  };
}

function openDataVersion(file: string) {
  const identity = sourceIdentity('sqlite', file);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  return { identity, db, dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck() };
}

/** A JSONL source: every thread's count and latest stamp, as the store (which re-reads changed files itself) lists them. */
export function watchStore(store: InspectorStore): SourceWatch {
  return {
    version: async () => (await store.listThreads()).map((thread) => `${thread.thread_id}:${thread.event_count}:${thread.last_created_at}`).join('\n'),
    close: () => {},
  };
}
