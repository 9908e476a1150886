// Browser mode's typed paths, completed (issue 9, point 2): the entries of
// the typed prefix's folder whose names start with its last part. Hidden
// entries only when that part starts with a dot, as a shell completes.
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { PathEntry } from '../../src-shared/contract.ts';

export const MAX_PATH_ENTRIES = 50;

export async function completePath(prefix: string): Promise<PathEntry[]> {
  if (!path.isAbsolute(prefix)) return [];
  const endsInSeparator = prefix.endsWith(path.sep) || prefix.endsWith('/');
  const folder = endsInSeparator ? prefix : path.dirname(prefix);
  const start = endsInSeparator ? '' : path.basename(prefix);
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    // A folder that does not exist (yet) or cannot be read has nothing to offer.
    return [];
  }
  return entries
    .filter((entry) => entry.name.startsWith(start) && (start.startsWith('.') || !entry.name.startsWith('.')))
    .map((entry) => ({ path: path.join(folder, entry.name), folder: entry.isDirectory() }))
    .sort((a, b) => Number(b.folder) - Number(a.folder) || a.path.localeCompare(b.path))
    .slice(0, MAX_PATH_ENTRIES);
}
