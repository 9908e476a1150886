// The run "Compare with…" picked, kept while the user goes to the run to
// compare it with, in this thread or another: the page's, not the URL's, as
// it names no place yet.
import { useSyncExternalStore } from 'react';
import type { RunKey } from './compare-pair.ts';

let picked: RunKey | null = null;
const listeners = new Set<() => void>();

export function pickRun(run: RunKey | null): void {
  picked = run;
  for (const listener of listeners) listener();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

export const usePickedRun = (): RunKey | null => useSyncExternalStore(subscribe, () => picked);
