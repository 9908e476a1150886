// An in-memory, seq-ordered index of events per thread, with the store's
// queries and the read model. The memory backend is this index alone; a
// single-file JSONL export is read into one. Each run's digest is kept as
// its events are added, so the read model never walks the events.
import type {
  EventCounts,
  ListEventsOptions,
  ListMessagesOptions,
  RunEvent,
  RunSummary,
  ThreadOverview,
  ThreadSummary,
} from '../../src-shared/types.ts';
import type { IndexQueries } from './index-queries.ts';
import { type MarksWanted, overviewOf } from './overview.ts';
import { firstMatching, pageBySeq } from './paging.ts';
import { addCounts, noCounts, RunDigest, runSummariesOf, threadSummaryOf } from './run-digest.ts';

export const DEFAULT_MESSAGE_LIMIT = 50;
export const DEFAULT_EVENT_LIMIT = 500;

/** One run's events in seq order, and its digest. */
class RunEvents {
  readonly events: RunEvent[] = [];
  readonly digest = new RunDigest();

  add(event: RunEvent): void {
    this.events.push(event);
    this.digest.add(event);
  }
}

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

  digests(runId?: string): RunDigest[] {
    const runs = runId === undefined ? [...this.runs.values()] : [this.runs.get(runId)];
    return runs.flatMap((run) => (run ? [run.digest] : []));
  }
}

export class EventIndex implements IndexQueries {
  /** Answers are the index's own records: a store copies them before they leave it. */
  readonly sharesRecords = true;
  private readonly threads = new Map<string, ThreadEvents>();

  nextSeq(threadId: string): number {
    return (this.threads.get(threadId)?.maxSeq ?? 0) + 1;
  }

  add(event: RunEvent): void {
    let thread = this.threads.get(event.thread_id);
    if (!thread) this.threads.set(event.thread_id, (thread = new ThreadEvents()));
    thread.add(event);
  }

  threadIds(): string[] {
    return [...this.threads.keys()];
  }

  private runEvents(threadId: string, runId: string): readonly RunEvent[] {
    return this.threads.get(threadId)?.runs.get(runId)?.events ?? [];
  }

  private threadEvents(threadId: string): readonly RunEvent[] {
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
    return threadSummaryOf(threadId, this.threads.get(threadId)?.digests() ?? [], displayName);
  }

  summarizeRuns(threadId: string): RunSummary[] {
    return runSummariesOf([...(this.threads.get(threadId)?.runs ?? [])].map(([runId, run]) => [runId, run.digest]));
  }

  threadOverview(threadId: string, buckets: number, marks: MarksWanted): ThreadOverview {
    return overviewOf(this.threadEvents(threadId), buckets, marks);
  }

  eventCounts(threadId: string, runId?: string): EventCounts {
    const counts = noCounts();
    for (const digest of this.threads.get(threadId)?.digests(runId) ?? []) addCounts(counts, digest.counts);
    return counts;
  }
}
