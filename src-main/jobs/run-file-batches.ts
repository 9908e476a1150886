// An export's output in batches. Lines are formatted into a slab, run after
// run; a batch is a slab's bytes with the run files they belong to, and its
// writer gives each file one write. The slabs are slots of one block of
// shared memory, taken in turn: a batch reaches the thread that writes it
// without a copy, and no buffer is made or collected per batch (a gigabyte of
// them kept the collectors of both threads busy). A run longer than a slab
// goes out in appends, so none sits in memory whole.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { runFile, runsDir } from '../store/jsonl/layout.ts';
import { BATCHES_AHEAD } from './thread-batches.ts';

const SLOT_BYTES = 8 << 20;
/**
 * The slot being filled, one sealed and not yet handed over, and those of the
 * batches a writer has not finished: a helper thread has at most BATCHES_AHEAD
 * unanswered, a writer in the same thread finishes each before the next.
 */
const SLOTS = BATCHES_AHEAD + 2;

/** A run file's bytes in a batch, from where the part before it ends to `end`; `first`: the file starts with them (else they are appended). */
export interface RunFilePart {
  threadId: string;
  runId: string;
  end: number;
  first: boolean;
}

export interface RunFileBatch {
  bytes: Uint8Array;
  parts: RunFilePart[];
  /** The lines the batch holds. */
  events: number;
}

export class RunFileBatcher {
  private readonly memory = new SharedArrayBuffer(SLOTS * SLOT_BYTES);
  private nextSlot = 0;
  /** Null once sealed in a batch: the next line takes the next slot. */
  private slab: Buffer | null = null;
  /** End of the bytes in the slab: a line is written at `at` into room(), then `at` moved past it. */
  at = 0;
  /** Where the open run's bytes in this slab begin. */
  private runStart = 0;
  private run: { threadId: string; runId: string; first: boolean } | null = null;
  private parts: RunFilePart[] = [];
  private events = 0;
  private readonly sealed: RunFileBatch[] = [];

  /** The lines that follow are the file of this run (ids already checked safe) until endRun. */
  beginRun(threadId: string, runId: string): void {
    this.run = { threadId, runId, first: true };
    this.runStart = this.at;
  }

  /** The slab, with room for `bytes` more at `at`; a full slab is sealed (takeFull). */
  room(bytes: number): Buffer {
    if (this.slab !== null && this.slab.length - this.at >= bytes) return this.slab;
    this.seal();
    // A line bigger than a slot gets memory of its own.
    this.slab = bytes <= SLOT_BYTES ? Buffer.from(this.memory, (this.nextSlot++ % SLOTS) * SLOT_BYTES, SLOT_BYTES) : Buffer.from(new SharedArrayBuffer(bytes));
    return this.slab;
  }

  /** Lines as text, for records the general path formats. */
  text(text: string): void {
    const slab = this.room(Buffer.byteLength(text));
    this.at += slab.write(text, this.at);
  }

  /** Counts lines written, for the batches' progress. */
  wrote(events: number): void {
    this.events += events;
  }

  /** The open run's file is complete with the lines so far (an empty file for a run of none). */
  endRun(): void {
    this.addPart();
    this.run = null;
  }

  /** A slab filled up: its batch must be handed over (takeFull) before another line is formatted, or the slots run out. */
  get hasFull(): boolean {
    return this.sealed.length > 0;
  }

  takeFull(): RunFileBatch[] {
    return this.sealed.splice(0);
  }

  /** The batches complete so far, the bytes since included. */
  take(): RunFileBatch[] {
    this.seal();
    return this.takeFull();
  }

  private addPart(): void {
    const run = this.run!;
    if (this.at === this.runStart && !run.first) return;
    this.parts.push({ threadId: run.threadId, runId: run.runId, end: this.at, first: run.first });
    run.first = false;
    this.runStart = this.at;
  }

  private seal(): void {
    if (this.run !== null && this.at > this.runStart) this.addPart();
    if (this.parts.length === 0) return;
    this.sealed.push({ bytes: this.slab?.subarray(0, this.at) ?? new Uint8Array(0), parts: this.parts, events: this.events });
    this.slab = null;
    this.parts = [];
    this.events = 0;
    this.at = this.runStart = 0;
  }
}

/** Writes a batch's files under the layout's root `out`; `folders`: the threads whose folder is made, kept from batch to batch. */
export function writeRunFiles(out: string, { bytes, parts }: RunFileBatch, folders: Set<string>): void {
  let start = 0;
  for (const { threadId, runId, end, first } of parts) {
    if (!folders.has(threadId)) {
      mkdirSync(runsDir(out, threadId), { recursive: true });
      folders.add(threadId);
    }
    const part = bytes.subarray(start, end);
    if (first) writeFileSync(runFile(out, threadId, runId), part);
    else appendFileSync(runFile(out, threadId, runId), part);
    start = end;
  }
}
