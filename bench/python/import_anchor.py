"""Import anchor (issue 14, "import"): DeerFlow's JSONL layout into a new SQLite
database with DeerFlow's schema, as a python user would write it with the
standard library.

Creates the database with the DDL SQLAlchemy emits for DeerFlow's RunEventRow
(src-main/store/sqlite/sql.ts RUN_EVENTS_DDL: the table and its indexes), then
in one transaction reads <layout>/threads/<thread>/runs/<run>.jsonl file by
file, json.loads each line and inserts the run's rows with executemany in
DeerFlow's encoding (DbRunEventStore): structured content as json.dumps text
with content_is_json (and content_is_dict for an object) in the metadata,
metadata as json.dumps text, created_at as UTC text without an offset, the
record's seq and owner kept. A lone surrogate (text cut mid-character by
another writer) cannot be stored as UTF-8; backslashreplace stores it as the
\\uXXXX escape JSON has for it. Prints {"ms", "events"} as its last line.

usage: import_anchor.py LAYOUT DATABASE
"""

import json
import os
import sqlite3
import sys
import time
from datetime import datetime, timezone

DDL = [
    """CREATE TABLE run_events (
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
    )""",
    "CREATE INDEX ix_events_run ON run_events (thread_id, run_id, seq)",
    "CREATE INDEX ix_events_thread_cat_seq ON run_events (thread_id, category, seq)",
    "CREATE INDEX ix_run_events_user_id ON run_events (user_id)",
]

INSERT = """
INSERT INTO run_events (thread_id, run_id, user_id, event_type, category, content, event_metadata, seq, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
"""


def storable(text):
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def dumps(value):
    return storable(json.dumps(value, ensure_ascii=False))


def row_of(record, thread_id, run_id):
    content = record.get("content", "")
    metadata = dict(record.get("metadata") or {})
    if isinstance(content, str):
        content = storable(content)
    else:
        metadata["content_is_json"] = True
        if isinstance(content, dict):
            metadata["content_is_dict"] = True
        content = dumps(content)
    created_at = datetime.fromisoformat(record["created_at"]).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    return (thread_id, run_id, record.get("user_id"), record["event_type"], record["category"], content, dumps(metadata), record["seq"], created_at)


def main():
    layout, database = sys.argv[1], sys.argv[2]
    started = time.perf_counter()
    connection = sqlite3.connect(database)
    for statement in DDL:
        connection.execute(statement)
    threads_dir = os.path.join(layout, "threads")
    events = 0
    with connection:
        for thread_id in sorted(os.listdir(threads_dir)):
            runs_dir = os.path.join(threads_dir, thread_id, "runs")
            for name in sorted(os.listdir(runs_dir)):
                if not name.endswith(".jsonl"):
                    continue
                run_id = name[: -len(".jsonl")]
                with open(os.path.join(runs_dir, name), encoding="utf-8") as file:
                    rows = [row_of(json.loads(line), thread_id, run_id) for line in file if line.strip()]
                connection.executemany(INSERT, rows)
                events += len(rows)
    connection.close()
    print(json.dumps({"ms": (time.perf_counter() - started) * 1000, "events": events}))


if __name__ == "__main__":
    main()
