// The page's last health report, indexed once, for the views that mark what
// it found (the runs table, the overview strip) without it being handed down
// through every view between the top bar and them.
import { useSyncExternalStore } from 'react';
import type { HealthReport } from '../../src-shared/health.ts';
import { healthIndex, type HealthIndex, noHealthIndex, type RunHealth, type SeqMark } from './health-marks.ts';

let index: HealthIndex = noHealthIndex;
const listeners = new Set<() => void>();

/** Undefined: no report (not checked yet, or another source opened since). */
export function setLastReport(report: HealthReport | undefined): void {
  index = report ? healthIndex(report.findings) : noHealthIndex;
  for (const listener of listeners) listener();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

const noRuns: ReadonlyMap<string, RunHealth> = new Map();
const noSeqs: readonly SeqMark[] = [];

/** The thread's runs with findings, by run id. */
export const useRunHealth = (threadId: string): ReadonlyMap<string, RunHealth> => useSyncExternalStore(subscribe, () => index.runs.get(threadId) ?? noRuns);

/** The thread's findings with a seq, in seq order. */
export const useSeqMarks = (threadId: string): readonly SeqMark[] => useSyncExternalStore(subscribe, () => index.seqs.get(threadId) ?? noSeqs);
