import { describe, expect, it } from 'vitest';
import { activeRunsWarning, describeRecords, describeRemoved, eventsOnly, type RunRecordCounts } from './run-records.ts';

describe("the run records' words", () => {
  it("name a thread's runs rows, whether its threads_meta row goes, and its feedback where the table is there", () => {
    expect(describeRecords({ runs: 3, threadsMeta: 1, feedback: 2, active: 0 }, { thread: true })).toBe('3 runs rows, its threads_meta row and 2 feedback rows');
    expect(describeRecords({ runs: 1, threadsMeta: 0, feedback: null, active: 0 }, { thread: true })).toBe('1 runs row and no threads_meta row');
    expect(describeRecords({ runs: 1, threadsMeta: 0, feedback: 0, active: 0 }, { thread: false })).toBe('1 runs row and 0 feedback rows');
    expect(describeRecords({ runs: 1200, threadsMeta: 0, feedback: null, active: 0 }, { thread: false, format: (n) => n.toLocaleString('en-US') })).toBe('1,200 runs rows');
  });

  it('say what a delete removed, the records only where some went', () => {
    expect(describeRemoved(eventsOnly(12))).toBe('12 events');
    expect(describeRemoved({ events: 1, runs: 2, threadsMeta: 1, feedback: 0 })).toBe('1 event, 2 runs rows and its threads_meta row');
    expect(describeRemoved({ events: 0, runs: 0, threadsMeta: 1, feedback: 3 })).toBe('0 events, its threads_meta row and 3 feedback rows');
  });

  it('warn of the runs DeerFlow lists as running, naming a crashed run as the reason it may be stale, and say nothing where none is', () => {
    const counts = (runs: number, active: number): RunRecordCounts => ({ runs, threadsMeta: 1, feedback: null, active });
    expect(activeRunsWarning(counts(3, 0), { thread: true })).toBeNull();
    expect(activeRunsWarning(counts(1, 0), { thread: false })).toBeNull();
    expect(activeRunsWarning(counts(1, 1), { thread: false })).toMatch(/^DeerFlow lists this run as running: if it is, it will go on writing events after the delete, which come back as a run missing its start\. A run that crashed stays listed as running/);
    expect(activeRunsWarning(counts(3, 1), { thread: true })).toMatch(/^1 run of this thread is listed as running by DeerFlow: if it is, it will go on writing events after the delete, which come back as a run missing its start\. /);
    expect(activeRunsWarning(counts(3000, 1200), { thread: true, format: (n) => n.toLocaleString('en-US') })).toMatch(/^1,200 runs of this thread are listed as running by DeerFlow: if they are, they will go on writing events after the delete, which come back as runs missing their start\. .* crashed/);
  });
});
