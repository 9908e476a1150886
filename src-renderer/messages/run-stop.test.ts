import { describe, expect, it } from 'vitest';
import type { RunEvent, RunSummary } from '../../src-shared/types.ts';
import { isStopped, runStop } from './run-stop.ts';

const run = (over: Partial<RunSummary> = {}): RunSummary => ({
  run_id: 'r1',
  message_count: 2,
  event_count: 6,
  first_created_at: '2026-04-04T00:00:00+00:00',
  last_created_at: '2026-04-04T00:00:09+00:00',
  first_seq: 1,
  last_seq: 6,
  ...over,
});
const errorEvent = (content: RunEvent['content']): RunEvent => ({
  thread_id: 't',
  run_id: 'r1',
  seq: 17,
  event_type: 'run.error',
  category: 'error',
  content,
  metadata: { error_type: 'RateLimitError' },
  created_at: '2026-04-04T00:00:09+00:00',
});

describe('runStop', () => {
  it('takes the error in full from the run.error event and links to it', () => {
    const message = 'Error code: 429 - {"error": {"code": "rate_limit_exceeded"}}';
    expect(runStop(run({ status: 'error', error: 'Error code: 429' }), errorEvent(message))).toEqual({ reason: null, text: message, seq: 17 });
    expect(runStop(run({ status: 'error' }), errorEvent({ code: 429 }))).toEqual({ reason: null, text: '{"code":429}', seq: 17 });
  });

  it("falls back on the runs row's error, with nothing to link to", () => {
    expect(runStop(run({ status: 'error', error: 'boom' }), undefined)).toEqual({ reason: null, text: 'boom', seq: null });
    expect(runStop(run({ status: 'error', error: 'boom' }), errorEvent(''))).toEqual({ reason: null, text: 'boom', seq: null });
  });

  it('gives the stop reason of a cancelled or interrupted run', () => {
    expect(runStop(run({ status: 'interrupted', stop_reason: 'interrupted_by_new_run' }), undefined)).toEqual({ reason: 'interrupted_by_new_run', text: null, seq: null });
    expect(runStop(run({ status: 'success', stop_reason: 'user_cancelled' }), undefined)?.reason).toBe('user_cancelled');
  });

  it('has nothing to say of a run that ended well or is still going', () => {
    expect(runStop(run({ status: 'success' }), undefined)).toBeNull();
    expect(runStop(run({ status: 'running' }), undefined)).toBeNull();
    expect(runStop(run(), undefined)).toBeNull();
  });
});

describe('run states', () => {
  it('knows which runs stopped short', () => {
    for (const status of ['error', 'interrupted', 'timeout', 'cancelled']) expect(isStopped(run({ status }))).toBe(true);
    expect(isStopped(run({ status: 'success' }))).toBe(false);
    expect(isStopped(run({ status: null, error: 'x' }))).toBe(true);
  });
});
