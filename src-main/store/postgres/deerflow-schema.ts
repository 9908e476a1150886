// DeerFlow's PostgreSQL tables, byte for byte as SQLAlchemy emits them from
// DeerFlow's models (../shared/deerflow/postgres_schema.sql): what `--init`
// creates in an empty database, and what the tests' databases are made of.
// One script of several statements, run as one simple query.
export const DEERFLOW_POSTGRES_DDL = `-- DeerFlow (bytedance/deer-flow @ f1f4af99bbf1cffb83a80744bf6e4a44ee8f24be) application tables
-- run_events / runs / threads_meta (+ alembic_version), PostgreSQL.
-- Emitted by SQLAlchemy 2.0.49 (DeerFlow's uv.lock pin) from DeerFlow's ORM models, loaded verbatim:
--   CreateTable(t).compile(dialect=sqlalchemy.dialects.postgresql.dialect())  (identical for the asyncpg dialect)
--   CreateIndex(i).compile(...) for each Index in t.indexes (sorted by name here; create_all's order is set order)
-- alembic_version: alembic 1.18.4 PostgresqlImpl.version_table_impl(); DeerFlow stamps head after create_all.
-- No schema qualification: DeerFlow's database.postgres_schema works via the connection search_path
-- (CREATE SCHEMA IF NOT EXISTS "<schema>" first), never via Table.schema.
-- Statement text below is byte-for-byte SQLAlchemy output (incl. the trailing space after each ",").

CREATE TABLE run_events (
	id SERIAL NOT NULL, 
	thread_id VARCHAR(64) NOT NULL, 
	run_id VARCHAR(64) NOT NULL, 
	user_id VARCHAR(64), 
	event_type VARCHAR(32) NOT NULL, 
	category VARCHAR(16) NOT NULL, 
	content TEXT NOT NULL, 
	event_metadata JSON NOT NULL, 
	seq INTEGER NOT NULL, 
	created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_events_thread_seq UNIQUE (thread_id, seq)
);

CREATE INDEX ix_events_run ON run_events (thread_id, run_id, seq);

CREATE INDEX ix_events_thread_cat_seq ON run_events (thread_id, category, seq);

CREATE INDEX ix_run_events_user_id ON run_events (user_id);


CREATE TABLE runs (
	run_id VARCHAR(64) NOT NULL, 
	thread_id VARCHAR(64) NOT NULL, 
	assistant_id VARCHAR(128), 
	user_id VARCHAR(64), 
	status VARCHAR(20) NOT NULL, 
	operation_kind VARCHAR(32) DEFAULT 'run' NOT NULL, 
	idempotency_key VARCHAR(255), 
	model_name VARCHAR(128), 
	multitask_strategy VARCHAR(20) NOT NULL, 
	metadata_json JSON NOT NULL, 
	kwargs_json JSON NOT NULL, 
	error TEXT, 
	stop_reason VARCHAR(50), 
	message_count INTEGER NOT NULL, 
	first_human_message TEXT, 
	last_ai_message TEXT, 
	total_input_tokens INTEGER NOT NULL, 
	total_output_tokens INTEGER NOT NULL, 
	total_tokens INTEGER NOT NULL, 
	llm_call_count INTEGER NOT NULL, 
	lead_agent_tokens INTEGER NOT NULL, 
	subagent_tokens INTEGER NOT NULL, 
	middleware_tokens INTEGER NOT NULL, 
	token_usage_by_model JSON DEFAULT '{}' NOT NULL, 
	follow_up_to_run_id VARCHAR(64), 
	owner_worker_id VARCHAR(128), 
	lease_expires_at TIMESTAMP WITH TIME ZONE, 
	cancel_action VARCHAR(20), 
	cancel_requested_at TIMESTAMP WITH TIME ZONE, 
	created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (run_id)
);

CREATE INDEX ix_runs_lease ON runs (lease_expires_at);

CREATE INDEX ix_runs_thread_id ON runs (thread_id);

CREATE INDEX ix_runs_thread_status ON runs (thread_id, status);

CREATE INDEX ix_runs_user_id ON runs (user_id);

CREATE UNIQUE INDEX uq_runs_idempotency_key ON runs (idempotency_key);

CREATE UNIQUE INDEX uq_runs_thread_active ON runs (thread_id) WHERE status IN ('pending', 'running');


CREATE TABLE threads_meta (
	thread_id VARCHAR(64) NOT NULL, 
	assistant_id VARCHAR(128), 
	user_id VARCHAR(64), 
	display_name VARCHAR(256), 
	status VARCHAR(20) NOT NULL, 
	metadata_json JSON NOT NULL, 
	created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (thread_id)
);

CREATE INDEX ix_threads_meta_assistant_id ON threads_meta (assistant_id);

CREATE INDEX ix_threads_meta_user_id ON threads_meta (user_id);


CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- What \`alembic stamp head\` writes on the empty-DB bootstrap path (head at f1f4af99b):
INSERT INTO alembic_version (version_num) VALUES ('0013_mcp_task_notifications');
`;
