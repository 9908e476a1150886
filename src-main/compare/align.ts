// Two runs' steps aligned (issue 12), with jsdiff's Myers diff. First over
// whole steps (key and text), so the steps the runs share anchor the
// alignment even among many of one kind (an AI response inserted between two
// unchanged ones is one insertion, not a change and an insertion); then, in
// each stretch between anchors, over keys alone, which pairs the steps that
// changed. Two runs too different for the first pass to stay cheap are
// aligned by keys alone.
import { diffArrays, type ArrayChange } from 'diff';
import { COMPARE_TEXT_CHARS } from '../../src-shared/contract.ts';
import type { AlignedStep, StepRef } from '../../src-shared/types.ts';
import type { Step } from './steps.ts';

/**
 * Past this many insertions and deletions of whole steps the first pass stops: its cost grows
 * with their count times the runs' length, and steps that different share few anchors anyway.
 */
const MAX_WHOLE_STEP_EDITS = 1_000;

const sameStep = (x: Step, y: Step) => x.key === y.key && x.label === y.label && x.text === y.text;
const sameKey = (x: Step, y: Step) => x.key === y.key;

export function stepRef({ seq, event_type, label, text }: Step): StepRef {
  const truncated = text.length > COMPARE_TEXT_CHARS;
  return { seq, event_type, label, text: truncated ? text.slice(0, COMPARE_TEXT_CHARS) : text, truncated };
}

const pair = (a: Step, b: Step): AlignedStep => ({ kind: sameStep(a, b) ? 'same' : 'changed', a: stepRef(a), b: stepRef(b) });
const onlyA = (a: Step): AlignedStep => ({ kind: 'only_a', a: stepRef(a), b: null });
const onlyB = (b: Step): AlignedStep => ({ kind: 'only_b', a: null, b: stepRef(b) });

/** Steps aligned by keys: the pairs a change keeps (same or changed), the rest in one run only. */
function alignByKey(a: Step[], b: Step[], out: AlignedStep[]): void {
  if (a.length === 0 || b.length === 0) {
    out.push(...a.map(onlyA), ...b.map(onlyB));
    return;
  }
  let ai = 0;
  let bi = 0;
  for (const change of diffArrays(a, b, { comparator: sameKey })) {
    for (let i = 0; i < change.count; i++) {
      if (change.removed) out.push(onlyA(a[ai++]));
      else if (change.added) out.push(onlyB(b[bi++]));
      else out.push(pair(a[ai++], b[bi++]));
    }
  }
}

/** `a`'s steps (left) and `b`'s, in order: each once, paired where the other run has its counterpart. */
export function alignSteps(a: Step[], b: Step[]): AlignedStep[] {
  const out: AlignedStep[] = [];
  const anchored: ArrayChange<Step>[] | undefined = diffArrays(a, b, { comparator: sameStep, maxEditLength: MAX_WHOLE_STEP_EDITS });
  if (anchored === undefined) {
    alignByKey(a, b, out);
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
    alignByKey(gapA, gapB, out);
    gapA = [];
    gapB = [];
    for (let i = 0; i < change.count; i++) out.push(pair(a[ai++], b[bi++]));
  }
  alignByKey(gapA, gapB, out);
  return out;
}
