// Which HealthSource checks an open store, by its backend: a SQLite database
// on a read-only connection of the check's own; a PostgreSQL database through
// the store's pool; a JSONL source through its store, with the issues its
// reading found; memory through its API.
import type { InspectorStore } from '../../src-shared/types.ts';
import { givesHealthReads } from '../store/health-columns.ts';
import type { HealthSource } from './check-store.ts';
import { jsonlFindings } from './jsonl-findings.ts';
import { postgresHealthSource } from './postgres-source.ts';
import { openSqliteHealthSource } from './sqlite-source.ts';
import { storeHealthSource } from './store-source.ts';

export interface OpenedHealthSource {
  source: HealthSource;
  /** Closes what the source opened for itself (never the store). */
  close(): void;
}

export function healthSourceFor(store: InspectorStore): OpenedHealthSource {
  const { kind, path } = store.info;
  if (kind === 'sqlite' && path !== null) {
    const source = openSqliteHealthSource(path);
    return { source, close: () => source.close() };
  }
  if (kind === 'jsonl' || kind === 'jsonl-file') {
    return { source: storeHealthSource(store, async (threadId) => jsonlFindings(store.info, await store.sourceIssues(), threadId)), close: () => {} };
  }
  if (givesHealthReads(store)) return { source: postgresHealthSource(store.healthReads()), close: () => {} };
  return { source: storeHealthSource(store), close: () => {} };
}
