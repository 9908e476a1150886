// Where a source's search index lives (issue 10, DESIGN.md §4): beside a
// database this app created, when its folder can be written; otherwise in the
// user data folder, named after the source's absolute path — never inside,
// or beside, a database someone else owns, nor inside a JSONL layout.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const SIDECAR_SUFFIX = '.search-index';
export const USER_DATA_SUBFOLDER = 'search-index';

export interface SidecarSource {
  /** The database, JSONL root or export file (absolute). */
  path: string;
  /** A database this app created (SqliteStore.createdByApp); false for every JSONL source. */
  createdByApp: boolean;
}

function isWritableFolder(folder: string): boolean {
  try {
    fs.accessSync(folder, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export function sidecarPath(source: SidecarSource, userDataDir: string): string {
  if (source.createdByApp && isWritableFolder(path.dirname(source.path))) return `${source.path}${SIDECAR_SUFFIX}`;
  const key = createHash('sha256').update(path.resolve(source.path)).digest('hex');
  return path.join(userDataDir, USER_DATA_SUBFOLDER, `${key}.sqlite`);
}

/**
 * What tells a source from another one at the same path later: the file's
 * (or folder's) device and inode, so a database replaced by another file is
 * indexed again from scratch. A file rewritten in place is caught by the
 * sync itself (its last indexed row changed).
 */
export function sourceIdentity(kind: string, file: string): string {
  const stats = fs.statSync(file, { throwIfNoEntry: false });
  // A new JSONL store's folder appears with its first event: nothing indexed is lost then.
  if (!stats) return `${kind}:none`;
  // An export is read once and never written by the app: any change to it is a new source.
  const content = kind === 'jsonl-file' ? `:${stats.size}:${stats.mtimeMs}` : '';
  return `${kind}:${stats.dev}:${stats.ino}${content}`;
}
