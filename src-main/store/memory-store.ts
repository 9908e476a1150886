// The memory backend: for tests, scratch sessions and as the oracle the other
// backends are compared with.
import type {
  EventCounts,
  EventInput,
  InspectorStore,
  ListEventsOptions,
  ListMessagesOptions,
  OverviewOptions,
  RecordedRun,
  RunEvent,
  RunSummary,
  SourceInfo,
  SourceIssue,
  ThreadOverview,
  ThreadSummary,
} from '../../src-shared/types.ts';
import { EventIndex } from './event-index.ts';
import { checkBuckets, checkMarks } from './overview.ts';
import { makeEvent } from './records.ts';
import {
  checkEventInput,
  checkEventInputs,
  checkId,
  checkListEventsOptions,
  checkListMessagesOptions,
} from './validate.ts';

// Callers get copies, so mutating a returned record cannot change the store.
const copy = <T>(value: T): T => structuredClone(value);

export class MemoryStore implements InspectorStore {
  readonly info: SourceInfo = { kind: 'memory', path: null, readOnly: false };
  private readonly index = new EventIndex();

  async put(event: EventInput): Promise<RunEvent> {
    const input = checkEventInput(event);
    return copy(this.append(input));
  }

  async putBatch(events: EventInput[]): Promise<RunEvent[]> {
    const inputs = checkEventInputs(events);
    return inputs.map((input) => copy(this.append(input)));
  }

  async putIfAbsent(event: EventInput): Promise<{ event: RunEvent; created: boolean }> {
    const input = checkEventInput(event);
    const existing = this.index.findInRun(input.thread_id, input.run_id, input.event_type);
    if (existing) return { event: copy(existing), created: false };
    return { event: copy(this.append(input)), created: true };
  }

  private append(input: EventInput): RunEvent {
    const record = makeEvent(input, this.index.nextSeq(input.thread_id));
    this.index.add(record);
    return record;
  }

  async listMessages(threadId: string, options?: ListMessagesOptions): Promise<RunEvent[]> {
    return copy(this.index.listMessages(checkId(threadId, 'threadId'), checkListMessagesOptions(options)));
  }

  async listEvents(threadId: string, runId: string, options?: ListEventsOptions): Promise<RunEvent[]> {
    return copy(this.index.listEvents(checkId(threadId, 'threadId'), checkId(runId, 'runId'), checkListEventsOptions(options)));
  }

  async listMessagesByRun(threadId: string, runId: string, options?: ListMessagesOptions): Promise<RunEvent[]> {
    return copy(
      this.index.listMessagesByRun(checkId(threadId, 'threadId'), checkId(runId, 'runId'), checkListMessagesOptions(options)),
    );
  }

  async countMessages(threadId: string): Promise<number> {
    return this.index.countMessages(checkId(threadId, 'threadId'));
  }

  async deleteByThread(threadId: string): Promise<number> {
    return this.index.deleteThread(checkId(threadId, 'threadId'));
  }

  async deleteByRun(threadId: string, runId: string): Promise<number> {
    return this.index.deleteRun(checkId(threadId, 'threadId'), checkId(runId, 'runId'));
  }

  async listThreads(): Promise<ThreadSummary[]> {
    return this.index.threadIds().map((id) => this.index.summarizeThread(id));
  }

  async listRuns(threadId: string): Promise<RunSummary[]> {
    return this.index.summarizeRuns(checkId(threadId, 'threadId'));
  }

  /** Memory has no `runs` table. */
  async recordedRun(threadId: string, runId: string): Promise<RecordedRun | null> {
    checkId(threadId, 'threadId');
    checkId(runId, 'runId');
    return null;
  }

  async threadOverview(threadId: string, buckets: number, options?: OverviewOptions): Promise<ThreadOverview> {
    return this.index.threadOverview(checkId(threadId, 'threadId'), checkBuckets(buckets), checkMarks(options));
  }

  async eventCounts(threadId: string, runId?: string): Promise<EventCounts> {
    return this.index.eventCounts(checkId(threadId, 'threadId'), runId === undefined ? undefined : checkId(runId, 'runId'));
  }

  async getEvent(threadId: string, seq: number): Promise<RunEvent | null> {
    return copy(this.index.getEvent(checkId(threadId, 'threadId'), seq));
  }

  async sourceIssues(): Promise<SourceIssue[]> {
    return [];
  }

  async close(): Promise<void> {}
}
