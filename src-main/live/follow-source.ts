// Which follower a source gets (issue 12, "Live tail"): a database's
// data_version poll, a PostgreSQL server's snapshot poll, a JSONL layout's
// watch, an export file's stat.
import type { InspectorStore } from '../../src-shared/types.ts';
import { followDatabase } from './database-follower.ts';
import type { FollowerEvents, SourceFollower } from './follower.ts';
import { followExportFile, followLayout } from './jsonl-follower.ts';
import { followPostgres, type FollowedPostgres } from './postgres-follower.ts';

const expiresThreads = (store: InspectorStore): store is InspectorStore & { expire(threadIds: readonly string[] | null): void } => 'expire' in store;
const opensLiveClients = (store: InspectorStore): store is InspectorStore & FollowedPostgres => 'liveClient' in store;

/** A follower of the store's file or folder; null for a memory store, or a file that cannot be read beside the store. */
export function followSource(store: InspectorStore, events: FollowerEvents): SourceFollower | null {
  const { kind, path } = store.info;
  if (path === null) return null;
  const expire = expiresThreads(store) ? (ids: string[] | null) => store.expire(ids) : () => {};
  // The store's kept thread list reads the threads named again (null: all), whatever else it can tell changed.
  const expiring: FollowerEvents = {
    ...events,
    onChanged: (ids) => {
      expire(ids);
      events.onChanged(ids);
    },
  };
  try {
    if (kind === 'sqlite') return followDatabase(path, expiring);
    if (kind === 'jsonl') return followLayout(path, events, expire);
    if (kind === 'postgres' && opensLiveClients(store)) return followPostgres(store, expiring);
    if (kind === 'jsonl-file') return followExportFile(path, events);
  } catch {
    // Not followed (a database another connection cannot open read-only): the page still refreshes on its own changes.
  }
  return null;
}
