// Two runs' steps aligned (issue 12), with jsdiff's Myers diff. First over
// whole steps (key and text), so the steps the runs share anchor the
// alignment even among many of one kind (an AI response inserted between two
// unchanged ones is one insertion, not a change and an insertion); then, in
// each stretch between anchors, over keys alone, which pairs the steps that
// changed; then, where that leaves several steps of one key together, by
// their texts' similarity (similarity.ts), so a changed answer sits beside
// its closest counterpart rather than the one at its place. Myers costs the
// runs' length times their edits, so each pass is capped: runs too different
// for whole steps are aligned by keys alone, and runs too different even in
// their keys turn by turn (the n-th human input or AI response of each, with
// what follows it, aligned by keys), which keeps two unrelated 5,000-step
// runs within the 500 ms.
import { diffArrays, type ArrayChange } from 'diff';
import { COMPARE_TEXT_CHARS } from '../../src-shared/contract.ts';
import type { AlignedStep, StepRef } from '../../src-shared/types.ts';
import { pairedBySimilarity, weighingBudget, type Matched, type WeighingBudget } from './similarity.ts';
import type { Step } from './steps.ts';

/**
 * Past this many insertions and deletions of whole steps the first pass stops: its cost grows
 * with their count times the runs' length, and steps that different share few anchors anyway.
 */
const MAX_WHOLE_STEP_EDITS = 1_000;
/** The keys' pass gives up sooner: past it the runs are turn by turn too different for a step-level alignment to read well. */
const MAX_KEY_EDITS = 500;

const sameStep = (x: Step, y: Step) => x.key === y.key && x.label === y.label && x.text === y.text;
const sameKey = (x: Step, y: Step) => x.key === y.key;

export function stepRef({ seq, event_type, label, text }: Step): StepRef {
  const truncated = text.length > COMPARE_TEXT_CHARS;
  return { seq, event_type, label, text: truncated ? text.slice(0, COMPARE_TEXT_CHARS) : text, truncated };
}

const pair = (a: Step, b: Step): AlignedStep => ({ kind: sameStep(a, b) ? 'same' : 'changed', a: stepRef(a), b: stepRef(b) });
const onlyA = (a: Step): AlignedStep => ({ kind: 'only_a', a: stepRef(a), b: null });
const onlyB = (b: Step): AlignedStep => ({ kind: 'only_b', a: null, b: stepRef(b) });
const aligned = ({ a, b }: Matched): AlignedStep => (a && b ? pair(a, b) : a ? onlyA(a) : onlyB(b!));

/** Steps aligned by keys: the pairs a change keeps (same or changed), the rest in one run only. `capped`: turn by turn past MAX_KEY_EDITS. */
function alignByKey(a: Step[], b: Step[], out: AlignedStep[], budget: WeighingBudget, capped = true): void {
  if (a.length === 0 || b.length === 0) {
    out.push(...a.map(onlyA), ...b.map(onlyB));
    return;
  }
  const changes = capped ? diffArrays(a, b, { comparator: sameKey, maxEditLength: MAX_KEY_EDITS }) : diffArrays(a, b, { comparator: sameKey });
  if (changes === undefined) {
    alignByTurn(a, b, out, budget);
    return;
  }
  const matched: Matched[] = [];
  let ai = 0;
  let bi = 0;
  for (const change of changes) {
    for (let i = 0; i < change.count; i++) {
      if (change.removed) matched.push({ a: a[ai++], b: null });
      else if (change.added) matched.push({ a: null, b: b[bi++] });
      else matched.push({ a: a[ai++], b: b[bi++] });
    }
  }
  for (const stretch of sameKeyStretches(matched)) out.push(...pairedBySimilarity(stretch, budget).map(aligned));
}

const keyOf = ({ a, b }: Matched) => (a ?? b)!.key;

/** The key diff's output cut where the key changes: each stretch holds the steps of one key that it paired or left in one run. */
function sameKeyStretches(matched: Matched[]): Matched[][] {
  const stretches: Matched[][] = [];
  for (const step of matched) {
    const last = stretches[stretches.length - 1];
    if (last !== undefined && keyOf(last[0]) === keyOf(step)) last.push(step);
    else stretches.push([step]);
  }
  return stretches;
}

/** Steps cut before each human input and AI response: a turn is one, with its calls, results and whatever else follows it. */
function turnsOf(steps: Step[]): Step[][] {
  const turns: Step[][] = [];
  for (const step of steps) {
    if (turns.length === 0 || step.key === 'human' || step.key === 'ai') turns.push([step]);
    else turns[turns.length - 1].push(step);
  }
  return turns;
}

function alignByTurn(a: Step[], b: Step[], out: AlignedStep[], budget: WeighingBudget): void {
  const turnsA = turnsOf(a);
  const turnsB = turnsOf(b);
  for (let i = 0; i < Math.max(turnsA.length, turnsB.length); i++) alignByKey(turnsA[i] ?? [], turnsB[i] ?? [], out, budget, false);
}

/**
 * Whole steps of `a` that `b` cannot match however they are aligned, plus the converse: at least as
 * many edits as the whole-step pass needs, found in one pass, so a pass that would give up is skipped.
 */
function unmatchedSteps(a: Step[], b: Step[]): number {
  const wholeKey = (step: Step) => `${step.key}\u0000${step.label}\u0000${step.text}`;
  const inB = new Map<string, number>();
  for (const step of b) inB.set(wholeKey(step), (inB.get(wholeKey(step)) ?? 0) + 1);
  let shared = 0;
  for (const step of a) {
    const left = inB.get(wholeKey(step)) ?? 0;
    if (left > 0) {
      inB.set(wholeKey(step), left - 1);
      shared++;
    }
  }
  return a.length + b.length - 2 * shared;
}

/** `a`'s steps (left) and `b`'s, in order: each once, paired where the other run has its counterpart. */
export function alignSteps(a: Step[], b: Step[]): AlignedStep[] {
  const out: AlignedStep[] = [];
  const budget = weighingBudget();
  const anchored: ArrayChange<Step>[] | undefined =
    unmatchedSteps(a, b) > MAX_WHOLE_STEP_EDITS ? undefined : diffArrays(a, b, { comparator: sameStep, maxEditLength: MAX_WHOLE_STEP_EDITS });
  if (anchored === undefined) {
    alignByKey(a, b, out, budget);
    return out;
  }
  let ai = 0;
  let bi = 0;
  let gapA: Step[] = [];
  let gapB: Step[] = [];
  for (const change of anchored) {
    if (change.removed) {
      gapA = gapA.concat(a.slice(ai, (ai += change.count)));
      continue;
    }
    if (change.added) {
      gapB = gapB.concat(b.slice(bi, (bi += change.count)));
      continue;
    }
    alignByKey(gapA, gapB, out, budget);
    gapA = [];
    gapB = [];
    for (let i = 0; i < change.count; i++) out.push(pair(a[ai++], b[bi++]));
  }
  alignByKey(gapA, gapB, out, budget);
  return out;
}
