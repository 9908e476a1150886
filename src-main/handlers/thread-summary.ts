// Where a source's thread list is kept between sessions (issue 13, "Large
// servers"; issue 14, "Kept summaries for huge stores" and a JSONL layout's
// index): in its sidecar file, the one its search index lives in (DESIGN.md
// §4), beside a database the app created, else in the user data folder keyed
// by the source's path or URL.
import fs from 'node:fs';
import path from 'node:path';
import type { InspectorStore } from '../../src-shared/types.ts';
import { isDamagedSidecar, removeSidecar } from '../search/sidecar-file.ts';
import { sidecarPath, sourceIdentity } from '../search/sidecar-location.ts';
import { JsonlIndexFile } from '../store/jsonl/jsonl-index-file.ts';
import { SummaryFile } from '../store/postgres/summary-file.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { SqliteMarksFile } from '../store/sqlite/marks-file.ts';
import { SqliteSummaryFile } from '../store/sqlite/summary-file.ts';

interface KeepsSummary {
  identity: string;
  keepSummaryIn(file: SummaryFile): void;
}

const keepsSummary = (store: InspectorStore): store is InspectorStore & KeepsSummary => 'keepSummaryIn' in store && 'identity' in store;

/** A JSONL layout store (jsonl-store.ts, known without loading it), which keeps its index. */
const keepsIndex = (store: InspectorStore): store is InspectorStore & { keepIndexIn(file: JsonlIndexFile): void } =>
  store.info.kind === 'jsonl' && 'keepIndexIn' in store;

/**
 * Gives a SQLite or PostgreSQL store its summary file and a JSONL layout store
 * its kept index, before their first query (another store lists from what it
 * reads). Without a user data folder to write the list is made from the
 * source, as the first time.
 */
export function keepThreadSummary(store: InspectorStore, userDataDir: string): void {
  const source = store.info.path;
  if (source === null) return;
  if (store instanceof SqliteStore) {
    const file = openSqliteKept(store, source, userDataDir, (at, identity) => new SqliteSummaryFile(at, identity));
    if (file) store.keepSummaryIn(file);
  } else if (store.info.kind === 'postgres' && keepsSummary(store)) {
    const file = openKept(sidecarPath({ path: source, createdByApp: false }, userDataDir), (at) => new SummaryFile(at, store.identity));
    if (file) store.keepSummaryIn(file);
  } else if (keepsIndex(store)) {
    // The path too: a sidecar copied from another folder's place is not this layout's, whatever its folder's inode.
    const identity = `${source}\n${sourceIdentity('jsonl', source)}`;
    const file = openKept(sidecarPath({ path: source, createdByApp: false }, userDataDir), (at) => new JsonlIndexFile(at, identity));
    if (file) store.keepIndexIn(file);
  }
}

/**
 * Gives a SQLite store the overview marks kept in its sidecar (marks-file.ts), which its whole-table
 * marks pass replaces: the read worker's store, which runs that pass, never the session's thread.
 */
export function keepOverviewMarks(store: SqliteStore, userDataDir: string): void {
  const source = store.info.path;
  const file = source === null ? null : openSqliteKept(store, source, userDataDir, (at, identity) => new SqliteMarksFile(at, identity));
  if (file) store.keepMarksIn(file);
}

/** Kept tables of a SQLite database's, in its sidecar, for the database's identity. */
function openSqliteKept<F>(store: SqliteStore, source: string, userDataDir: string, open: (file: string, identity: string) => F): F | null {
  const identity = sourceIdentity('sqlite', source);
  return openKept(sidecarPath({ path: source, createdByApp: store.createdByApp }, userDataDir), (at) => open(at, identity));
}

/** The kept tables in the sidecar at `file`; a sidecar that is no database (damaged) is made again, as the search index does. */
function openKept<F>(file: string, open: (file: string) => F): F | null {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      return open(file);
    } catch (error) {
      if (!isDamagedSidecar(error)) return null;
      removeSidecar(file);
      return open(file);
    }
  } catch {
    return null;
  }
}
