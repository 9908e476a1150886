// The run.error events of a thread's stopped runs, fetched once per set of
// such runs, so the run boundaries (recycled as the timeline scrolls) can
// show the error in full and link to its event without asking again.
import { useMemo } from 'react';
import { RUN_ERROR_TYPES } from '../../src-shared/run-status.ts';
import type { RunEvent, RunSummary } from '../../src-shared/types.ts';
import { api } from '../api.ts';
import { useLoad } from '../common/hooks.ts';
import { isStopped } from './run-stop.ts';

const none: ReadonlyMap<string, RunEvent> = new Map();

/** run id → the run's last error event. */
export function useRunErrors(threadId: string, runs: ReadonlyMap<string, RunSummary>): ReadonlyMap<string, RunEvent> {
  const stopped = useMemo(() => [...runs.values()].filter(isStopped).map((run) => run.run_id), [runs]);
  const [errors] = useLoad(async () => {
    const found = await Promise.all(stopped.map((runId) => api.listEvents({ threadId, runId, eventTypes: [...RUN_ERROR_TYPES] })));
    return new Map(found.flatMap((events) => (events.length > 0 ? [[events[events.length - 1].run_id, events[events.length - 1]] as const] : [])));
  }, `${threadId}:${stopped.join(',')}`);
  return errors.value ?? none;
}
