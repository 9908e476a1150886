-- A small database as DeerFlow (current vintage) writes it: the base of the
-- truncated, corrupted and locked cases.
CREATE TABLE run_events (
	id INTEGER NOT NULL,
	thread_id VARCHAR(64) NOT NULL,
	run_id VARCHAR(64) NOT NULL,
	user_id VARCHAR(64),
	event_type VARCHAR(32) NOT NULL,
	category VARCHAR(16) NOT NULL,
	content TEXT NOT NULL,
	event_metadata JSON NOT NULL,
	seq INTEGER NOT NULL,
	created_at DATETIME NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT uq_events_thread_seq UNIQUE (thread_id, seq)
);
CREATE INDEX ix_events_run ON run_events (thread_id, run_id, seq);
CREATE INDEX ix_events_thread_cat_seq ON run_events (thread_id, category, seq);
CREATE INDEX ix_run_events_user_id ON run_events (user_id);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
INSERT INTO run_events (thread_id, run_id, user_id, event_type, category, content, event_metadata, seq, created_at)
SELECT 'thread-' || (i % 4), 'run-' || (i % 3), NULL,
       CASE WHEN i % 2 = 0 THEN 'llm.ai.response' ELSE 'llm.start' END,
       CASE WHEN i % 2 = 0 THEN 'message' ELSE 'trace' END,
       CASE WHEN i % 2 = 0 THEN '{"type": "ai", "content": "answer ' || i || ' ' || hex(randomblob(60)) || '"}' ELSE 'trace ' || i END,
       CASE WHEN i % 2 = 0 THEN '{"content_is_json": true, "content_is_dict": true}' ELSE '{}' END,
       (i + 3) / 4,
       '2026-04-04 00:49:25.' || printf('%06d', i)
FROM n;
