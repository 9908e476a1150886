// The run.error events of the stopped runs whose boundaries are in the
// loaded window, each fetched once, so a boundary (recycled as the timeline
// scrolls) can show the error in full and link to its event without asking
// again. Only the window's runs: a thread of thousands of runs would
// otherwise send a request for every failed run when it opens.
import { useEffect, useRef, useState } from 'react';
import { RUN_ERROR_TYPES } from '../../src-shared/run-status.ts';
import type { RunEvent, RunSummary } from '../../src-shared/types.ts';
import { api } from '../api.ts';
import { isStopped } from './run-stop.ts';

/** run id → the run's last error event, for the stopped runs among `runIds` (the window's boundaries). */
export function useRunErrors(threadId: string, runs: ReadonlyMap<string, RunSummary>, runIds: readonly string[]): ReadonlyMap<string, RunEvent> {
  const [errors, setErrors] = useState<ReadonlyMap<string, RunEvent>>(new Map());
  const asked = useRef(new Set<string>());
  const wantedKey = runIds.filter((runId) => !asked.current.has(runId) && isStoppedRun(runs.get(runId))).join('\n');

  useEffect(() => {
    if (wantedKey === '') return;
    const wanted = wantedKey.split('\n');
    for (const runId of wanted) asked.current.add(runId);
    // Not cancelled when more boundaries come into the window: each answer is kept once it arrives
    // (the timeline is remounted for another thread, so no answer lands on the wrong one).
    Promise.all(wanted.map((runId) => api.listEvents({ threadId, runId, eventTypes: [...RUN_ERROR_TYPES] }))).then(
      (found) => {
        const lastOf = found.flatMap((events) => (events.length > 0 ? [[events[events.length - 1].run_id, events[events.length - 1]] as const] : []));
        if (lastOf.length > 0) setErrors((known) => new Map([...known, ...lastOf]));
      },
      // Asked again when the boundary next comes into the window.
      () => wanted.forEach((runId) => asked.current.delete(runId)),
    );
  }, [threadId, wantedKey]);

  return errors;
}

const isStoppedRun = (run: RunSummary | undefined) => run !== undefined && isStopped(run);
