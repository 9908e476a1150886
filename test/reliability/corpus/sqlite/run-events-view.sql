-- run_events is a read-only view over another table: readable, not writable.
CREATE TABLE raw_events (thread_id TEXT, run_id TEXT, event_type TEXT, category TEXT, content TEXT, event_metadata TEXT, seq INTEGER, created_at TEXT);
INSERT INTO raw_events VALUES ('t1', 'r1', 'llm.ai.response', 'message', 'hello', '{}', 1, '2026-04-04 00:49:25.000000');
CREATE VIEW run_events AS SELECT rowid AS id, * FROM raw_events;
