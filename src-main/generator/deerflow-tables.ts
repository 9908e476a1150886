// The `threads_meta` and `runs` tables DeerFlow keeps beside run_events, for
// generated databases: their rows are derived from the generated events, so
// the read model's display names, statuses, models and token totals have
// something real to show. Only ever written into a file the generator made.
import Database from 'better-sqlite3';
import { toSqliteUtc } from '../../src-shared/time.ts';
import type { JsonValue, RunEvent } from '../../src-shared/types.ts';
import { runsDdl, threadsMetaDdl, type DeerFlowRunRow } from '../store/sqlite/deerflow-side-tables.ts';

// A later DeerFlow's runs also say why a run stopped short.
const SIDE_TABLES_DDL = [...threadsMetaDdl('user_id'), ...runsDdl('user_id'), 'ALTER TABLE runs ADD COLUMN stop_reason VARCHAR(50)'];

const INSERT_THREAD = `INSERT INTO threads_meta (thread_id, assistant_id, user_id, display_name, status, metadata_json, created_at, updated_at)
  VALUES (@thread_id, 'lead_agent', NULL, @display_name, 'idle', '{}', @created_at, @updated_at)`;

const INSERT_RUN = `INSERT INTO runs (run_id, thread_id, assistant_id, user_id, status, model_name, multitask_strategy, metadata_json, kwargs_json, error,
    total_input_tokens, total_output_tokens, total_tokens, llm_call_count, lead_agent_tokens, subagent_tokens, middleware_tokens,
    message_count, first_human_message, last_ai_message, created_at, updated_at, stop_reason)
  VALUES (@run_id, @thread_id, 'lead_agent', NULL, @status, @model_name, 'reject', @metadata_json, '{}', @error,
    @total_input_tokens, @total_output_tokens, @total_tokens, @llm_call_count, @lead_agent_tokens, @subagent_tokens, @middleware_tokens,
    @message_count, @first_human_message, @last_ai_message, @created_at, @updated_at, @stop_reason)`;

/** What the generator tallies, stop_reason included (it writes a later DeerFlow's runs); the other columns are constants of INSERT_RUN. */
type RunRow = Required<Omit<DeerFlowRunRow, 'assistant_id' | 'multitask_strategy' | 'metadata_json' | 'kwargs_json' | 'follow_up_to_run_id'>>;

export interface ThreadMetaInput {
  thread_id: string;
  display_name: string | null;
}

const asObject = (value: JsonValue | undefined) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {});

/** The text of a message payload in any of its shapes, cut as DeerFlow's run summary cuts it. */
function messageText(content: JsonValue): string {
  const inner = typeof content === 'string' ? content : asObject(content).content;
  if (typeof inner === 'string') return inner.slice(0, 2000);
  if (Array.isArray(inner)) return inner.map((part) => String(asObject(part).text ?? '')).join('').slice(0, 2000);
  return '';
}

/** Sums up runs from their events as DeerFlow's journal does, one event at a time. */
export class RunTally {
  private readonly runs = new Map<string, RunRow>();

  add(event: RunEvent): void {
    let run = this.runs.get(event.run_id);
    if (!run) {
      run = {
        run_id: event.run_id, thread_id: event.thread_id, status: 'running', stop_reason: null, model_name: null, error: null,
        total_input_tokens: 0, total_output_tokens: 0, total_tokens: 0, llm_call_count: 0,
        lead_agent_tokens: 0, subagent_tokens: 0, middleware_tokens: 0, message_count: 0,
        first_human_message: null, last_ai_message: null, created_at: event.created_at, updated_at: event.created_at,
      };
      // A new run of the thread interrupts one still going, as DeerFlow's multitask strategy does.
      for (const earlier of this.runs.values()) {
        if (earlier.thread_id === event.thread_id && earlier.status === 'running') Object.assign(earlier, { status: 'interrupted', stop_reason: 'interrupted_by_new_run' });
      }
      this.runs.set(event.run_id, run);
    }
    run.updated_at = event.created_at;
    if (event.category === 'message') run.message_count++;
    const model = event.metadata.model_name;
    if (typeof model === 'string') run.model_name = model;
    if (event.event_type === 'run.end' || event.event_type === 'run_end') run.status = 'success';
    if (event.event_type === 'run.error' || event.event_type === 'run_error') {
      const cancelled = event.metadata.error_type === 'CancelledError';
      Object.assign(run, { status: cancelled ? 'interrupted' : 'error', stop_reason: cancelled ? 'user_cancelled' : null, error: String(event.content) });
    }
    if (event.event_type === 'llm.human.input' && run.first_human_message === null) run.first_human_message = messageText(event.content);
    if (event.event_type === 'llm.ai.response' || event.event_type === 'ai_message') {
      const usage = asObject(event.metadata.usage);
      const total = Number(usage.total_tokens ?? 0);
      run.total_input_tokens += Number(usage.input_tokens ?? 0);
      run.total_output_tokens += Number(usage.output_tokens ?? 0);
      run.total_tokens += total;
      run.llm_call_count++;
      const caller = String(event.metadata.caller ?? 'lead_agent');
      if (caller.startsWith('subagent:')) run.subagent_tokens += total;
      else if (caller.startsWith('middleware:')) run.middleware_tokens += total;
      else {
        run.lead_agent_tokens += total;
        const text = messageText(event.content);
        if (text) run.last_ai_message = text;
      }
    }
  }

  /** First and last created_at of each thread, from its runs. */
  threadSpans(): Map<string, { created_at: string; updated_at: string }> {
    const spans = new Map<string, { created_at: string; updated_at: string }>();
    for (const run of this.runs.values()) {
      const span = spans.get(run.thread_id);
      if (!span) spans.set(run.thread_id, { created_at: run.created_at, updated_at: run.updated_at });
      else span.updated_at = run.updated_at;
    }
    return spans;
  }

  rows(): IterableIterator<RunRow> {
    return this.runs.values();
  }

  /**
   * Each run's metadata_json. One run, the second of the first thread that has two, says it
   * regenerates the first (as DeerFlow's regenerate does), so a generated store has a run to
   * compare with its original (issue 12); its events are the generator's as ever.
   */
  metadataJson(): Map<string, string> {
    const firstRun = new Map<string, string>();
    const metadata = new Map<string, string>();
    for (const { run_id, thread_id } of this.runs.values()) {
      const first = firstRun.get(thread_id);
      if (first === undefined) firstRun.set(thread_id, run_id);
      else if (metadata.size === 0) metadata.set(run_id, JSON.stringify({ regenerate_from_run_id: first }));
    }
    return metadata;
  }
}

/**
 * Adds DeerFlow's `threads_meta` and `runs` to a database the generator just
 * created. A thread in `threads` without events is listed with "now" as its
 * time, like a chat opened and never used.
 */
export function writeSideTables(file: string, threads: readonly ThreadMetaInput[], tally: RunTally, now: string): void {
  const db = new Database(file);
  try {
    const spans = tally.threadSpans();
    db.transaction(() => {
      for (const ddl of SIDE_TABLES_DDL) db.exec(ddl);
      const insertThread = db.prepare(INSERT_THREAD);
      for (const { thread_id, display_name } of threads) {
        const span = spans.get(thread_id) ?? { created_at: now, updated_at: now };
        insertThread.run({ thread_id, display_name, created_at: toSqliteUtc(span.created_at), updated_at: toSqliteUtc(span.updated_at) });
      }
      const insertRun = db.prepare(INSERT_RUN);
      const metadata = tally.metadataJson();
      for (const run of tally.rows()) {
        insertRun.run({ ...run, metadata_json: metadata.get(run.run_id) ?? '{}', created_at: toSqliteUtc(run.created_at), updated_at: toSqliteUtc(run.updated_at) });
      }
    })();
  } finally {
    db.close();
  }
}
