// The text-similarity pass of the alignment (issue 12): the key diff pairs
// steps of one key by their place, so in a stretch of several AI responses
// (or calls of one tool) a changed one can land beside the wrong neighbour.
// Within such a stretch the steps are paired again, in order, so that the
// pairs' texts share the most words; the steps left over are in one run only.
import type { Step } from './steps.ts';

/** A step of run a and its counterpart in run b, either one missing when the other run has none. */
export interface Matched {
  a: Step | null;
  b: Step | null;
}

/** Only a text's first words are weighed: they say enough which counterpart it has, and keep a long answer cheap. */
const WORDS_WEIGHED = 64;
/** A stretch with more candidate pairs than this keeps the key diff's pairing: weighing costs their count, and stretches that long are rare. */
const MAX_STRETCH_PAIRS = 10_000;
/** Candidate pairs weighed in one comparison, whatever its stretches: about 100 ms, so it stays within the 500 ms. */
const MAX_COMPARISON_PAIRS = 50_000;

/** What one comparison may still weigh: past it, stretches keep the key diff's pairing. */
export interface WeighingBudget {
  pairsLeft: number;
}

export const weighingBudget = (): WeighingBudget => ({ pairsLeft: MAX_COMPARISON_PAIRS });
/**
 * Added to each pair's similarity, far below any difference in words, so that of two pairings
 * equally alike the one with more pairs wins: texts with no word in common still pair by place.
 */
const PAIR_BONUS = 1e-6;
/** Words of letters and digits; Chinese and Japanese, written without spaces, a character each. */
const WORD = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]|(?:(?![\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}])[\p{L}\p{N}_])+/gu;

interface Words {
  counts: Map<string, number>;
  total: number;
}

function wordsOf(text: string): Words {
  const counts = new Map<string, number>();
  let total = 0;
  for (const [word] of text.matchAll(WORD)) {
    if (total === WORDS_WEIGHED) break;
    counts.set(word, (counts.get(word) ?? 0) + 1);
    total++;
  }
  return { counts, total };
}

/** Words the two texts share (each as often as both have it) over their mean word count: 1 for equal texts, 0 for none in common. */
export function textSimilarity(x: string, y: string, wordsX = wordsOf(x), wordsY = wordsOf(y)): number {
  if (x === y) return 1;
  if (wordsX.total === 0 || wordsY.total === 0) return 0;
  let shared = 0;
  for (const [word, count] of wordsX.counts) shared += Math.min(count, wordsY.counts.get(word) ?? 0);
  return (2 * shared) / (wordsX.total + wordsY.total);
}

/** What the best pairing of a's steps from i and b's from j does first. */
const PAIR = 0;
const ONLY_A = 1;
const ONLY_B = 2;

/**
 * A stretch of one key's steps (as the key diff matched them) paired again, in order, for the
 * greatest total similarity: a weighted longest common subsequence, over the stretch's suffixes so
 * that, read from its start, ties pair steps as early as they can, as the key diff does (when no
 * text says otherwise, the pairing stays the key diff's). Stretches with nothing to choose (one
 * step a side, or none on one), or too long for `budget`, come back as they are.
 */
export function pairedBySimilarity(stretch: Matched[], budget: WeighingBudget): Matched[] {
  const a = stretch.flatMap(({ a }) => (a ? [a] : []));
  const b = stretch.flatMap(({ b }) => (b ? [b] : []));
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || n * m === 1 || n * m > Math.min(MAX_STRETCH_PAIRS, budget.pairsLeft)) return stretch;
  budget.pairsLeft -= n * m;
  const wordsA = a.map(({ text }) => wordsOf(text));
  const wordsB = b.map(({ text }) => wordsOf(text));
  const width = m + 1;
  const best = new Float64Array((n + 1) * width);
  const choice = new Uint8Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const paired = best[(i + 1) * width + j + 1] + textSimilarity(a[i].text, b[j].text, wordsA[i], wordsB[j]) + PAIR_BONUS;
      const skipA = best[(i + 1) * width + j];
      const skipB = best[i * width + j + 1];
      const at = i * width + j;
      // Ties between the skips leave run a's step first, as the key diff lists a removal before an insertion.
      if (paired >= skipA && paired >= skipB) [best[at], choice[at]] = [paired, PAIR];
      else if (skipA >= skipB) [best[at], choice[at]] = [skipA, ONLY_A];
      else [best[at], choice[at]] = [skipB, ONLY_B];
    }
  }
  const paired: Matched[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    const made = choice[i * width + j];
    if (made === PAIR) paired.push({ a: a[i++], b: b[j++] });
    else if (made === ONLY_A) paired.push({ a: a[i++], b: null });
    else paired.push({ a: null, b: b[j++] });
  }
  while (i < n) paired.push({ a: a[i++], b: null });
  while (j < m) paired.push({ a: null, b: b[j++] });
  return paired;
}
