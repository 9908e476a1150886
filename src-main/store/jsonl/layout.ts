// DeerFlow's JSONL directory layout: <root>/threads/<thread_id>/runs/<run_id>.jsonl
// (DESIGN.md §3). Ids become path parts, so only DeerFlow's safe ids are used.
import { readdirSync, statSync, type Stats } from 'node:fs';
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
 * Names in a folder that are safe ids (sorted, so reads are in a stable
 * order); null when it cannot be listed. Hidden entries are not DeerFlow's
 * and are passed over; other unsafe names go to `onUnsafe`, so a file the
 * store cannot show is reported rather than silently left out.
 */
function safeNames(dir: string, suffix: string, onUnsafe?: OnUnsafeEntry): string[] | null {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  const ids: string[] = [];
  for (const name of names) {
    if (!name.endsWith(suffix) || name.startsWith('.')) continue;
    const id = name.slice(0, name.length - suffix.length);
    if (SAFE_ID.test(id)) ids.push(id);
    else onUnsafe?.(path.join(dir, name));
  }
  return ids.sort();
}

/** Thread folders under the root. */
export const listThreadIds = (root: string, onUnsafe?: OnUnsafeEntry): string[] =>
  (safeNames(threadsDir(root), '', (entry) => isDirectory(entry) && onUnsafe?.(entry)) ?? []).filter((id) =>
    isDirectory(threadDir(root, id)),
  );

/** Run ids of a thread, or null when the thread's `runs` folder does not exist. */
export const listRunIds = (root: string, threadId: string, onUnsafe?: OnUnsafeEntry): string[] | null =>
  safeNames(runsDir(root, threadId), RUN_FILE_SUFFIX, onUnsafe);
