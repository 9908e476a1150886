// Whether a source changed since the index last caught up with it (issue
// 10: the index is brought up to date when another process writes, not only
// after the app's own changes): a token, cheap enough to take before every
// search, that differs once the source changed.
import type { InspectorStore, ThreadSummary } from '../../src-shared/types.ts';
import { WatchedDatabase } from '../live/watched-database.ts';

export interface SourceWatch {
  version(): Promise<string>;
  close(): void;
}

/**
 * A SQLite database: its identity (another file at the path) and SQLite's
 * data_version on a connection of the watch's own (watched-database.ts),
 * which changes whenever any other connection commits.
 */
export function watchDatabase(file: string): SourceWatch {
  const watched = new WatchedDatabase(file);
  return {
    version: async () => {
      watched.reopenIfReplaced();
      return `${watched.identity}:${watched.dataVersion()}`;
    },
    close: () => watched.close(),
  };
}

/** A JSONL or PostgreSQL source's version, from its thread list: every thread's count and latest stamp. */
export const listedVersion = (threads: readonly ThreadSummary[]): string => threads.map((thread) => `${thread.thread_id}:${thread.event_count}:${thread.last_created_at}`).join('\n');

/** A JSONL or PostgreSQL source: its version as the store (which re-reads changed files itself, or asks the server) lists its threads. */
export function watchStore(store: InspectorStore): SourceWatch {
  return {
    version: async () => listedVersion(await store.listThreads()),
    close: () => {},
  };
}
