// The queries and read model of a store whose events are indexed in this
// process (index-queries.ts), kept in step with files: the jsonl layout store
// and the single-file export. Every call is serialised, so a refresh from
// disk never interleaves with a query or a write of the same process.
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
import type { IndexQueries } from '../index-queries.ts';
import { checkBuckets, checkMarks } from '../overview.ts';
import { checkListEventsOptions, checkListMessagesOptions } from '../validate.ts';

// Callers get copies, so mutating a returned record cannot change the store.
export const copy = <T>(value: T): T => structuredClone(value);

export const byPlace = (a: SourceIssue, b: SourceIssue) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line);

export abstract class IndexedStore implements InspectorStore {
  abstract readonly info: SourceInfo;
  protected abstract readonly index: IndexQueries;
  private queue: Promise<unknown> = Promise.resolve();

  /** Validates an id argument (the layout store also needs it to be safe as a path part). */
  protected abstract checkId(value: unknown, field: string): string;
  /** Brings the index up to date with the files of one thread; runs inside `exclusive`. */
  protected abstract refreshThread(threadId: string): Promise<void>;
  /** Brings the index up to date with the whole store; called outside `exclusive`, it takes its turns itself. */
  protected abstract refreshAll(): Promise<void>;
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

  /** The thread brought up to date, then `query` answered (the layout store also reads a thread again when a file changed under a query). */
  protected async answer<T>(threadId: string, query: () => T): Promise<T> {
    await this.refreshThread(threadId);
    return query();
  }

  /** A query of one thread, in its turn; the index's own records copied. */
  private readThread<T>(threadId: string, query: () => T): Promise<T> {
    return this.exclusive(async () => {
      const answer = await this.answer(threadId, query);
      return this.index.sharesRecords ? copy(answer) : answer;
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

  /** Every thread, once the whole store is read. */
  async listThreads(): Promise<ThreadSummary[]> {
    await this.refreshAll();
    return this.exclusive(async () => this.index.threadIds().map((id) => this.index.summarizeThread(id)));
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
    await this.refreshAll();
    return this.exclusive(async () => copy(this.issues()).sort(byPlace));
  }

  async close(): Promise<void> {}
}
