import { describe, expect, it } from 'vitest';
import { describeRecords, describeRemoved, eventsOnly } from './run-records.ts';

describe("the run records' words", () => {
  it("name a thread's runs rows, whether its threads_meta row goes, and its feedback where the table is there", () => {
    expect(describeRecords({ runs: 3, threadsMeta: 1, feedback: 2 }, { thread: true })).toBe('3 runs rows, its threads_meta row and 2 feedback rows');
    expect(describeRecords({ runs: 1, threadsMeta: 0, feedback: null }, { thread: true })).toBe('1 runs row and no threads_meta row');
    expect(describeRecords({ runs: 1, threadsMeta: 0, feedback: 0 }, { thread: false })).toBe('1 runs row and 0 feedback rows');
    expect(describeRecords({ runs: 1200, threadsMeta: 0, feedback: null }, { thread: false, format: (n) => n.toLocaleString('en-US') })).toBe('1,200 runs rows');
  });

  it('say what a delete removed, the records only where some went', () => {
    expect(describeRemoved(eventsOnly(12))).toBe('12 events');
    expect(describeRemoved({ events: 1, runs: 2, threadsMeta: 1, feedback: 0 })).toBe('1 event, 2 runs rows and its threads_meta row');
    expect(describeRemoved({ events: 0, runs: 0, threadsMeta: 1, feedback: 3 })).toBe('0 events, its threads_meta row and 3 feedback rows');
  });
});
