// An export's files in DeerFlow's layout. A run's lines are gathered in
// memory and its file written with one write, on libuv's threads while the
// caller reads and formats the next rows; each thread's folder is made once.
// Lines go into slabs (a run's bytes lie where they were formatted, handed
// to the write as a view, never copied); a run bigger than a slab goes out
// in slab-sized appends, so no run, however long, sits in memory whole.
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { runFile, runsDir } from '../store/jsonl/layout.ts';

const SLAB_BYTES = 8 << 20;
/** Bytes handed to writes not done yet beyond which the caller waits: memory, not speed (the page cache takes them as fast as they come). */
const MAX_PENDING_BYTES = 64 << 20;

interface OpenRun {
  threadId: string;
  path: string;
  /** The run's last write so far: its next one follows it; null before its first. */
  written: Promise<void> | null;
}

export class RunFileWriter {
  private readonly out: string;
  private slab = Buffer.allocUnsafe(SLAB_BYTES);
  /** End of the bytes in the slab; a line is written at `at` into room(), then `at` moved past it. */
  at = 0;
  /** Where the open run's bytes not yet handed to a write begin. */
  private runStart = 0;
  private run: OpenRun | null = null;
  private readonly folders = new Map<string, Promise<unknown>>();
  private readonly inFlight = new Set<Promise<void>>();
  private pendingBytes = 0;
  private failure: { error: unknown } | null = null;
  private onWriteDone: (() => void) | null = null;

  /** `out`: the layout's root, which exists. */
  constructor(out: string) {
    this.out = out;
  }

  /** The lines that follow are the file of this run (ids already checked safe) until endRun. */
  beginRun(threadId: string, runId: string): void {
    this.run = { threadId, path: runFile(this.out, threadId, runId), written: null };
    this.runStart = this.at;
  }

  /** The slab, with room for `bytes` more at `at`. */
  room(bytes: number): Buffer {
    if (this.slab.length - this.at >= bytes) return this.slab;
    if (this.at > this.runStart) this.handOver();
    this.slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, bytes));
    this.at = this.runStart = 0;
    return this.slab;
  }

  /** A line (or lines) as text, for records the general path formats. */
  text(text: string): void {
    const slab = this.room(Buffer.byteLength(text));
    this.at += slab.write(text, this.at);
  }

  /** The open run's file is complete once its writes are done (an empty file for a run with no lines). */
  endRun(): void {
    if (this.at > this.runStart || this.run?.written === null) this.handOver();
    this.run = null;
  }

  /**
   * Lets the writes' completions run (the caller formats synchronously in
   * between), then waits while too many bytes are in flight; rejects with
   * a write's failure.
   */
  async ready(): Promise<void> {
    await nextTurn();
    while (this.pendingBytes > MAX_PENDING_BYTES && !this.failure) await new Promise<void>((resolve) => (this.onWriteDone = resolve));
    if (this.failure) throw this.failure.error;
  }

  /** Every write done; rejects with the first failure. */
  async finish(): Promise<void> {
    await this.settled();
    if (this.failure) throw this.failure.error;
  }

  /** Every write done or failed: nothing is written after the caller returns. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** The open run's bytes since runStart, as its first write or an append after its last. */
  private handOver(): void {
    const run = this.run!;
    const bytes = this.slab.subarray(this.runStart, this.at);
    const first = run.written === null;
    const previous = run.written ?? this.folderOf(run.threadId);
    const write = previous.then(() => (first ? writeFile(run.path, bytes) : appendFile(run.path, bytes)));
    run.written = write;
    this.runStart = this.at;
    this.track(write, bytes.length);
  }

  private folderOf(threadId: string): Promise<unknown> {
    let folder = this.folders.get(threadId);
    if (!folder) this.folders.set(threadId, (folder = mkdir(runsDir(this.out, threadId), { recursive: true })));
    return folder;
  }

  private track(write: Promise<void>, bytes: number): void {
    this.pendingBytes += bytes;
    this.inFlight.add(write);
    write
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => {
        this.pendingBytes -= bytes;
        this.inFlight.delete(write);
        this.onWriteDone?.();
        this.onWriteDone = null;
      });
  }
}
