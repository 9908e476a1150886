// A run's figures, kept up to date as its events are added (in any order)
// so that the read model never walks the events again: counts, seq range,
// time span, what its events say about it (RunFactsTally) and its counts by
// category, event type and task. The memory index keeps one beside each
// run's events; the JSONL backend keeps only these and where each event lies
// in its file, and saves them in its sidecar as JSON (state / from).
import type { EventCounts, RunEvent, RunSummary, ThreadSummary } from '../../src-shared/types.ts';
import { instantMs } from '../../src-shared/time.ts';
import { RunFactsTally, type RunFactsState } from './run-facts.ts';

/** A created_at and its instant: stamps in different offsets are compared as instants, returned as given. */
export interface Stamp {
  text: string;
  ms: number;
}

export interface RunDigestState {
  events: number;
  messages: number;
  /** null for a run without events (JSON has no infinities). */
  firstSeq: number | null;
  lastSeq: number | null;
  earliest: Stamp | null;
  latest: Stamp | null;
  facts: RunFactsState;
  counts: EventCounts;
}

export const noCounts = (): EventCounts => ({ by_category: {}, by_event_type: {}, by_task_id: {} });

const bump = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

/** `from`'s counts added into `into`. */
export function addCounts(into: EventCounts, from: EventCounts): EventCounts {
  for (const key of ['by_category', 'by_event_type', 'by_task_id'] as const) {
    for (const [name, n] of Object.entries(from[key])) bump(into[key], name, n);
  }
  return into;
}

export class RunDigest {
  events = 0;
  messages = 0;
  firstSeq = Number.POSITIVE_INFINITY;
  lastSeq = Number.NEGATIVE_INFINITY;
  earliest: Stamp | null = null;
  latest: Stamp | null = null;
  counts: EventCounts = noCounts();
  private facts = new RunFactsTally();

  static from(state: RunDigestState): RunDigest {
    const digest = new RunDigest();
    digest.events = state.events;
    digest.messages = state.messages;
    digest.firstSeq = state.firstSeq ?? Number.POSITIVE_INFINITY;
    digest.lastSeq = state.lastSeq ?? Number.NEGATIVE_INFINITY;
    digest.earliest = state.earliest;
    digest.latest = state.latest;
    digest.counts = state.counts;
    digest.facts = RunFactsTally.from(state.facts);
    return digest;
  }

  state(): RunDigestState {
    const { events, messages, earliest, latest, counts } = this;
    const finite = (seq: number) => (Number.isFinite(seq) ? seq : null);
    return { events, messages, firstSeq: finite(this.firstSeq), lastSeq: finite(this.lastSeq), earliest, latest, facts: this.facts.state(), counts };
  }

  add(event: RunEvent): void {
    this.events++;
    if (event.category === 'message') this.messages++;
    this.firstSeq = Math.min(this.firstSeq, event.seq);
    this.lastSeq = Math.max(this.lastSeq, event.seq);
    // NaN for a record without a time (JSONL keeps it as "") or with one that is not a date-time: no part of the span.
    const ms = instantMs(event.created_at);
    if (!Number.isNaN(ms)) {
      if (!this.earliest || ms < this.earliest.ms) this.earliest = { text: event.created_at, ms };
      if (!this.latest || ms > this.latest.ms) this.latest = { text: event.created_at, ms };
    }
    this.facts.add(event);
    bump(this.counts.by_category, event.category);
    bump(this.counts.by_event_type, event.event_type);
    const taskId = event.metadata.task_id;
    if (typeof taskId === 'string') bump(this.counts.by_task_id, taskId);
  }

  status(): string | null {
    return this.facts.outcome.status ?? null;
  }

  summary(runId: string): RunSummary {
    return {
      run_id: runId,
      message_count: this.messages,
      event_count: this.events,
      first_created_at: this.earliest?.text ?? null,
      last_created_at: this.latest?.text ?? null,
      first_seq: this.firstSeq,
      last_seq: this.lastSeq,
      ...this.facts.outcome,
      stop_reason: null,
      model_name: this.facts.usage.model,
      total_tokens: this.facts.usage.tokens,
      ...this.facts.calls,
    };
  }
}

/** The run that ended last: by its latest created_at, then by seq. */
const endsLater = (a: RunDigest, b: RunDigest) =>
  (a.latest?.ms ?? Number.NEGATIVE_INFINITY) - (b.latest?.ms ?? Number.NEGATIVE_INFINITY) || a.lastSeq - b.lastSeq;

/** A thread's list entry from its runs' digests. */
export function threadSummaryOf(threadId: string, runs: Iterable<RunDigest>, displayName: string | null = null): ThreadSummary {
  let earliest: Stamp | null = null;
  let latest: Stamp | null = null;
  let lastRun: RunDigest | undefined;
  let events = 0;
  let messages = 0;
  let runCount = 0;
  for (const run of runs) {
    runCount++;
    events += run.events;
    messages += run.messages;
    if (run.earliest && (!earliest || run.earliest.ms < earliest.ms)) earliest = run.earliest;
    if (run.latest && (!latest || run.latest.ms > latest.ms)) latest = run.latest;
    if (!lastRun || endsLater(run, lastRun) > 0) lastRun = run;
  }
  return {
    thread_id: threadId,
    display_name: displayName,
    message_count: messages,
    event_count: events,
    run_count: runCount,
    first_created_at: earliest?.text ?? null,
    last_created_at: latest?.text ?? null,
    last_run_status: lastRun?.status() ?? null,
  };
}

/** Runs' summaries in the order they started (first seq). */
export function runSummariesOf(runs: Iterable<[string, RunDigest]>): RunSummary[] {
  return [...runs].sort(([, a], [, b]) => a.firstSeq - b.firstSeq).map(([runId, run]) => run.summary(runId));
}
