// A test's hold on a page session's first read of a JSONL folder (the e2e
// spec of issue 14: the progress shown, and a thread opened while the rest
// is not read yet). While the file RUN_INSPECTOR_TEST_INDEX_HOLD names
// exists, the background read waits before its next thread once it has read
// as many run files as the file says. It pauses the reader and nothing
// else: what is read, and every answer, is as without it.
import { existsSync, readFileSync } from 'node:fs';
import type { SourceIndexing } from '../../../src-shared/contract.ts';

export const INDEX_HOLD_ENV = 'RUN_INSPECTOR_TEST_INDEX_HOLD';
const POLL_MS = 25;

/** Awaited before each thread of a background read; resolves once the hold is lifted or the store closes. */
export type IndexGate = (progress: SourceIndexing, closing: AbortSignal) => Promise<void>;

const held = (file: string, progress: SourceIndexing): boolean => {
  try {
    return progress.done >= Number(readFileSync(file, 'utf8'));
  } catch {
    return false; // removed: the hold is lifted
  }
};

/** The hold the environment asks for, if any. */
export function indexHold(env: NodeJS.ProcessEnv = process.env): IndexGate | undefined {
  const file = env[INDEX_HOLD_ENV];
  if (!file) return undefined;
  return async (progress, closing) => {
    while (!closing.aborted && existsSync(file) && held(file, progress)) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  };
}
