// Where a server database's thread list is kept between sessions (issue 13,
// "Large servers"): in its sidecar file, the one its search index lives in
// (DESIGN.md §4), which is in the user data folder, keyed by its URL.
import fs from 'node:fs';
import path from 'node:path';
import type { InspectorStore } from '../../src-shared/types.ts';
import { sidecarPath } from '../search/sidecar-location.ts';
import { openSummaryFile, type SummaryFile } from '../store/postgres/summary-file.ts';

interface KeepsSummary {
  identity: string;
  keepSummaryIn(file: SummaryFile): void;
}

const keepsSummary = (store: InspectorStore): store is InspectorStore & KeepsSummary => 'keepSummaryIn' in store && 'identity' in store;

/** Gives a PostgreSQL store its summary file; other stores derive what they need from their files. */
export function keepThreadSummary(store: InspectorStore, userDataDir: string): void {
  if (store.info.kind !== 'postgres' || store.info.path === null || !keepsSummary(store)) return;
  const file = sidecarPath({ path: store.info.path, createdByApp: false }, userDataDir);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  } catch {
    return; // no user data folder to write: the list is made from the table, as the first time
  }
  const summary = openSummaryFile(file, store.identity);
  if (summary) store.keepSummaryIn(summary);
}
