// The lines of a byte stream as they arrive, for the stdio rpc loop: read
// ahead from 'data' events (no async iterator, no promise per line), taken
// one at a time, synchronously while any are waiting, and, where the input is
// a pipe, read from its descriptor for a moment before waiting for more.
import { readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

/** Lines read and not yet taken before the input is paused (bounds memory when requests come faster than answers). */
const READ_AHEAD_LINES = 1024;

/** Lines end at "\n" only, each without a trailing "\r"; a last line without "\n" is a line too. */
const withoutCr = (text: string) => (text.endsWith('\r') ? text.slice(0, -1) : text);

/** Reading the input's descriptor directly for a while once every line is taken (LineReader's `polled`). */
export interface PollOptions {
  /** The input stream's own descriptor, non-blocking (a pipe or socket Node opened), read nowhere else. */
  fd: number;
  /** How long to keep reading it before waiting for the stream. */
  ms: number;
}

/** The most one read from the descriptor takes: a request line is seldom longer. */
const POLL_READ_BYTES = 64 * 1024;

export class LineReader {
  private readonly input: Readable;
  private poll: PollOptions | null;
  private readonly pollBuffer: Buffer | null;
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private lines: string[] = [];
  private head = 0;
  private ended = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(input: Readable, poll: PollOptions | null = null) {
    this.input = input;
    this.poll = poll;
    this.pollBuffer = poll && Buffer.allocUnsafe(POLL_READ_BYTES);
    input.on('data', this.onData);
    input.once('end', this.onEnd);
    // A stream destroyed without ending has no more lines either.
    input.once('close', this.onEnd);
    input.once('error', this.onError);
  }

  private readonly onData = (chunk: Buffer | string) => {
    this.partial += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let start = 0;
    for (let end = this.partial.indexOf('\n', start); end !== -1; end = this.partial.indexOf('\n', start)) {
      this.lines.push(withoutCr(this.partial.slice(start, end)));
      start = end + 1;
    }
    this.partial = this.partial.slice(start);
    if (this.lines.length - this.head >= READ_AHEAD_LINES) this.input.pause();
    this.wakeTaker();
  };

  private readonly onEnd = () => {
    if (this.ended) return;
    this.ended = true;
    const last = this.partial + this.decoder.end();
    this.partial = '';
    if (last.length > 0) this.lines.push(withoutCr(last));
    this.wakeTaker();
  };

  private readonly onError = (error: Error) => {
    this.failure = error;
    this.onEnd();
  };

  private wakeTaker(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** The next line; null once the input has ended and every line was taken. Throws the input's error. */
  take(): string | null | Promise<string | null> {
    if (this.head < this.lines.length) {
      const line = this.lines[this.head++];
      if (this.head === this.lines.length) {
        this.lines = [];
        this.head = 0;
        if (this.input.isPaused() && !this.ended) this.input.resume();
      }
      return line;
    }
    if (this.failure) throw this.failure;
    if (this.ended) return null;
    if (this.polled()) return this.take();
    return new Promise<void>((resolve) => (this.wake = resolve)).then(() => this.take());
  }

  /**
   * Reads the descriptor for up to `poll.ms` while the stream holds nothing unread; true once a
   * line came. A script talking one request at a time sends its next within a fraction of a
   * millisecond, and finding it here saves the wake-up of a process asleep on another CPU (tens of
   * µs each way on a VM, and the woken CPU runs the request colder).
   */
  private polled(): boolean {
    const poll = this.poll;
    if (!poll || this.input.readableFlowing !== true || this.input.readableLength > 0) return false;
    const deadline = performance.now() + poll.ms;
    do {
      let read: number;
      try {
        read = readSync(poll.fd, this.pollBuffer!, 0, this.pollBuffer!.length, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        // Whatever else went wrong, the stream reads the descriptor too and will say so.
        this.poll = null;
        return false;
      }
      // The end of input: the stream sees it as well, and ends the lines.
      if (read === 0) return false;
      // The decoder makes a string of it at once (keeping a character cut at the end), so the buffer is free again.
      this.onData(this.pollBuffer!.subarray(0, read));
      if (this.head < this.lines.length) return true;
    } while (performance.now() < deadline);
    return false;
  }

  /** Stops reading: what is still unread stays unread. */
  close(): void {
    this.input.off('data', this.onData);
    this.input.destroy();
  }
}
