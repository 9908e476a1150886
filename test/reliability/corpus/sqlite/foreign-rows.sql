-- A usable schema holding rows some other writer got wrong: metadata that is
-- not JSON or not an object, a marker on content that is not JSON, a date
-- that is not a date, a seq stored as text. One good row per thread.
CREATE TABLE run_events (
	id INTEGER NOT NULL PRIMARY KEY,
	thread_id VARCHAR(64) NOT NULL,
	run_id VARCHAR(64) NOT NULL,
	event_type VARCHAR(32) NOT NULL,
	category VARCHAR(16) NOT NULL,
	content TEXT NOT NULL,
	event_metadata JSON NOT NULL,
	seq INTEGER NOT NULL,
	created_at DATETIME NOT NULL
);
INSERT INTO run_events (thread_id, run_id, event_type, category, content, event_metadata, seq, created_at) VALUES
	('t1', 'r1', 'llm.ai.response', 'message', 'good', '{}', 1, '2026-04-04 00:49:25.000001'),
	('t1', 'r1', 'llm.ai.response', 'message', 'metadata is not JSON', 'not json', 2, '2026-04-04 00:49:25.000002'),
	('t1', 'r1', 'llm.ai.response', 'message', 'metadata is an array', '[1, 2]', 3, '2026-04-04 00:49:25.000003'),
	('t1', 'r1', 'llm.ai.response', 'message', '{not json', '{"content_is_json": true, "content_is_dict": true}', 4, '2026-04-04 00:49:25.000004'),
	('t1', 'r1', 'llm.ai.response', 'message', 'bad date', '{}', 5, 'yesterday'),
	('t1', 'r1', 'llm.ai.response', 'message', 'seq is text', '{}', 'six', '2026-04-04 00:49:25.000006'),
	('t1', 'r1', 'llm.ai.response', 'message', 'metadata is null JSON', 'null', 7, '2026-04-04 00:49:25.000007');
