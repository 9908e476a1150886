// The page's store health: checked when the panel first opens and again after
// a change while it is open; while it is closed a change only marks the
// counts as older than it, and the next opening checks what changed. A check
// of the whole store is seconds of the job worker's time at a million events,
// and a followed store changes several times a second: re-checking on every
// change nobody is looking at would keep the worker from imports and exports.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { HealthFinding, HealthProgress, HealthReport } from '../../src-shared/health.ts';
import { api } from '../api.ts';
import { errorMessage } from '../common/error-message.ts';
import { usePush, useSerial, useStoreChanged } from '../common/hooks.ts';
import { checkPlan, mergeThreadFindings, type Unchecked, withChange } from './check-state.ts';
import { type HealthFilter, noHealthFilter } from './health-model.ts';
import { setLastReport } from './last-report.ts';

export interface Health {
  /** The last report; undefined until a check of this source has answered. */
  report: HealthReport | undefined;
  checking: boolean;
  /** The whole store's check as it goes; null before its first push and for a check of a few threads. */
  progress: HealthProgress | null;
  /** Why the last check failed; null once one succeeds. */
  error: string | null;
  /** The store changed since the report: its counts may be out of date. */
  stale: boolean;
  /** Checks the whole store again. */
  checkAgain: () => void;
  /** The panel's place, kept while it is closed (a jump closes it): its filter and the row the keys are on. */
  filter: HealthFilter;
  setFilter: (filter: HealthFilter) => void;
  active: number;
  setActive: (index: number) => void;
}

/** `sourceKey` names the open source: another one starts over, unchecked. */
export function useHealth(sourceKey: string | null, panelOpen: boolean): Health {
  const [report, setReport] = useState<HealthReport | undefined>(undefined);
  const [checking, setChecking] = useState(false);
  const [progress, setProgress] = useState<HealthProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [filter, setFilter] = useState<HealthFilter>(noHealthFilter);
  const [active, setActive] = useState(0);
  const reportRef = useRef(report);
  const unchecked = useRef<Unchecked>('all');
  /** Bumped when another source opens: a check begun on the last one is not this one's. */
  const generation = useRef(0);
  const wholeStore = useRef(false);

  const show = useCallback((next: HealthReport | undefined) => {
    reportRef.current = next;
    setReport(next);
    setLastReport(next);
  }, []);

  useEffect(() => {
    generation.current++;
    unchecked.current = 'all';
    show(undefined);
    setError(null);
    setStale(false);
    setFilter(noHealthFilter);
    setActive(0);
  }, [sourceKey, show]);
  useEffect(() => () => setLastReport(undefined), []);

  const run = useSerial(
    async () => {
      const plan = checkPlan(reportRef.current, unchecked.current);
      if (plan.kind === 'none') return;
      const gen = generation.current;
      unchecked.current = null;
      setChecking(true);
      setProgress(null);
      wholeStore.current = plan.kind === 'store';
      try {
        const next = plan.kind === 'store' ? await api.checkHealth({}) : await checkThreads(reportRef.current as HealthReport, plan.threadIds);
        if (gen !== generation.current) return;
        show(next);
        setError(null);
        setStale(unchecked.current !== null);
      } catch (failure) {
        // A failure of the last source's check is not this one's.
        if (gen === generation.current) throw failure;
      } finally {
        // Checks never overlap (useSerial): none other runs now, whichever source this one was of.
        wholeStore.current = false;
        setChecking(false);
      }
    },
    (failure) => {
      // What it was to look at is still to be looked at: the next opening or change checks the whole store.
      unchecked.current = 'all';
      setError(errorMessage(failure));
    },
  );

  usePush('health:progress', (message) => {
    if (wholeStore.current) setProgress(message);
  });

  useStoreChanged((change) => {
    unchecked.current = withChange(unchecked.current, change);
    if (panelOpen) run();
    else if (reportRef.current) setStale(true);
  });

  useEffect(() => {
    if (panelOpen && (reportRef.current === undefined || unchecked.current !== null)) run();
  }, [panelOpen, sourceKey, run]);

  const checkAgain = useCallback(() => {
    unchecked.current = 'all';
    run();
  }, [run]);

  return { report, checking, progress, error, stale, checkAgain, filter, setFilter, active, setActive };
}

/** The threads' own checks, one after another (the store answers one call at a time), merged into `report`. */
async function checkThreads(report: HealthReport, threadIds: readonly string[]): Promise<HealthReport> {
  const fresh: HealthFinding[] = [];
  for (const threadId of threadIds) fresh.push(...(await api.checkHealth({ threadId })).findings);
  return mergeThreadFindings(report, threadIds, fresh);
}
