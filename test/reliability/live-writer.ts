// A stand-in for a live DeerFlow agent, run as its own process by the
// concurrency tests: appends events to one run in short transactions with
// DeerFlow's encoding and seq rule (max + 1), exactly as its SQLite store
// does, with a busy timeout. Prints one JSON summary line and exits 0 even
// when writes fail, so the test can say what failed.
//   node live-writer.ts DB THREAD RUN COUNT
import Database from 'better-sqlite3';

const [file, threadId, runId, countArg] = process.argv.slice(2);
const count = Number(countArg);
const BUSY_TIMEOUT_MS = 5000;

const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
const maxSeq = db.prepare<[string], number | null>('SELECT max(seq) FROM run_events WHERE thread_id = ?').pluck();
const insert = db.prepare(
  `INSERT INTO run_events (thread_id, run_id, event_type, category, content, event_metadata, seq, created_at)
   VALUES (?, ?, 'llm.ai.response', 'message', ?, '{"content_is_json": true, "content_is_dict": true}', ?, ?)`,
);
const append = db.transaction((first: number, size: number) => {
  let seq = (maxSeq.get(threadId) ?? 0) + 1;
  for (let i = first; i < first + size; i++) {
    const createdAt = new Date().toISOString().replace('T', ' ').replace('Z', '000');
    insert.run(threadId, runId, JSON.stringify({ type: 'ai', content: `live ${i}` }), seq++, createdAt);
  }
});

const errors: string[] = [];
let written = 0;
let slowestMs = 0;
while (written < count) {
  // Batches of 1–3, as DeerFlow's journal flushes them.
  const size = Math.min(count - written, 1 + (written % 3));
  const started = performance.now();
  try {
    append.immediate(written, size);
    written += size;
  } catch (error) {
    errors.push(`${(error as { code?: string }).code ?? ''} ${(error as Error).message}`);
    if (errors.length > 5) break;
  }
  slowestMs = Math.max(slowestMs, performance.now() - started);
}
db.close();
process.stdout.write(`${JSON.stringify({ written, errors, slowestMs: Math.round(slowestMs) })}\n`);
