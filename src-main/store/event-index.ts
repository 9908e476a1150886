// An in-memory, seq-ordered index of events per thread, with the store's
// queries and the read model. The memory backend is this index alone; the
// jsonl backend keeps one in step with its files so no query re-reads them.
import type {
  EventCounts,
  ListEventsOptions,
  ListMessagesOptions,
  RunEvent,
  RunSummary,
  ThreadSummary,
} from '../../src-shared/types.ts';
import { firstMatching, pageBySeq } from './paging.ts';

export const DEFAULT_MESSAGE_LIMIT = 50;
export const DEFAULT_EVENT_LIMIT = 500;

class ThreadEvents {
  events: RunEvent[] = [];
  messages: RunEvent[] = [];
  runs = new Map<string, RunEvent[]>();
  /** Highest seq ever assigned, kept across run deletes (guarantee 8). */
  maxSeq = 0;

  add(event: RunEvent): void {
    const inOrder = this.events.length === 0 || this.events[this.events.length - 1].seq < event.seq;
    this.events.push(event);
    if (event.category === 'message') this.messages.push(event);
    let run = this.runs.get(event.run_id);
    if (!run) this.runs.set(event.run_id, (run = []));
    run.push(event);
    if (!inOrder) this.resort();
    this.maxSeq = Math.max(this.maxSeq, event.seq);
  }

  /** Files of one thread are read run by run, so their seqs interleave. */
  private resort(): void {
    const bySeq = (a: RunEvent, b: RunEvent) => a.seq - b.seq;
    this.events.sort(bySeq);
    this.messages.sort(bySeq);
    for (const run of this.runs.values()) run.sort(bySeq);
  }

  removeRun(runId: string): number {
    const run = this.runs.get(runId);
    if (!run) return 0;
    this.runs.delete(runId);
    this.events = this.events.filter((e) => e.run_id !== runId);
    this.messages = this.messages.filter((e) => e.run_id !== runId);
    return run.length;
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
    return this.threads.get(threadId)?.runs.get(runId) ?? [];
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
    const thread = this.threads.get(threadId);
    const events = thread?.events ?? [];
    const [first, last] = timeSpan(events);
    return {
      thread_id: threadId,
      display_name: displayName,
      message_count: thread?.messages.length ?? 0,
      event_count: events.length,
      run_count: thread?.runs.size ?? 0,
      first_created_at: first,
      last_created_at: last,
    };
  }

  summarizeRuns(threadId: string): RunSummary[] {
    const runs = [...(this.threads.get(threadId)?.runs ?? [])].map(([runId, events]) => {
      const [first, last] = timeSpan(events);
      return {
        run_id: runId,
        message_count: events.filter((e) => e.category === 'message').length,
        event_count: events.length,
        first_created_at: first,
        last_created_at: last,
        ...statusFromEvents(events),
        firstSeq: events[0]?.seq ?? 0,
      };
    });
    return runs.sort((a, b) => a.firstSeq - b.firstSeq).map(({ firstSeq: _firstSeq, ...run }) => run);
  }

  eventCounts(threadId: string, runId?: string): EventCounts {
    return countEvents(runId === undefined ? this.threadEvents(threadId) : this.runEvents(threadId, runId));
  }
}

/** First and last created_at by seq order: the span the UI shows. A JSONL record may lack one (kept as ""). */
function timeSpan(events: readonly RunEvent[]): [string | null, string | null] {
  const first = events.find((e) => e.created_at !== '');
  const last = events.findLast((e) => e.created_at !== '');
  return [first?.created_at ?? null, last?.created_at ?? null];
}

/** Without a `runs` table, a run's status is what its lifecycle events say. */
export function statusFromEvents(events: readonly RunEvent[]): Pick<RunSummary, 'status' | 'error'> {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.event_type === 'run.error' || e.event_type === 'run_error') {
      return { status: 'error', error: typeof e.content === 'string' ? e.content : JSON.stringify(e.content) };
    }
    if (e.event_type === 'run.end' || e.event_type === 'run_end') {
      const status = e.metadata.status;
      return { status: typeof status === 'string' ? status : 'success', error: null };
    }
  }
  return { status: null, error: null };
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
