"""The client side of issue 14's rpc figures: a python3 script talking to
`run-inspector rpc` through its pipes, as a user's script does (the python
anchor, rpc_anchor.py, is the same script answering in-process instead).

usage: rpc_client.py REQUESTS_JSON WARM_UP FIRST REPEATS PIPELINED -- COMMAND...
REQUESTS_JSON: {"name": {"method": ..., "params": {...}}, ...}. COMMAND starts
the rpc process. Rounds of one request of each kind, so the machine's load
moves every kind alike: WARM_UP rounds (the first FIRST of them timed too:
what a process just started gives), then REPEATS timed rounds, one request at
a time (from writing the line to reading the whole answer line); then
REPEATS / 10 batches of PIPELINED requests written at once (per request).
Prints {"name": {"single", "first", "pipelined" (median ms), "rows"}, ...}.
"""
import json
import statistics
import subprocess
import sys
import time


def main():
    split = sys.argv.index("--")
    requests, warm_up, first, repeats, pipelined = sys.argv[1:split]
    requests, warm_up, first, repeats, pipelined = json.loads(requests), int(warm_up), int(first), int(repeats), int(pipelined)
    rpc = subprocess.Popen(sys.argv[split + 1:], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    lines = {name: (json.dumps({"jsonrpc": "2.0", "id": i, **request}) + "\n").encode() for i, (name, request) in enumerate(requests.items())}
    write, flush, read = rpc.stdin.write, rpc.stdin.flush, rpc.stdout.readline
    clock = time.perf_counter
    firsts = {name: [] for name in lines}
    singles = {name: [] for name in lines}
    last = {}
    for round_ in range(warm_up + repeats):
        for name, line in lines.items():
            started = clock()
            write(line)
            flush()
            answer = read()
            took = (clock() - started) * 1000
            if round_ < first:
                firsts[name].append(took)
            if round_ >= warm_up:
                singles[name].append(took)
                last[name] = answer
    result = {}
    for name, line in lines.items():
        batch = line * pipelined
        per_request = []
        for _ in range(max(1, repeats // 10)):
            started = clock()
            write(batch)
            flush()
            for _ in range(pipelined):
                read()
            per_request.append((clock() - started) * 1000 / pipelined)
        answer = json.loads(last[name])
        if "result" not in answer:
            sys.exit(f"rpc answered {name} with an error: {answer.get('error')}")
        result[name] = {
            "single": statistics.median(singles[name]),
            "first": statistics.median(firsts[name]),
            "pipelined": statistics.median(per_request),
            "rows": len(answer["result"]),
        }
    rpc.stdin.close()
    code = rpc.wait()
    if code != 0:
        sys.exit(f"rpc exited {code}")
    print(json.dumps(result))


main()
