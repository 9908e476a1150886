// A changed step's two texts diffed word by word (jsdiff), split into what
// each side shows: the left its words with the removed ones marked, the
// right its words with the added ones. Rendered as text nodes only.
import { diffWordsWithSpace } from 'diff';

export interface DiffPart {
  text: string;
  /** Removed (left) or added (right); false for words both texts have. */
  marked: boolean;
}

export function wordDiff(left: string, right: string): { left: DiffPart[]; right: DiffPart[] } {
  const sides: { left: DiffPart[]; right: DiffPart[] } = { left: [], right: [] };
  for (const change of diffWordsWithSpace(left, right)) {
    if (!change.added) sides.left.push({ text: change.value, marked: change.removed });
    if (!change.removed) sides.right.push({ text: change.value, marked: change.added });
  }
  return sides;
}
