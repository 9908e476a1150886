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

/** The row of the next (`step` 1) or previous (-1) difference from row `from` (-1: before the first); null past either end. */
export function differenceRow(steps: readonly AlignedStep[], rows: readonly CompareRow[], from: number, step: 1 | -1): number | null {
  for (let row = from + step; row >= 0 && row < rows.length; row += step) {
    const at = rows[row];
    if (at.kind === 'step' && steps[at.index].kind !== 'same') return row;
  }
  return null;
}
