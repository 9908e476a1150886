// Follows one import/export job: start answers with a job id at once, and
// progress and the outcome arrive as pushes. A fast job can finish before
// its id is known here, so pushes are buffered until then.
import { useCallback, useRef, useState } from 'react';
import type { JobProgress, JobResult, JobStarted } from '../../src-shared/contract.ts';
import { api } from '../api.ts';
import { errorMessage } from '../common/error-message.ts';
import { usePush } from '../common/hooks.ts';

export type JobState =
  | { phase: 'idle' }
  | { phase: 'running'; jobId: string | null; progress: JobProgress | null }
  | { phase: 'done'; result: JobResult }
  | { phase: 'failed'; error: string };

export interface Job {
  state: JobState;
  /** `run` answers null when the user cancelled a native picker: nothing started. */
  start: (run: () => Promise<JobStarted | null>) => Promise<void>;
  cancel: () => void;
}

export function useJob(): Job {
  const [state, setState] = useState<JobState>({ phase: 'idle' });
  const jobId = useRef<string | null>(null);
  const waiting = useRef(false);
  const early = useRef<(JobProgress | JobResult)[]>([]);

  const apply = useCallback((message: JobProgress | JobResult) => {
    if ('ok' in message) setState({ phase: 'done', result: message });
    else setState((s) => (s.phase === 'running' ? { ...s, progress: message } : s));
  }, []);

  const onMessage = (message: JobProgress | JobResult) => {
    if (!waiting.current) return;
    if (jobId.current === null) early.current.push(message);
    else if (message.jobId === jobId.current) apply(message);
  };
  usePush('job:progress', onMessage);
  usePush('job:done', onMessage);

  const start = useCallback(
    async (run: () => Promise<JobStarted | null>) => {
      jobId.current = null;
      early.current = [];
      waiting.current = true;
      setState({ phase: 'running', jobId: null, progress: null });
      try {
        const started = await run();
        if (started === null) {
          waiting.current = false;
          setState({ phase: 'idle' });
          return;
        }
        const id = started.jobId;
        jobId.current = id;
        setState({ phase: 'running', jobId: id, progress: null });
        for (const message of early.current.splice(0)) if (message.jobId === id) apply(message);
      } catch (error) {
        waiting.current = false;
        setState({ phase: 'failed', error: errorMessage(error) });
      }
    },
    [apply],
  );

  const cancel = useCallback(() => {
    if (jobId.current) void api.cancelJob({ jobId: jobId.current }).catch(() => undefined);
  }, []);

  return { state, start, cancel };
}
