// "Export repaired copy" (issue 15): a JSONL layout written anew in a folder
// the user names, each thread as repair-thread.ts sorts it (records in their
// own run's file, duplicates of one record dropped, lines that are not
// records left out). Repair is never silent and never in place: the source
// is only read, and the copy goes to a folder that is new or empty and
// outside the source, so the original stays byte for byte as it was.
import { mkdirSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RepairSummary } from '../../src-shared/contract.ts';
import { badArgument } from '../../src-shared/errors.ts';
import { plural } from '../../src-shared/plural.ts';
import { listRunIds, listThreadIds, resolveLayoutRoot, runFile, runsDir } from '../store/jsonl/layout.ts';
import { cancelledError, type JobContext, type RepairSpec } from './job-spec.ts';
import { noRepairCounts, repairThread } from './repair-thread.ts';

/** A path as the file system names it, through links; a path that does not exist yet, from its nearest existing folder. */
function realPath(target: string): string {
  const missing: string[] = [];
  let at = path.resolve(target);
  for (;;) {
    try {
      return path.join(realpathSync(at), ...missing.reverse());
    } catch {
      const parent = path.dirname(at);
      if (parent === at) return path.resolve(target);
      missing.push(path.basename(at));
      at = parent;
    }
  }
}

const within = (folder: string, target: string) => {
  const relative = path.relative(folder, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

/**
 * The layout's root for a source folder and a repaired copy's folder: BAD_ARGUMENT when the source is not a
 * JSONL layout, or `out` is inside it (or it), or holds anything already.
 */
export function checkRepairTarget(source: string, out: string): { root: string; out: string } {
  const { root, isLayout } = resolveLayoutRoot(source);
  if (!statSync(source, { throwIfNoEntry: false })?.isDirectory() || !isLayout) {
    throw badArgument(`source: ${source} is not a JSONL folder in DeerFlow's layout (threads/<thread>/runs/<run>.jsonl); only such a folder has a repaired copy`);
  }
  const target = path.resolve(out);
  const real = realPath(target);
  for (const folder of new Set([path.resolve(source), root])) {
    if (within(realPath(folder), real)) throw badArgument(`out: ${target} is inside the source ${folder}; the repaired copy goes outside it, so the original is never touched`);
  }
  const found = statSync(target, { throwIfNoEntry: false });
  if (found && !found.isDirectory()) throw badArgument(`out: ${target} is a file; name a new or empty folder`);
  if (found && readdirSync(target).length > 0) throw badArgument(`out: ${target} is not empty; name a new or empty folder`);
  return { root, out: target };
}

/** Each thread's run files, run id → path, in the layout's order. */
function layoutThreads(root: string): Map<string, Map<string, string>> {
  const threads = new Map<string, Map<string, string>>();
  for (const thread of listThreadIds(root)) {
    const runs = listRunIds(root, thread) ?? [];
    threads.set(thread, new Map(runs.map((run) => [run, runFile(root, thread, run)])));
  }
  return threads;
}

export async function repairJsonl(spec: RepairSpec, { onProgress, signal }: JobContext): Promise<RepairSummary> {
  const started = performance.now();
  const { root, out } = checkRepairTarget(spec.source, spec.out);
  const threads = layoutThreads(root);
  const total = [...threads.values()].reduce((sum, runs) => sum + runs.size, 0);
  const counts = noRepairCounts();
  let read = 0;
  let files = 0;
  mkdirSync(out, { recursive: true });
  for (const [thread, runs] of threads) {
    // Between threads: a cancel is heard, and an in-process job lets the event loop run.
    await new Promise((resolve) => setImmediate(resolve));
    if (signal.aborted) throw cancelledError();
    const repaired = repairThread(thread, runs, counts);
    if (repaired.size > 0) mkdirSync(runsDir(out, thread), { recursive: true });
    for (const [run, lines] of repaired) writeFileSync(runFile(out, thread, run), Buffer.concat(lines));
    files += repaired.size;
    read += runs.size;
    onProgress({ done: read, total, message: `${read.toLocaleString('en-US')} of ${plural(total, 'file', 'files', (n) => n.toLocaleString('en-US'))} read` });
  }
  return { ...counts, files, out, seconds: (performance.now() - started) / 1000 };
}
