// The queries and read model of a store whose events live in an EventIndex
// kept in step with files: the jsonl layout store and the single-file export.
// Every call is serialised, so a refresh from disk never interleaves with a
// query or a write of the same process.
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
} from '../../../src-shared/types.ts';
import { EventIndex } from '../event-index.ts';
import { checkBuckets, checkMarks } from '../overview.ts';
import { checkListEventsOptions, checkListMessagesOptions } from '../validate.ts';
import type { RecordPlace } from './jsonl-reader.ts';

// Callers get copies, so mutating a returned record cannot change the store.
export const copy = <T>(value: T): T => structuredClone(value);

export const byPlace = (a: SourceIssue, b: SourceIssue) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line);

export interface ReadRecord {
  record: RunEvent;
  where: RecordPlace;
}

/**
 * Adds records to the index in seq order (sorted once, so the index never
 * re-sorts per record). A seq already taken in its thread keeps the record
 * seen first; the later one is skipped and reported.
 */
export function addInSeqOrder(index: EventIndex, records: ReadRecord[], report: (issue: SourceIssue, record: RunEvent) => void): void {
  records.sort((a, b) => a.record.seq - b.record.seq); // stable: equal seqs stay in reading order
  for (const { record, where } of records) {
    const { thread_id, seq } = record;
    if (seq < index.nextSeq(thread_id) && index.getEvent(thread_id, seq)) {
      report({ ...where, severity: 'error', message: `duplicate seq ${seq} in thread ${JSON.stringify(thread_id)}: the first record with it is kept` }, record);
    } else {
      index.add(record);
    }
  }
}

export abstract class IndexedStore implements InspectorStore {
  abstract readonly info: SourceInfo;
  protected index = new EventIndex();
  private queue: Promise<unknown> = Promise.resolve();

  /** Validates an id argument (the layout store also needs it to be safe as a path part). */
  protected abstract checkId(value: unknown, field: string): string;
  /** Brings the index up to date with the files of one thread, or of the whole store. */
  protected abstract refresh(threadId?: string): Promise<void>;
  protected abstract issues(): SourceIssue[];

  abstract put(event: EventInput): Promise<RunEvent>;
  abstract putBatch(events: EventInput[]): Promise<RunEvent[]>;
  abstract putIfAbsent(event: EventInput): Promise<{ event: RunEvent; created: boolean }>;
  abstract deleteByThread(threadId: string): Promise<number>;
  abstract deleteByRun(threadId: string, runId: string): Promise<number>;

  /** Runs `task` after every call made before it has finished. */
  protected exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** A query of one thread: refreshed from disk first, answered from the index. */
  private readThread<T>(threadId: string, query: () => T): Promise<T> {
    return this.exclusive(async () => {
      await this.refresh(threadId);
      return copy(query());
    });
  }

  async listMessages(threadId: string, options?: ListMessagesOptions): Promise<RunEvent[]> {
    const t = this.checkId(threadId, 'threadId');
    const o = checkListMessagesOptions(options);
    return this.readThread(t, () => this.index.listMessages(t, o));
  }

  async listEvents(threadId: string, runId: string, options?: ListEventsOptions): Promise<RunEvent[]> {
    const t = this.checkId(threadId, 'threadId');
    const r = this.checkId(runId, 'runId');
    const o = checkListEventsOptions(options);
    return this.readThread(t, () => this.index.listEvents(t, r, o));
  }

  async listMessagesByRun(threadId: string, runId: string, options?: ListMessagesOptions): Promise<RunEvent[]> {
    const t = this.checkId(threadId, 'threadId');
    const r = this.checkId(runId, 'runId');
    const o = checkListMessagesOptions(options);
    return this.readThread(t, () => this.index.listMessagesByRun(t, r, o));
  }

  async countMessages(threadId: string): Promise<number> {
    const t = this.checkId(threadId, 'threadId');
    return this.readThread(t, () => this.index.countMessages(t));
  }

  async listThreads(): Promise<ThreadSummary[]> {
    return this.exclusive(async () => {
      await this.refresh();
      return this.index.threadIds().map((id) => this.index.summarizeThread(id));
    });
  }

  async listRuns(threadId: string): Promise<RunSummary[]> {
    const t = this.checkId(threadId, 'threadId');
    return this.readThread(t, () => this.index.summarizeRuns(t));
  }

  /** DeerFlow's JSONL layout has no `runs` table. */
  async recordedRun(threadId: string, runId: string): Promise<RecordedRun | null> {
    this.checkId(threadId, 'threadId');
    this.checkId(runId, 'runId');
    return null;
  }

  async threadOverview(threadId: string, buckets: number, options?: OverviewOptions): Promise<ThreadOverview> {
    const t = this.checkId(threadId, 'threadId');
    const b = checkBuckets(buckets);
    const marks = checkMarks(options);
    return this.readThread(t, () => this.index.threadOverview(t, b, marks));
  }

  async eventCounts(threadId: string, runId?: string): Promise<EventCounts> {
    const t = this.checkId(threadId, 'threadId');
    const r = runId === undefined ? undefined : this.checkId(runId, 'runId');
    return this.readThread(t, () => this.index.eventCounts(t, r));
  }

  async getEvent(threadId: string, seq: number): Promise<RunEvent | null> {
    const t = this.checkId(threadId, 'threadId');
    return this.readThread(t, () => this.index.getEvent(t, seq));
  }

  async sourceIssues(): Promise<SourceIssue[]> {
    return this.exclusive(async () => {
      await this.refresh();
      return copy(this.issues()).sort(byPlace);
    });
  }

  async close(): Promise<void> {}
}
