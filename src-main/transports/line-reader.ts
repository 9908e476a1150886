// The lines of a byte stream as they arrive, for the stdio rpc loop: read
// ahead from 'data' events (no async iterator, no promise per line), taken
// one at a time, synchronously while any are waiting.
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

/** Lines read and not yet taken before the input is paused (bounds memory when requests come faster than answers). */
const READ_AHEAD_LINES = 1024;

/** Lines end at "\n" only, each without a trailing "\r"; a last line without "\n" is a line too. */
const withoutCr = (text: string) => (text.endsWith('\r') ? text.slice(0, -1) : text);

export class LineReader {
  private readonly input: Readable;
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private lines: string[] = [];
  private head = 0;
  private ended = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(input: Readable) {
    this.input = input;
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
    return new Promise<void>((resolve) => (this.wake = resolve)).then(() => this.take());
  }

  /** Stops reading: what is still unread stays unread. */
  close(): void {
    this.input.off('data', this.onData);
    this.input.destroy();
  }
}
