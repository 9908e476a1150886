// DeerFlow's JSONL directory layout: <root>/threads/<thread_id>/runs/<run_id>.jsonl
// (DESIGN.md §3). Ids become path parts, so only DeerFlow's safe ids are used.
import { readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import { badArgument } from '../../../src-shared/errors.ts';
import { checkId } from '../validate.ts';

export const SAFE_ID = /^[A-Za-z0-9_-]+$/;
export const RUN_FILE_SUFFIX = '.jsonl';

/** checkId plus DeerFlow's rule for ids that name files and folders. */
export function checkSafeId(value: unknown, field: string): string {
  const id = checkId(value, field);
  if (!SAFE_ID.test(id)) throw badArgument(`${field}: must match ${SAFE_ID.source} to name a file in a JSONL store (got ${JSON.stringify(id)})`);
  return id;
}

export function statOrNull(file: string): Stats | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}

const isDirectory = (p: string): boolean => statOrNull(p)?.isDirectory() ?? false;

export interface LayoutRoot {
  /** Absolute path of the folder that holds (or will hold) `threads`. */
  root: string;
  /** False when the folder shows no sign of the layout (a new store, or a folder of exports). */
  isLayout: boolean;
}

/** The root for a folder given as the root itself, the folder holding `.deer-flow`, or the `threads` folder. */
export function resolveLayoutRoot(dir: string): LayoutRoot {
  const abs = path.resolve(dir);
  if (isDirectory(path.join(abs, 'threads'))) return { root: abs, isLayout: true };
  if (isDirectory(path.join(abs, '.deer-flow'))) return { root: path.join(abs, '.deer-flow'), isLayout: true };
  if (path.basename(abs) === 'threads') return { root: path.dirname(abs), isLayout: true };
  return { root: abs, isLayout: false };
}

export const threadsDir = (root: string) => path.join(root, 'threads');
export const threadDir = (root: string, threadId: string) => path.join(root, 'threads', threadId);
export const runsDir = (root: string, threadId: string) => path.join(root, 'threads', threadId, 'runs');
export const runFile = (root: string, threadId: string, runId: string) => path.join(runsDir(root, threadId), runId + RUN_FILE_SUFFIX);

/** Thread and run of a file at `…/threads/<t>/runs/<r>.jsonl`; null for a file outside the layout. */
export function layoutIds(file: string): { thread_id: string; run_id: string } | null {
  const parts = path.resolve(file).split(path.sep);
  const n = parts.length;
  if (n < 4 || parts[n - 2] !== 'runs' || parts[n - 4] !== 'threads' || !parts[n - 1].endsWith(RUN_FILE_SUFFIX)) return null;
  const threadId = parts[n - 3];
  const runId = parts[n - 1].slice(0, -RUN_FILE_SUFFIX.length);
  return SAFE_ID.test(threadId) && SAFE_ID.test(runId) ? { thread_id: threadId, run_id: runId } : null;
}

/** Called with the path of an entry that looks like part of the layout but whose name is not a safe id. */
export type OnUnsafeEntry = (entry: string) => void;

/**
 * Entries of a folder whose names are safe ids (sorted, so reads are in a
 * stable order), and whether each is a folder; null when it cannot be listed.
 * Hidden entries are not DeerFlow's and are passed over; other unsafe names
 * go to `onUnsafe`, so a file the store cannot show is reported rather than
 * silently left out.
 */
function safeEntries(dir: string, suffix: string, onUnsafe?: (entry: string, folder: boolean) => void): { id: string; folder: boolean }[] | null {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return null;
  }
  const found: { id: string; folder: boolean }[] = [];
  for (const entry of entries) {
    const { name } = entry;
    if (!name.endsWith(suffix) || name.startsWith('.')) continue;
    const id = name.slice(0, name.length - suffix.length);
    // The entry's type comes with the listing; a link is followed, as a stat would.
    const folder = entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(path.join(dir, name)));
    if (SAFE_ID.test(id)) found.push({ id, folder });
    else onUnsafe?.(path.join(dir, name), folder);
  }
  return found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Thread folders under the root (one listing: no stat per thread). */
export const listThreadIds = (root: string, onUnsafe?: OnUnsafeEntry): string[] =>
  (safeEntries(threadsDir(root), '', (entry, folder) => folder && onUnsafe?.(entry)) ?? []).filter((entry) => entry.folder).map((entry) => entry.id);

/** Run ids of a thread, or null when the thread's `runs` folder does not exist. */
export const listRunIds = (root: string, threadId: string, onUnsafe?: OnUnsafeEntry): string[] | null =>
  safeEntries(runsDir(root, threadId), RUN_FILE_SUFFIX, onUnsafe)?.map((entry) => entry.id) ?? null;
