// A stand-in for a live DeerFlow agent writing a JSONL run file, run as its
// own process by the concurrency tests: appends COUNT records, each line in
// three writes cut at byte offsets, so a reader often finds a line (or a
// character) half-written.
//   node jsonl-appender.ts ROOT THREAD RUN COUNT
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const [root, threadId, runId, countArg] = process.argv.slice(2);
const count = Number(countArg);
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
}
process.stdout.write(`${JSON.stringify({ written: count })}\n`);
