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
const WORD = /[\p{L}\p{N}_]+/gu;

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

/** What the best pairing of a's first i steps and b's first j does last. */
const PAIR = 0;
const ONLY_A = 1;
const ONLY_B = 2;

/**
 * A stretch of one key's steps (as the key diff matched them) paired again, in order, for the
 * greatest total similarity: a weighted longest common subsequence. Stretches with nothing to
 * choose (one step a side, or none on one), or too long for `budget`, come back as they are.
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
  for (let i = 1; i <= n; i++) choice[i * width] = ONLY_A;
  for (let j = 1; j <= m; j++) choice[j] = ONLY_B;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const paired = best[(i - 1) * width + j - 1] + textSimilarity(a[i - 1].text, b[j - 1].text, wordsA[i - 1], wordsB[j - 1]) + PAIR_BONUS;
      const skipA = best[(i - 1) * width + j];
      const skipB = best[i * width + j - 1];
      const at = i * width + j;
      // Ties between the skips go to run b's step, so that read back from the end a stretch of
      // unpaired steps lists run a's first, as the key diff does.
      if (paired >= skipA && paired >= skipB) [best[at], choice[at]] = [paired, PAIR];
      else if (skipB >= skipA) [best[at], choice[at]] = [skipB, ONLY_B];
      else [best[at], choice[at]] = [skipA, ONLY_A];
    }
  }
  const paired: Matched[] = [];
  for (let i = n, j = m; i > 0 || j > 0; ) {
    const made = choice[i * width + j];
    if (made === PAIR) paired.push({ a: a[--i], b: b[--j] });
    else if (made === ONLY_A) paired.push({ a: a[--i], b: null });
    else paired.push({ a: null, b: b[--j] });
  }
  return paired.reverse();
}
