// A run's anatomy (runSummary) for the run header and the waterfall, fetched
// again when the store reports a change to the thread. The answer's arrival
// is marked on the performance timeline, for the bench's first-paint figure.
import type { RunAnatomy } from '../../../src-shared/types.ts';
import { api } from '../../api.ts';
import type { Load } from '../../common/hooks.ts';
import { useLoad, useStoreChanged } from '../../common/hooks.ts';

export const SUMMARY_ARRIVED_MARK = 'run-summary:arrived';

export function useRunSummary(threadId: string, runId: string): [Load<RunAnatomy>, () => void] {
  const [summary, reload] = useLoad(
    () =>
      api.runSummary({ threadId, runId }).then((anatomy) => {
        performance.clearMarks(SUMMARY_ARRIVED_MARK);
        performance.mark(SUMMARY_ARRIVED_MARK);
        return anatomy;
      }),
    `${threadId}\n${runId}`,
  );
  useStoreChanged(reload, threadId);
  return [summary, reload];
}
