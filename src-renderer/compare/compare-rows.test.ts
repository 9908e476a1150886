import { describe, expect, it } from 'vitest';
import type { AlignedStep, StepDifference } from '../../src-shared/types.ts';
import { compareRows, nextDifference, rowOfStep } from './compare-rows.ts';
import { wordDiff } from './word-diff.ts';

const ref = (seq: number) => ({ seq, event_type: 'llm.ai.response', label: 'AI response', text: '', truncated: false });
const steps = (...kinds: StepDifference[]): AlignedStep[] =>
  kinds.map((kind, i) => ({ kind, a: kind === 'only_b' ? null : ref(i + 1), b: kind === 'only_a' ? null : ref(i + 1) }));

describe('compareRows', () => {
  const aligned = steps('same', 'same', 'same', 'changed', 'same', 'only_a', 'same', 'same', 'only_b');

  it('folds each stretch of two or more unchanged steps into one row, and lists the others', () => {
    expect(compareRows(aligned, new Set())).toEqual([
      { kind: 'unchanged', start: 0, count: 3 },
      { kind: 'step', index: 3 },
      { kind: 'step', index: 4 },
      { kind: 'step', index: 5 },
      { kind: 'unchanged', start: 6, count: 2 },
      { kind: 'step', index: 8 },
    ]);
  });

  it('lists an opened stretch step by step', () => {
    expect(compareRows(aligned, new Set([6])).slice(4)).toEqual([
      { kind: 'step', index: 6 },
      { kind: 'step', index: 7 },
      { kind: 'step', index: 8 },
    ]);
  });

  it('walks from difference to difference by step, skipping unchanged ones, and stops at either end', () => {
    expect(nextDifference(aligned, -1, 1)).toBe(3);
    expect(nextDifference(aligned, 3, 1)).toBe(5);
    expect(nextDifference(aligned, 5, 1)).toBe(8);
    expect(nextDifference(aligned, 8, 1)).toBeNull();
    expect(nextDifference(aligned, 8, -1)).toBe(5);
    expect(nextDifference(aligned, 3, -1)).toBeNull();
    expect(nextDifference(steps('same', 'same'), -1, 1)).toBeNull();
  });

  it('finds the row of a step, which moves when a fold before it opens', () => {
    expect(rowOfStep(compareRows(aligned, new Set()), 5)).toBe(3);
    expect(rowOfStep(compareRows(aligned, new Set([0])), 5)).toBe(5);
    expect(rowOfStep(compareRows(aligned, new Set()), 7)).toBe(-1);
  });
});

describe('wordDiff', () => {
  it('marks the words only the left has on the left and the words only the right has on the right', () => {
    expect(wordDiff('revenue fell sharply in EMEA', 'revenue fell slightly in EMEA')).toEqual({
      left: [
        { text: 'revenue fell ', marked: false },
        { text: 'sharply', marked: true },
        { text: ' in EMEA', marked: false },
      ],
      right: [
        { text: 'revenue fell ', marked: false },
        { text: 'slightly', marked: true },
        { text: ' in EMEA', marked: false },
      ],
    });
    expect(wordDiff('', 'new')).toEqual({ left: [], right: [{ text: 'new', marked: true }] });
  });
});
