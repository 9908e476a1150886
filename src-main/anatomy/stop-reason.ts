// Why a run ended, in words a person reads, and its status as the contract
// words it: the `runs` row's, else what its lifecycle events say (any
// run.error: error; else a run.end: success), else running. listRuns reads
// the events its own way (run-facts.ts outcomeOf: the last one, a run.end's
// metadata.status); the anatomy follows the contract. The stop agrees with
// the status, and whether a run without an end is still going is the shared
// clock rule's to say (runPhase).
import { isActiveStatus, isFailedStatus, isSucceededStatus, RUN_END_TYPES, RUN_ERROR_TYPES, runPhase } from '../../src-shared/run-status.ts';
import { MIDDLEWARE_PREFIX } from '../../src-shared/span-lanes.ts';
import type { JsonValue, RecordedRun, RunEvent, RunStop } from '../../src-shared/types.ts';
import { objectOf, stringOf } from '../store/run-facts.ts';

/** What the derivation found that bears on the end. */
export interface EndFacts {
  /** The run.error (legacy run_error) with the highest seq. */
  lastError: RunEvent | undefined;
  /** The run.end (legacy run_end) with the highest seq. */
  lastEnd: RunEvent | undefined;
  /** The last middleware event that stopped the run (a hard_stop, a guardrail deny). */
  middlewareStop: RunEvent | undefined;
  recorded: RecordedRun | null;
  lastCreatedAt: string | null;
}

const STOPPING_ACTIONS = new Set(['hard_stop', 'deny']);

/** A `middleware:*` event whose action ends the run: loop detection's hard_stop, a guardrail's deny. */
export function isMiddlewareStop(event: RunEvent): boolean {
  if (!event.event_type.startsWith(MIDDLEWARE_PREFIX)) return false;
  const action = objectOf(event.content)?.action;
  return typeof action === 'string' && STOPPING_ACTIONS.has(action);
}

const scalarText = (value: JsonValue): string | null =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;

/** "LoopDetectionMiddleware: hard_stop (tool: web_search, repeats: 5)": its name, action and the plain values of its changes. */
export function middlewareStopText(event: RunEvent): string {
  const content = objectOf(event.content) ?? {};
  const name = scalarText(content.name ?? null) ?? event.event_type;
  const changes = Object.entries(objectOf(content.changes) ?? {}).flatMap(([key, value]) => {
    const text = scalarText(value);
    return text === null ? [] : [`${key}: ${text}`];
  });
  return `${name}: ${scalarText(content.action ?? null) ?? 'stop'}${changes.length > 0 ? ` (${changes.join(', ')})` : ''}`;
}

/** A run.error's words: its text, or an object's `message`, `error` or `detail` (the first there), else the object as JSON. */
function errorDetail(content: JsonValue): string {
  if (typeof content === 'string') return content;
  const error = objectOf(content);
  return stringOf(error?.message) ?? stringOf(error?.error) ?? stringOf(error?.detail) ?? JSON.stringify(content);
}

/** DeerFlow's `runs.stop_reason` in words, the recorded value kept beside them. */
const STOP_REASON_WORDS: Record<string, string> = {
  user_cancelled: 'cancelled by the user',
  interrupted_by_new_run: 'a newer run of the thread took over',
};

const stopReasonText = (stopReason: string): string => {
  const words = STOP_REASON_WORDS[stopReason];
  return words ? `${words} (${stopReason})` : `stop reason: ${stopReason}`;
};

const CANCELLED = /^(cancelled|canceled|user_cancelled)$/i;
const INTERRUPTED = /^(interrupted|interrupted_by_new_run)$/i;

/** The run's last run.error and last run.end (legacy names too), `events` in seq order. */
export function lifecycleOf(events: readonly RunEvent[]): Pick<EndFacts, 'lastError' | 'lastEnd'> {
  return { lastError: events.findLast((e) => RUN_ERROR_TYPES.includes(e.event_type)), lastEnd: events.findLast((e) => RUN_END_TYPES.includes(e.event_type)) };
}

/** The run's status as the contract words it: the row's, else error (any run.error), success (a run.end), else running. */
export function statusOf({ lastError, lastEnd, recorded }: Pick<EndFacts, 'lastError' | 'lastEnd' | 'recorded'>): string {
  return recorded?.status ?? (lastError ? 'error' : lastEnd ? 'success' : 'running');
}

export function stopOf(facts: EndFacts, now: number): RunStop {
  const { lastEnd, middlewareStop, recorded, lastCreatedAt } = facts;
  // A row that says the run succeeded overrules a run.error, as it does for the status.
  const error = isSucceededStatus(recorded?.status) ? undefined : facts.lastError;
  // Where only the row says the run failed or stopped, no event says so: the stop points at none.
  const errorSeq = error?.seq ?? null;
  const errorText = error ? errorDetail(error.content) : null;
  const recordedText = recorded?.error ?? (recorded?.stop_reason ? stopReasonText(recorded.stop_reason) : null);

  if (CANCELLED.test(recorded?.status ?? '') || CANCELLED.test(recorded?.stop_reason ?? '')) {
    return { reason: 'cancelled', detail: errorText ?? recordedText ?? 'Cancelled', seq: errorSeq };
  }
  if (INTERRUPTED.test(recorded?.status ?? '') || INTERRUPTED.test(recorded?.stop_reason ?? '')) {
    return { reason: 'interrupted', detail: errorText ?? recordedText ?? 'Interrupted by a newer run', seq: errorSeq };
  }
  // DeerFlow before mid-2026 recorded a cancel as a run_error of Python's CancelledError.
  if (error && error.metadata.error_type === 'CancelledError') return { reason: 'cancelled', detail: errorText, seq: errorSeq };
  if (error) return { reason: 'error', detail: errorText || recorded?.error || 'Run failed', seq: errorSeq };
  if (isFailedStatus(recorded?.status)) return { reason: 'error', detail: recordedText ?? `Run ${recorded?.status}`, seq: null };
  if (middlewareStop && (lastEnd === undefined || middlewareStop.seq < lastEnd.seq)) {
    return { reason: 'middleware', detail: middlewareStopText(middlewareStop), seq: middlewareStop.seq };
  }
  if (lastEnd || isSucceededStatus(recorded?.status)) return { reason: 'completed', detail: null, seq: lastEnd?.seq ?? null };
  const phase = runPhase({ status: isActiveStatus(recorded?.status) ? recorded?.status : null, last_created_at: lastCreatedAt }, now);
  return phase === 'running'
    ? { reason: 'running', detail: null, seq: null }
    : { reason: 'no_end', detail: 'No run.end or run.error was recorded: the run was stopped before it could record its end', seq: null };
}
