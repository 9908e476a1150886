"""The python anchor of issue 14's read-path figures: what a plain python3 +
sqlite3 script takes to answer the benchmark's requests in-process (no I/O),
each read with DeerFlow's query, its rows decoded as DeerFlow's reader does
(`_row_to_dict`: metadata json.loads, content json.loads when a marker says it
is JSON, created_at to ISO with +00:00) and the list json.dumps-ed.

usage: rpc_anchor.py DATABASE REQUESTS_JSON REPEATS
REQUESTS_JSON: {"name": {"method": "listMessages" | "listEvents", "params": {...}}, ...}
with the params of the contract's call. Prints {"name": median ms, ...} and,
under "rows", how many records each answer had.
"""
import json
import sqlite3
import statistics
import sys
import time
from datetime import datetime, timezone

COLUMNS = ("thread_id", "run_id", "user_id", "event_type", "category", "content", "event_metadata", "seq", "created_at")
SELECT = f"SELECT {', '.join(COLUMNS)} FROM run_events"
WARM_UP = 20


def row_to_dict(row):
    record = dict(zip(COLUMNS, row))
    metadata = json.loads(record.pop("event_metadata") or "{}")
    record["metadata"] = metadata
    if metadata.get("content_is_json") or metadata.get("content_is_dict"):
        try:
            record["content"] = json.loads(record["content"])
        except ValueError:
            pass
    record["created_at"] = datetime.fromisoformat(record["created_at"]).replace(tzinfo=timezone.utc).isoformat()
    return record


def list_messages(db, thread_id, limit=50, beforeSeq=None, afterSeq=None):
    """DeerFlow's list_messages: the first `limit` after a cursor, else the last `limit`, ascending."""
    where, args = ["thread_id = ?", "category = 'message'"], [thread_id]
    if beforeSeq is not None:
        where.append("seq < ?")
        args.append(beforeSeq)
    if afterSeq is not None:
        where.append("seq > ?")
        args.append(afterSeq)
    order = "ASC" if afterSeq is not None else "DESC"
    rows = db.execute(f"{SELECT} WHERE {' AND '.join(where)} ORDER BY seq {order} LIMIT ?", [*args, limit]).fetchall()
    return rows if afterSeq is not None else rows[::-1]


def list_events(db, thread_id, run_id, limit=500, afterSeq=None):
    where, args = ["thread_id = ?", "run_id = ?"], [thread_id, run_id]
    if afterSeq is not None:
        where.append("seq > ?")
        args.append(afterSeq)
    return db.execute(f"{SELECT} WHERE {' AND '.join(where)} ORDER BY seq LIMIT ?", [*args, limit]).fetchall()


def answer(db, request):
    params = dict(request["params"])
    if request["method"] == "listMessages":
        rows = list_messages(db, params.pop("threadId"), **params)
    else:
        rows = list_events(db, params.pop("threadId"), params.pop("runId"), **params)
    return json.dumps([row_to_dict(row) for row in rows])


def main():
    database, requests, repeats = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    timings, rows = {}, {}
    for name, request in requests.items():
        for _ in range(WARM_UP):
            answer(db, request)
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            text = answer(db, request)
            times.append((time.perf_counter() - started) * 1000)
        timings[name] = statistics.median(times)
        rows[name] = len(json.loads(text))
    print(json.dumps({**timings, "rows": rows}))


main()
