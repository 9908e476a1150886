import { describe, expect, it } from 'vitest';
import { isActiveStatus, isFailedStatus, isRunning, isStoppedStatus, RECENT_RUN_MS, runPhase } from './run-status.ts';

const now = Date.parse('2026-04-04T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();

describe('runPhase', () => {
  it("takes a runs row's running or pending for running, whatever the events' age", () => {
    expect(runPhase({ status: 'running', last_created_at: ago(3_600_000) }, now)).toBe('running');
    expect(runPhase({ status: 'PENDING', last_created_at: null }, now)).toBe('running');
  });

  it('takes any other status for ended, however recent its events', () => {
    for (const status of ['success', 'error', 'interrupted', 'started']) expect(runPhase({ status, last_created_at: ago(0) }, now)).toBe('ended');
  });

  it(`calls a run without a status running while its last event is under ${RECENT_RUN_MS / 60_000} minutes old, and ended without an end after`, () => {
    expect(runPhase({ status: null, last_created_at: ago(RECENT_RUN_MS - 1) }, now)).toBe('running');
    expect(runPhase({ last_created_at: ago(1_000) }, now)).toBe('running');
    expect(runPhase({ status: null, last_created_at: ago(RECENT_RUN_MS) }, now)).toBe('no_end');
    expect(runPhase({ status: '', last_created_at: ago(86_400_000) }, now)).toBe('no_end');
  });

  it("compares DeerFlow's stamps as instants, counts one ahead of the clock as recent and none (or an unreadable one) as old", () => {
    expect(runPhase({ status: null, last_created_at: '2026-04-04 11:58:00.123456' }, now)).toBe('running');
    expect(runPhase({ status: null, last_created_at: '2026-04-04T13:58:00+02:00' }, now)).toBe('running');
    expect(runPhase({ status: null, last_created_at: '2026-04-04T13:50:00+02:00' }, now)).toBe('no_end');
    expect(runPhase({ status: null, last_created_at: ago(-60_000) }, now)).toBe('running');
    expect(runPhase({ status: null, last_created_at: null }, now)).toBe('no_end');
    expect(runPhase({ status: null, last_created_at: 'yesterday' }, now)).toBe('no_end');
  });

  it('isRunning is the running phase', () => {
    expect(isRunning({ status: null, last_created_at: ago(0) }, now)).toBe(true);
    expect(isRunning({ status: null, last_created_at: ago(RECENT_RUN_MS) }, now)).toBe(false);
  });
});

describe('status classes', () => {
  it('failed is an error or a timeout; stopped adds the cancelled and interrupted', () => {
    for (const status of ['error', 'Failed', 'failure', 'timeout']) expect([isFailedStatus(status), isStoppedStatus(status)]).toEqual([true, true]);
    for (const status of ['cancelled', 'canceled', 'interrupted']) expect([isFailedStatus(status), isStoppedStatus(status)]).toEqual([false, true]);
    for (const status of ['success', 'running', '', null, undefined]) expect([isFailedStatus(status), isStoppedStatus(status)]).toEqual([false, false]);
  });

  it("active is DeerFlow's running and pending only", () => {
    expect(['running', 'pending', 'started', 'success', null].map(isActiveStatus)).toEqual([true, true, false, false, false]);
  });
});
