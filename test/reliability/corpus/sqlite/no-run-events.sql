-- A SQLite database of some other program: no run_events table.
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
INSERT INTO notes (body) VALUES ('not a run-event store');
