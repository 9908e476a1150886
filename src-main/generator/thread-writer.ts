// The per-thread state a generated run needs: ids, seqs, a clock that only
// moves forward, and the thread's topic and model. Records are built in
// DeerFlow's key order (the order its JSONL lines have).
import type { JsonObject, JsonValue, RunEvent } from '../../src-shared/types.ts';
import type { Prng } from './prng.ts';
import type { Topic } from './texts.ts';

/** DeerFlow's `datetime.now(UTC).isoformat()` form, with microseconds. */
export function isoFromMicros(micros: number): string {
  const wholeSeconds = new Date(Math.floor(micros / 1000)).toISOString().slice(0, 19);
  return `${wholeSeconds}.${String(micros % 1_000_000).padStart(6, '0')}+00:00`;
}

export class ThreadWriter {
  readonly threadId: string;
  readonly rng: Prng;
  readonly topic: Topic;
  readonly model: string;
  readonly title: string;
  runId = '';
  runCount = 0;
  /** LLM calls of the current run, as DeerFlow's journal numbers them. */
  llmCallIndex = 0;
  private seq = 0;
  private clockMicros: number;

  constructor(init: { threadId: string; rng: Prng; topic: Topic; model: string; title: string; startMicros: number }) {
    this.threadId = init.threadId;
    this.rng = init.rng;
    this.topic = init.topic;
    this.model = init.model;
    this.title = init.title;
    this.clockMicros = init.startMicros;
  }

  beginRun(): void {
    this.runId = this.rng.uuid();
    this.llmCallIndex = 0;
    // Later runs of a thread come minutes to hours after the previous one.
    if (this.runCount++ > 0) this.advance(this.rng.int(60_000, 6 * 3_600_000));
  }

  /** Moves the clock on by about `ms`; a whole second is skipped because Python would print it without a fraction. */
  advance(ms: number): void {
    this.clockMicros += Math.max(1, Math.round(ms * 1000) + this.rng.int(0, 999));
    if (this.clockMicros % 1_000_000 === 0) this.clockMicros += 1;
  }

  event(eventType: string, category: string, content: JsonValue, metadata: JsonObject, afterMs: number): RunEvent {
    this.advance(afterMs);
    return {
      thread_id: this.threadId,
      run_id: this.runId,
      event_type: eventType,
      category,
      content,
      metadata,
      seq: ++this.seq,
      created_at: isoFromMicros(this.clockMicros),
    };
  }

  /** A tool-call id in the style of the thread's model provider. */
  toolCallId(): string {
    if (this.model.startsWith('claude')) return `toolu_01${this.rng.base62(22)}`;
    if (this.model.startsWith('deepseek')) return `call_0_${this.rng.uuid()}`;
    return `call_${this.rng.base62(24)}`;
  }

  aiMessageId(): string {
    return `lc_run--${this.rng.uuid()}-0`;
  }
}
