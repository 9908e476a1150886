import { describe, expect, it } from 'vitest';
import { threadMark } from './thread-marks.ts';

describe('threadMark', () => {
  it('flags a thread whose latest run failed', () => {
    for (const status of ['error', 'failed', 'timeout']) expect(threadMark({ last_run_status: status })?.kind).toBe('failed');
  });

  it('flags a thread whose latest run has not ended', () => {
    expect(threadMark({ last_run_status: 'running' })).toMatchObject({ kind: 'running', label: 'running' });
    expect(threadMark({ last_run_status: 'pending' })?.kind).toBe('running');
  });

  it('leaves the others alone: ended well, interrupted by the viewer, or unknown', () => {
    for (const last_run_status of ['success', 'interrupted', null, undefined]) expect(threadMark({ last_run_status })).toBeNull();
  });
});
