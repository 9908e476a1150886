// An in-memory, seq-ordered index of events per thread, with the store's
// queries and the read model. The memory backend is this index alone; the
// jsonl backend keeps one in step with its files so no query re-reads them.
// Each run's summary is kept as its events are added, so the read model
// never walks the events.
import type {
  EventCounts,
  ListEventsOptions,
  ListMessagesOptions,
  RunEvent,
  RunSummary,
  ThreadOverview,
  ThreadSummary,
} from '../../src-shared/types.ts';
import { instantMs } from '../../src-shared/time.ts';
import { type MarksWanted, overviewOf } from './overview.ts';
import { firstMatching, pageBySeq } from './paging.ts';
import { RunFactsTally } from './run-facts.ts';

export const DEFAULT_MESSAGE_LIMIT = 50;
export const DEFAULT_EVENT_LIMIT = 500;

/** A created_at and its instant: stamps in different offsets are compared as instants, returned as given. */
interface Stamp {
  text: string;
  ms: number;
}

/** One run's events in seq order, with its summary kept up to date as events are added (in any order). */
class RunEvents {
  readonly events: RunEvent[] = [];
  messageCount = 0;
  firstSeq = Number.POSITIVE_INFINITY;
  lastSeq = Number.NEGATIVE_INFINITY;
  earliest: Stamp | null = null;
  latest: Stamp | null = null;
  private readonly facts = new RunFactsTally();

  add(event: RunEvent): void {
    this.events.push(event);
    if (event.category === 'message') this.messageCount++;
    this.firstSeq = Math.min(this.firstSeq, event.seq);
    this.lastSeq = Math.max(this.lastSeq, event.seq);
    // NaN for a record without a time (JSONL keeps it as "") or with one that is not a date-time: no part of the span.
    const ms = instantMs(event.created_at);
    if (!Number.isNaN(ms)) {
      if (!this.earliest || ms < this.earliest.ms) this.earliest = { text: event.created_at, ms };
      if (!this.latest || ms > this.latest.ms) this.latest = { text: event.created_at, ms };
    }
    this.facts.add(event);
  }

  status(): string | null {
    return this.facts.outcome.status ?? null;
  }

  summary(runId: string): RunSummary {
    return {
      run_id: runId,
      message_count: this.messageCount,
      event_count: this.events.length,
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
const endsLater = (a: RunEvents, b: RunEvents) =>
  (a.latest?.ms ?? Number.NEGATIVE_INFINITY) - (b.latest?.ms ?? Number.NEGATIVE_INFINITY) || a.lastSeq - b.lastSeq;

class ThreadEvents {
  events: RunEvent[] = [];
  messages: RunEvent[] = [];
  runs = new Map<string, RunEvents>();
  /** Highest seq ever assigned, kept across run deletes (guarantee 8). */
  maxSeq = 0;

  add(event: RunEvent): void {
    const inOrder = this.events.length === 0 || this.events[this.events.length - 1].seq < event.seq;
    this.events.push(event);
    if (event.category === 'message') this.messages.push(event);
    let run = this.runs.get(event.run_id);
    if (!run) this.runs.set(event.run_id, (run = new RunEvents()));
    run.add(event);
    if (!inOrder) this.resort();
    this.maxSeq = Math.max(this.maxSeq, event.seq);
  }

  /** Files of one thread are read run by run, so their seqs interleave. */
  private resort(): void {
    const bySeq = (a: RunEvent, b: RunEvent) => a.seq - b.seq;
    this.events.sort(bySeq);
    this.messages.sort(bySeq);
    for (const run of this.runs.values()) run.events.sort(bySeq);
  }

  removeRun(runId: string): number {
    const run = this.runs.get(runId);
    if (!run) return 0;
    this.runs.delete(runId);
    this.events = this.events.filter((e) => e.run_id !== runId);
    this.messages = this.messages.filter((e) => e.run_id !== runId);
    return run.events.length;
  }

  summary(threadId: string, displayName: string | null): ThreadSummary {
    let earliest: Stamp | null = null;
    let latest: Stamp | null = null;
    let lastRun: RunEvents | undefined;
    for (const run of this.runs.values()) {
      if (run.earliest && (!earliest || run.earliest.ms < earliest.ms)) earliest = run.earliest;
      if (run.latest && (!latest || run.latest.ms > latest.ms)) latest = run.latest;
      if (!lastRun || endsLater(run, lastRun) > 0) lastRun = run;
    }
    return {
      thread_id: threadId,
      display_name: displayName,
      message_count: this.messages.length,
      event_count: this.events.length,
      run_count: this.runs.size,
      first_created_at: earliest?.text ?? null,
      last_created_at: latest?.text ?? null,
      last_run_status: lastRun?.status() ?? null,
    };
  }
}

export class EventIndex {
  private readonly threads = new Map<string, ThreadEvents>();

  nextSeq(threadId: string): number {
    return (this.threads.get(threadId)?.maxSeq ?? 0) + 1;
  }

  add(event: RunEvent): void {
    let thread = this.threads.get(event.thread_id);
    if (!thread) this.threads.set(event.thread_id, (thread = new ThreadEvents()));
    thread.add(event);
  }

  hasThread(threadId: string): boolean {
    return this.threads.has(threadId);
  }

  threadIds(): string[] {
    return [...this.threads.keys()];
  }

  runIds(threadId: string): string[] {
    return [...(this.threads.get(threadId)?.runs.keys() ?? [])];
  }

  runEvents(threadId: string, runId: string): readonly RunEvent[] {
    return this.threads.get(threadId)?.runs.get(runId)?.events ?? [];
  }

  threadEvents(threadId: string): readonly RunEvent[] {
    return this.threads.get(threadId)?.events ?? [];
  }

  findInRun(threadId: string, runId: string, eventType: string): RunEvent | undefined {
    return this.runEvents(threadId, runId).find((e) => e.event_type === eventType);
  }

  listMessages(threadId: string, { limit = DEFAULT_MESSAGE_LIMIT, ...cursors }: ListMessagesOptions): RunEvent[] {
    return pageBySeq(this.threads.get(threadId)?.messages ?? [], { limit, ...cursors });
  }

  listMessagesByRun(threadId: string, runId: string, options: ListMessagesOptions): RunEvent[] {
    return pageBySeq(
      this.runEvents(threadId, runId).filter((e) => e.category === 'message'),
      options,
    );
  }

  listEvents(threadId: string, runId: string, { eventTypes, taskId, limit = DEFAULT_EVENT_LIMIT, afterSeq }: ListEventsOptions): RunEvent[] {
    const types = eventTypes ? new Set(eventTypes) : undefined;
    return firstMatching(
      this.runEvents(threadId, runId),
      afterSeq,
      limit,
      (e) => (!types || types.has(e.event_type)) && (taskId === undefined || e.metadata.task_id === taskId),
    );
  }

  countMessages(threadId: string): number {
    return this.threads.get(threadId)?.messages.length ?? 0;
  }

  deleteThread(threadId: string): number {
    const count = this.threads.get(threadId)?.events.length ?? 0;
    this.threads.delete(threadId);
    return count;
  }

  deleteRun(threadId: string, runId: string): number {
    return this.threads.get(threadId)?.removeRun(runId) ?? 0;
  }

  getEvent(threadId: string, seq: number): RunEvent | null {
    const events = this.threadEvents(threadId);
    return pageBySeq(events, { afterSeq: seq - 1, beforeSeq: seq + 1 })[0] ?? null;
  }

  summarizeThread(threadId: string, displayName: string | null = null): ThreadSummary {
    return (this.threads.get(threadId) ?? new ThreadEvents()).summary(threadId, displayName);
  }

  summarizeRuns(threadId: string): RunSummary[] {
    const runs = [...(this.threads.get(threadId)?.runs ?? [])];
    return runs.sort(([, a], [, b]) => a.firstSeq - b.firstSeq).map(([runId, run]) => run.summary(runId));
  }

  threadOverview(threadId: string, buckets: number, marks: MarksWanted): ThreadOverview {
    return overviewOf(this.threadEvents(threadId), buckets, marks);
  }

  eventCounts(threadId: string, runId?: string): EventCounts {
    return countEvents(runId === undefined ? this.threadEvents(threadId) : this.runEvents(threadId, runId));
  }
}

export function countEvents(events: Iterable<RunEvent>): EventCounts {
  const counts: EventCounts = { by_category: {}, by_event_type: {}, by_task_id: {} };
  for (const e of events) {
    counts.by_category[e.category] = (counts.by_category[e.category] ?? 0) + 1;
    counts.by_event_type[e.event_type] = (counts.by_event_type[e.event_type] ?? 0) + 1;
    const taskId = e.metadata.task_id;
    if (typeof taskId === 'string') counts.by_task_id[taskId] = (counts.by_task_id[taskId] ?? 0) + 1;
  }
  return counts;
}
