// The records every backend returns and the read model's records. Field names
// are DeerFlow's persisted / wire / file format, so they stay snake_case.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface RunEvent {
  thread_id: string;
  run_id: string;
  seq: number;
  event_type: string;
  category: string;
  content: JsonValue;
  metadata: JsonObject;
  created_at: string;
  /** Present only where the source records an owner (newer DeerFlow databases). */
  user_id?: string | null;
}

export interface EventInput {
  thread_id: string;
  run_id: string;
  event_type: string;
  category: string;
  content?: JsonValue;
  metadata?: JsonObject;
  created_at?: string;
}

export interface ListMessagesOptions {
  limit?: number;
  beforeSeq?: number;
  afterSeq?: number;
}

export interface ListEventsOptions {
  eventTypes?: string[];
  taskId?: string;
  limit?: number;
  afterSeq?: number;
}

/** The seed's RunEventStore (DESIGN.md §2), in TypeScript. */
export interface RunEventStore {
  put(event: EventInput): Promise<RunEvent>;
  putBatch(events: EventInput[]): Promise<RunEvent[]>;
  putIfAbsent(event: EventInput): Promise<{ event: RunEvent; created: boolean }>;
  listMessages(threadId: string, options?: ListMessagesOptions): Promise<RunEvent[]>;
  listEvents(threadId: string, runId: string, options?: ListEventsOptions): Promise<RunEvent[]>;
  listMessagesByRun(threadId: string, runId: string, options?: ListMessagesOptions): Promise<RunEvent[]>;
  countMessages(threadId: string): Promise<number>;
  deleteByThread(threadId: string): Promise<number>;
  deleteByRun(threadId: string, runId: string): Promise<number>;
}

export interface ThreadSummary {
  thread_id: string;
  display_name: string | null;
  message_count: number;
  event_count: number;
  run_count: number;
  /** Earliest and latest created_at of the thread's events (not its first and last by seq). */
  first_created_at: string | null;
  last_created_at: string | null;
  /** RunSummary.status of the thread's latest run (by last_created_at); null when it has none or it is unknown. */
  last_run_status?: string | null;
  /**
   * Its first human message's text as a title (message-model.ts firstHumanText), null when it has none;
   * absent where the backend does not keep it (the page then reads the thread's first messages itself).
   */
  title?: string | null;
}

export interface RunSummary {
  run_id: string;
  message_count: number;
  event_count: number;
  /** Earliest and latest created_at of the run's events: subagent events may precede run.start in seq order. */
  first_created_at: string | null;
  last_created_at: string | null;
  /** Lowest and highest seq of the run's events, to place it among the thread's messages. */
  first_seq: number | null;
  last_seq: number | null;
  /**
   * The `runs` row's status where the database has one; else `error` when the run
   * has a run.error (legacy run_error), `success` when it has a run.end (run_end),
   * else null (not known: still running, or killed before its end; src-shared/run-status.ts tells which by its last event's time).
   */
  status?: string | null;
  /** The `runs` row's stop_reason (`user_cancelled`, `interrupted_by_new_run`, …) where there is one. */
  stop_reason?: string | null;
  /** The `runs` row's model, else the model of the run's AI messages (response_metadata.model_name). */
  model_name?: string | null;
  /** The `runs` row's error, else the content of the run's run.error event. */
  error?: string | null;
  /** The `runs` row's total, else the sum of the usage its AI messages carry; null when nothing recorded any. */
  total_tokens?: number | null;
  /** As RunAnatomy counts them (issue 11): `llm.ai.response` events, the tool-call entries in them, `llm.tool.result`s whose status is error. */
  llm_calls?: number;
  tool_calls?: number;
  tool_errors?: number;
  /**
   * The run of the thread this one redoes, as its `runs` row says: metadata_json's
   * regenerate_from_run_id, else follow_up_to_run_id (the column, or metadata_json's); null
   * when the row names neither. "Compare with original" (issue 12) offers it.
   */
  original?: { run_id: string; relation: 'regenerate' | 'follow_up' } | null;
}

export interface EventCounts {
  by_category: Record<string, number>;
  by_event_type: Record<string, number>;
  /** metadata.task_id of subagent events, for the trace's task filter. */
  by_task_id: Record<string, number>;
}

/** A line of a JSONL source that was skipped (error) or kept with defaults (warning). */
export interface SourceIssue {
  path: string;
  /** 1-based, blank lines counted; 0 when the whole file or folder was left out. */
  line: number;
  severity: 'error' | 'warning';
  /** For people; its wording may change. */
  message: string;
  /** What the issue is, for a program (the health check) to read instead of the message; only these issues have it. */
  about?: SourceIssueAbout;
}

export type SourceIssueAbout =
  /** A record skipped for its seq: its thread already has a record with it, the first read, which is kept. */
  | { kind: 'duplicate_seq'; thread_id: string; seq: number }
  /** A layout record whose run_id (as the record gives it) is not its file's run; it is read as the file's. */
  | { kind: 'other_run'; run_id: JsonValue };

export type SourceKind = 'memory' | 'sqlite' | 'jsonl' | 'jsonl-file' | 'postgres';

export interface SourceInfo {
  kind: SourceKind;
  /** Absolute path of the database, JSONL root or export file; null for memory. */
  path: string | null;
  readOnly: boolean;
}

/** What DeerFlow's `runs` row of a run records (SQLite and PostgreSQL databases that have the table and the row). */
export interface RecordedRun {
  status: string | null;
  stop_reason: string | null;
  error: string | null;
  model_name: string | null;
  tokens: RecordedTokens;
}

export interface TokenCounts {
  input: number;
  output: number;
  total: number;
}

/** The `runs` row's total_input_tokens / total_output_tokens / total_tokens and its split by caller; a column the vintage lacks is null. */
export interface RecordedTokens {
  input: number | null;
  output: number | null;
  total: number | null;
  lead_agent: number | null;
  subagent: number | null;
  middleware: number | null;
}

export type SpanKind = 'run' | 'llm' | 'tool' | 'subagent' | 'event';
export type SpanStatus = 'ok' | 'error' | 'open';

/** One timed piece of a run (issue 11), derived from its events in main. */
export interface RunSpan {
  kind: SpanKind;
  name: string;
  /** Who did it: `lead_agent`, `middleware:<name>`, `subagent:<name>`, or `task:<task_id>` for a subagent task's own spans. */
  lane: string;
  /** The event it starts at, and the event it ends at (the same for an instant; null while open). */
  seq: number;
  end_seq: number | null;
  started_at: string;
  ended_at: string;
  duration_ms: number;
  status: SpanStatus;
  /** Index in `spans` of the enclosing span; null for the run itself. */
  parent: number | null;
}

/** Why a run ended, in words a person reads; `seq` is the event that says so (null when none does). */
export interface RunStop {
  reason: 'completed' | 'error' | 'middleware' | 'cancelled' | 'interrupted' | 'running' | 'no_end';
  detail: string | null;
  seq: number | null;
}

/** `runSummary` (issue 11): a run's anatomy, from one pass over its events (and its `runs` row). */
export interface RunAnatomy {
  run_id: string;
  /** The `runs` row's status where there is one, else `error` (run.error), `success` (run.end), else `running`. */
  status: string;
  started_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  stop: RunStop;
  llm_calls: number;
  tool_calls: number;
  tool_errors: number;
  subagent_tasks: number;
  /** Summed from the usage_metadata of the run's AI messages. */
  tokens: TokenCounts;
  /** The `runs` row's totals; null where there is no row or it records none of them. */
  tokens_recorded: RecordedTokens | null;
  /** Every model the run's AI messages name, in order of first use. */
  models: string[];
  /** The run first (index 0), then every span in start order. */
  spans: RunSpan[];
}

/** A run as the comparison's header shows it (issue 12): its anatomy without the spans. */
export type RunFigures = Omit<RunAnatomy, 'spans'>;

/**
 * One step of a run as compareRuns aligns it: a human input, an AI response, a tool call (one per
 * entry of the AI message's tool_calls: those share the message's seq), a tool result, a subagent
 * task's start or end, an error. `text` is what the comparison compares (the message's text, the
 * call's arguments as JSON, the result), cut to COMPARE_TEXT_CHARS; `truncated` says it was cut.
 * Both go beyond issue 12's `{ seq, event_type, label }` on purpose: with them the page diffs a
 * changed step word by word from this one answer, without a second call per step for its texts;
 * the cut keeps the answer bounded however long the runs' messages are.
 */
export interface StepRef {
  seq: number;
  event_type: string;
  label: string;
  text: string;
  truncated: boolean;
}

export type StepDifference = 'same' | 'changed' | 'only_a' | 'only_b';

export interface AlignedStep {
  kind: StepDifference;
  a: StepRef | null;
  b: StepRef | null;
}

export interface RunComparison {
  a: RunFigures;
  b: RunFigures;
  /** In order: each step of either run once, paired with its counterpart where the other run has one. */
  steps: AlignedStep[];
}

/**
 * A thread at a glance (issue 11's overview strip), from counts only: its seq range cut into
 * `buckets.events.length` equal buckets of `bucket_seqs` seqs, the first starting at `first_seq`.
 */
export interface ThreadOverview {
  first_seq: number | null;
  last_seq: number | null;
  bucket_seqs: number;
  buckets: {
    events: number[];
    messages: number[];
    /** run.error / run_error / llm.error / tool_error events and the `error` category; null when asked without marks. */
    errors: number[] | null;
    /** `llm.tool.result` events whose content status is error; null when asked without marks. */
    tool_errors: number[] | null;
  };
}

export interface OverviewOptions {
  /**
   * Whether to count errors and failed tool calls (default true). Events and messages come from
   * an index; the marks read every row of the thread once. `'kept'`: only when the store has them
   * without that read (SQLite: found by the pass made when the source opened, or by an earlier
   * count; memory and JSONL always), else they are null — so the strip can draw before the read.
   */
  marks?: boolean | 'kept';
}

/** What the inspector needs beyond the seed's interface (DESIGN.md §2, read model). */
export interface RunEventReadModel {
  listThreads(): Promise<ThreadSummary[]>;
  listRuns(threadId: string): Promise<RunSummary[]>;
  /** The run's `runs` row; null where the source has none (JSONL, memory, no table, no row). */
  recordedRun(threadId: string, runId: string): Promise<RecordedRun | null>;
  /** At most `buckets` buckets (fewer when the thread has fewer seqs). */
  threadOverview(threadId: string, buckets: number, options?: OverviewOptions): Promise<ThreadOverview>;
  eventCounts(threadId: string, runId?: string): Promise<EventCounts>;
  /** One whole event, for the detail pane; null when it does not exist. */
  getEvent(threadId: string, seq: number): Promise<RunEvent | null>;
  /** Lines skipped or defaulted while reading the source (JSONL only). */
  sourceIssues(): Promise<SourceIssue[]>;
}

export interface InspectorStore extends RunEventStore, RunEventReadModel {
  readonly info: SourceInfo;
  close(): Promise<void>;
}

/** One event that matches a search (issue 10): its envelope and a plain-text snippet around the first match. */
export interface SearchHit {
  thread_id: string;
  run_id: string;
  seq: number;
  event_type: string;
  category: string;
  created_at: string;
  /** Plain text, at most 300 characters, containing the first match. */
  snippet: string;
}

/** How far the source's search index is: results are exact for what is indexed; `ready` means all of it. */
export interface SearchIndexStatus {
  state: 'ready' | 'building';
  indexed: number;
  total: number;
}

export interface SearchResult {
  /** Newest first: created_at descending, then thread_id, then seq descending; each event once. */
  hits: SearchHit[];
  /** Opaque; pass it back as `cursor` for the next page. null when there is no more. */
  nextCursor: string | null;
  index: SearchIndexStatus;
}

export interface SearchOptions {
  threadId?: string;
  /** Needs threadId. */
  runId?: string;
  categories?: string[];
  eventTypes?: string[];
  /** 1–500, default 50. */
  limit?: number;
  cursor?: string | null;
}
