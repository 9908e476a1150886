"""Export anchor (issue 14, "export"): a DeerFlow SQLite database into DeerFlow's
JSONL layout, as a python user would write it with the standard library.

One query walks run_events in (thread_id, run_id, seq) order, which the
database's ix_events_run index serves; each row is decoded as DeerFlow's
reader does (event_metadata parsed, content parsed where the metadata marks it
as JSON, created_at read as UTC and given back with +00:00, the markers left
out of the record as DeerFlow's JSONL records carry none); each run's lines go
to <out>/threads/<thread>/runs/<run>.jsonl as DeerFlow's JsonlRunEventStore
writes them (json.dumps(record, ensure_ascii=False) and a newline). A lone
surrogate in a text (content cut mid-character by another writer) cannot be
encoded as UTF-8; backslashreplace writes it as the \\uXXXX escape that keeps the
line JSON. Prints {"ms", "events", "files"} as its last line.

usage: export_anchor.py DATABASE OUT
"""

import itertools
import json
import os
import sqlite3
import sys
import time
from datetime import datetime, timezone

QUERY = """
SELECT thread_id, run_id, user_id, event_type, category, content, event_metadata, seq, created_at
FROM run_events ORDER BY thread_id, run_id, seq
"""


def created_at_iso(text):
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc).isoformat()


def record_of(row):
    thread_id, run_id, user_id, event_type, category, content, metadata_text, seq, created_at = row
    metadata = json.loads(metadata_text)
    is_json = metadata.pop("content_is_json", False)
    is_dict = metadata.pop("content_is_dict", False)
    if is_json or is_dict:
        content = json.loads(content)
    record = {
        "thread_id": thread_id,
        "run_id": run_id,
        "event_type": event_type,
        "category": category,
        "content": content,
        "metadata": metadata,
        "seq": seq,
        "created_at": created_at_iso(created_at),
    }
    if user_id is not None:
        record["user_id"] = user_id
    return record


def main():
    database, out = sys.argv[1], sys.argv[2]
    started = time.perf_counter()
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    events = files = 0
    rows = connection.execute(QUERY)
    for thread_id, thread_rows in itertools.groupby(rows, key=lambda row: row[0]):
        runs_dir = os.path.join(out, "threads", thread_id, "runs")
        os.makedirs(runs_dir, exist_ok=True)
        for run_id, run_rows in itertools.groupby(thread_rows, key=lambda row: row[1]):
            lines = [json.dumps(record_of(row), ensure_ascii=False) + "\n" for row in run_rows]
            with open(os.path.join(runs_dir, run_id + ".jsonl"), "w", encoding="utf-8", errors="backslashreplace") as file:
                file.writelines(lines)
            events += len(lines)
            files += 1
    connection.close()
    print(json.dumps({"ms": (time.perf_counter() - started) * 1000, "events": events, "files": files}))


if __name__ == "__main__":
    main()
