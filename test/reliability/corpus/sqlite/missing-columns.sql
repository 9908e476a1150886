-- run_events without the content and seq columns DeerFlow's reader needs.
CREATE TABLE run_events (
	id INTEGER NOT NULL PRIMARY KEY,
	thread_id VARCHAR(64) NOT NULL,
	run_id VARCHAR(64) NOT NULL,
	event_type VARCHAR(32) NOT NULL,
	category VARCHAR(16) NOT NULL,
	event_metadata JSON NOT NULL,
	created_at DATETIME NOT NULL
);
INSERT INTO run_events (thread_id, run_id, event_type, category, event_metadata, created_at)
VALUES ('t1', 'r1', 'llm.ai.response', 'message', '{}', '2026-04-04 00:49:25.000000');
