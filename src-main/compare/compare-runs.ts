// compareRuns (issue 12): two runs' figures (their anatomy without spans)
// and their steps aligned. Each run's events are read once, for both.
import type { InspectorStore, RunComparison, RunFigures } from '../../src-shared/types.ts';
import { deriveAnatomy, readRun } from '../anatomy/run-anatomy.ts';
import { alignSteps } from './align.ts';
import { stepsOf, type Step } from './steps.ts';

export interface RunRef {
  threadId: string;
  runId: string;
}

async function runSide(store: InspectorStore, { threadId, runId }: RunRef, now: number): Promise<{ figures: RunFigures; steps: Step[] }> {
  const { events, recorded } = await readRun(store, threadId, runId);
  const { spans: _spans, ...figures } = deriveAnatomy(runId, events, recorded, now);
  return { figures, steps: stepsOf(events) };
}

export async function compareRuns(store: InspectorStore, a: RunRef, b: RunRef): Promise<RunComparison> {
  const now = Date.now();
  const left = await runSide(store, a, now);
  const right = await runSide(store, b, now);
  return { a: left.figures, b: right.figures, steps: alignSteps(left.steps, right.steps) };
}
