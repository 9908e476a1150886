// A stand-in for a live DeerFlow agent writing a JSONL run file, run as its
// own process by the concurrency tests: appends COUNT records, each line in
// three writes cut at byte offsets, so a reader often finds a line (or a
// character) half-written. With PAUSE_AT it stops after that many records,
// prints `paused`, and goes on at the first line on stdin: a test can then
// read while the run is certainly half-way, whatever the machine's load.
//   node jsonl-appender.ts ROOT THREAD RUN COUNT [PAUSE_AT]
import { appendFileSync, mkdirSync, readSync } from 'node:fs';
import path from 'node:path';

const [root, threadId, runId, countArg, pauseArg] = process.argv.slice(2);
const count = Number(countArg);
const pauseAt = pauseArg === undefined ? null : Number(pauseArg);
const file = path.join(root, 'threads', threadId, 'runs', `${runId}.jsonl`);
mkdirSync(path.dirname(file), { recursive: true });
for (let seq = 1; seq <= count; seq++) {
  const line = Buffer.from(`${JSON.stringify({ thread_id: threadId, run_id: runId, event_type: 'llm.ai.response', category: 'message', content: `live ${seq} 你好`, metadata: {}, seq, created_at: new Date().toISOString().replace('Z', '000+00:00') })}\n`);
  // Cut by bytes, so a cut may fall inside a multi-byte character.
  const cut1 = Math.floor(line.length / 3);
  const cut2 = Math.floor((2 * line.length) / 3);
  appendFileSync(file, line.subarray(0, cut1));
  appendFileSync(file, line.subarray(cut1, cut2));
  appendFileSync(file, line.subarray(cut2));
  if (seq === pauseAt) {
    process.stdout.write('paused\n');
    readSync(0, Buffer.alloc(1)); // blocks until the test says go
  }
}
process.stdout.write(`${JSON.stringify({ written: count })}\n`);
