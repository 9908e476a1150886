// What the comparison lists: each step that differs, and each stretch of
// unchanged steps folded into one row until it is opened. Pure, so the
// folding and the n / p walk through differences are tested without a page.
import type { AlignedStep } from '../../src-shared/types.ts';

export type CompareRow = { kind: 'step'; index: number } | { kind: 'unchanged'; start: number; count: number };

/** A stretch shorter than this stays open: a fold would hide no more than it costs to open. */
const FOLD_AT = 2;

/** `opened` holds the first index of each unchanged stretch the user opened. */
export function compareRows(steps: readonly AlignedStep[], opened: ReadonlySet<number>): CompareRow[] {
  const rows: CompareRow[] = [];
  for (let i = 0; i < steps.length; ) {
    if (steps[i].kind !== 'same') {
      rows.push({ kind: 'step', index: i++ });
      continue;
    }
    const start = i;
    while (i < steps.length && steps[i].kind === 'same') i++;
    if (i - start < FOLD_AT || opened.has(start)) for (let j = start; j < i; j++) rows.push({ kind: 'step', index: j });
    else rows.push({ kind: 'unchanged', start, count: i - start });
  }
  return rows;
}

/**
 * The step index of the next (`direction` 1) or previous (-1) difference from step `from` (-1:
 * before the first); null past either end. A step index, not a row, so opening a fold, which
 * moves the rows, cannot move the walk.
 */
export function nextDifference(steps: readonly AlignedStep[], from: number, direction: 1 | -1): number | null {
  for (let index = from + direction; index >= 0 && index < steps.length; index += direction) if (steps[index].kind !== 'same') return index;
  return null;
}

/** The row that lists step `index`; -1 while a fold hides it (a difference never is). */
export const rowOfStep = (rows: readonly CompareRow[], index: number): number => rows.findIndex((row) => row.kind === 'step' && row.index === index);
