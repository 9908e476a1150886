// runSummary (issue 11): a run's anatomy from one pass over its events and
// its `runs` row. deriveAnatomy is the pure part, given the clock.
import { StoreError } from '../../src-shared/errors.ts';
import type { InspectorStore, RecordedRun, RunAnatomy, RunEvent } from '../../src-shared/types.ts';
import { eventsOfRun } from '../search/run-events.ts';
import { countFigures } from './run-figures.ts';
import { deriveSpans } from './spans.ts';
import { isMiddlewareStop, lifecycleOf, statusOf, stopOf, type EndFacts } from './stop-reason.ts';

/** A runs row that records at least one of its six token figures. */
const recordsTokens = (recorded: RecordedRun | null): recorded is RecordedRun => recorded !== null && Object.values(recorded.tokens).some((n) => n !== null);

/** `events` in seq order. */
export function deriveAnatomy(runId: string, events: readonly RunEvent[], recorded: RecordedRun | null, now: number): RunAnatomy {
  const lifecycle = lifecycleOf(events);
  const status = statusOf({ ...lifecycle, recorded });
  const { spans, started_at, ended_at, duration_ms, latest_created_at } = deriveSpans(events, status);
  const facts: EndFacts = { ...lifecycle, middlewareStop: events.findLast(isMiddlewareStop), recorded, lastCreatedAt: latest_created_at };
  return {
    run_id: runId,
    status,
    started_at,
    ended_at,
    duration_ms,
    stop: stopOf(facts, now),
    ...countFigures(events),
    tokens_recorded: recordsTokens(recorded) ? recorded.tokens : null,
    spans,
  };
}

/** A run's events in seq order and its `runs` row; NOT_FOUND when it has neither. */
export async function readRun(store: InspectorStore, threadId: string, runId: string): Promise<{ events: RunEvent[]; recorded: RecordedRun | null }> {
  const events: RunEvent[] = [];
  for await (const event of eventsOfRun(store, threadId, runId)) events.push(event);
  const recorded = await store.recordedRun(threadId, runId);
  if (events.length === 0 && recorded === null) throw new StoreError('NOT_FOUND', `run ${runId} of thread ${threadId}: no events and no runs row`);
  return { events, recorded };
}

export async function runAnatomy(store: InspectorStore, threadId: string, runId: string): Promise<RunAnatomy> {
  const { events, recorded } = await readRun(store, threadId, runId);
  return deriveAnatomy(runId, events, recorded, Date.now());
}
