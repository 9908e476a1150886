// The `runs` and `threads_meta` tables DeerFlow keeps beside run_events, as
// SQLAlchemy emits them. The app only reads them in a user's database; the
// generator and the vintage tests create them in files of their own.

/**
 * A `runs` row as DeerFlow writes it: runsDdl's columns but the owner's
 * (user_id, or owner_id in the oldest vintage), and a later DeerFlow's
 * stop_reason, which runsDdl does not have.
 */
export interface DeerFlowRunRow {
  run_id: string;
  thread_id: string;
  assistant_id: string | null;
  status: string;
  model_name: string | null;
  multitask_strategy: string;
  metadata_json: string;
  kwargs_json: string;
  error: string | null;
  message_count: number;
  first_human_message: string | null;
  last_ai_message: string | null;
  total_input_tokens: number;
  total_output_tokens: number;
  total_tokens: number;
  llm_call_count: number;
  lead_agent_tokens: number;
  subagent_tokens: number;
  middleware_tokens: number;
  follow_up_to_run_id: string | null;
  created_at: string;
  updated_at: string;
  stop_reason?: string | null;
}

/** `runs` / `threads_meta` as SQLAlchemy emits them; `owner` is the oldest vintage's owner_id. */
export const runsDdl = (owner: string) => [
  `CREATE TABLE runs (
\trun_id VARCHAR(64) NOT NULL, 
\tthread_id VARCHAR(64) NOT NULL, 
\tassistant_id VARCHAR(128), 
\t${owner} VARCHAR(64), 
\tstatus VARCHAR(20) NOT NULL, 
\tmodel_name VARCHAR(128), 
\tmultitask_strategy VARCHAR(20) NOT NULL, 
\tmetadata_json JSON NOT NULL, 
\tkwargs_json JSON NOT NULL, 
\terror TEXT, 
\tmessage_count INTEGER NOT NULL, 
\tfirst_human_message TEXT, 
\tlast_ai_message TEXT, 
\ttotal_input_tokens INTEGER NOT NULL, 
\ttotal_output_tokens INTEGER NOT NULL, 
\ttotal_tokens INTEGER NOT NULL, 
\tllm_call_count INTEGER NOT NULL, 
\tlead_agent_tokens INTEGER NOT NULL, 
\tsubagent_tokens INTEGER NOT NULL, 
\tmiddleware_tokens INTEGER NOT NULL, 
\tfollow_up_to_run_id VARCHAR(64), 
\tcreated_at DATETIME NOT NULL, 
\tupdated_at DATETIME NOT NULL, 
\tPRIMARY KEY (run_id)
)`,
  'CREATE INDEX ix_runs_thread_status ON runs (thread_id, status)',
  'CREATE INDEX ix_runs_thread_id ON runs (thread_id)',
  `CREATE INDEX ix_runs_${owner} ON runs (${owner})`,
];

export const threadsMetaDdl = (owner: string) => [
  `CREATE TABLE threads_meta (
\tthread_id VARCHAR(64) NOT NULL, 
\tassistant_id VARCHAR(128), 
\t${owner} VARCHAR(64), 
\tdisplay_name VARCHAR(256), 
\tstatus VARCHAR(20) NOT NULL, 
\tmetadata_json JSON NOT NULL, 
\tcreated_at DATETIME NOT NULL, 
\tupdated_at DATETIME NOT NULL, 
\tPRIMARY KEY (thread_id)
)`,
  'CREATE INDEX ix_threads_meta_assistant_id ON threads_meta (assistant_id)',
  `CREATE INDEX ix_threads_meta_${owner} ON threads_meta (${owner})`,
];
