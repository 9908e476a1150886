import { describe, expect, it } from 'vitest';
import { RECENT_RUN_MS } from '../../src-shared/run-status.ts';
import { threadMark } from './thread-marks.ts';

const now = Date.parse('2026-04-04T12:00:00Z');
const recent = new Date(now - 60_000).toISOString();
const old = new Date(now - RECENT_RUN_MS).toISOString();

describe('threadMark', () => {
  it('flags a thread whose latest run failed', () => {
    for (const status of ['error', 'failed', 'timeout']) expect(threadMark({ last_run_status: status, last_created_at: recent }, now)?.kind).toBe('failed');
  });

  it("flags a thread whose latest run's row says it is running or pending", () => {
    expect(threadMark({ last_run_status: 'running', last_created_at: old }, now)).toMatchObject({ kind: 'running', label: 'running', hint: expect.stringContaining('status running') });
    expect(threadMark({ last_run_status: 'pending', last_created_at: old }, now)?.kind).toBe('running');
  });

  it('flags a thread whose latest run recorded no end and has recent events', () => {
    expect(threadMark({ last_run_status: null, last_created_at: recent }, now)).toMatchObject({ kind: 'running', hint: expect.stringContaining('less than 5 minutes old') });
  });

  it('leaves the others alone: ended well, interrupted by the viewer, killed long ago without an end, or no runs', () => {
    for (const last_run_status of ['success', 'interrupted', 'started']) expect(threadMark({ last_run_status, last_created_at: recent }, now)).toBeNull();
    for (const last_run_status of [null, undefined]) expect(threadMark({ last_run_status, last_created_at: old }, now)).toBeNull();
    expect(threadMark({ last_run_status: null, last_created_at: null }, now)).toBeNull();
  });
});
