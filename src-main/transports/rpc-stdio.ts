// `run-inspector rpc`: JSON-RPC 2.0, one request per line in, one response
// per line out. Every request read is answered, one at a time, in the order
// read (DESIGN.md §5), so a script can pipe requests without waiting and
// pair answers with requests by position: a request without an `id` (which
// JSON-RPC would call a notification) is answered too, with `"id": null`,
// and a batch gets an array with one answer per request. Blank lines are not
// requests and get nothing. Lines end at "\n" only (a trailing "\r" is
// dropped): a bare "\r" is whitespace inside a JSON request, not a line end.
// A bad line gets an error object; nothing a client sends ends the loop, only
// the end of input does, or an output nobody reads any more (`| head -1`).
import type { Readable, Writable } from 'node:stream';
import type { Handlers } from '../../src-shared/contract.ts';
import { asStoreError } from '../as-store-error.ts';
import { dispatch } from '../handlers/handlers.ts';
import { LineReader, type PollOptions } from './line-reader.ts';
import { rpcCodeOf, rpcCodes } from './wire.ts';

type Id = string | number | null;

interface RpcError {
  code: number;
  message: string;
  data?: { code: string };
}

type RpcResponse = { jsonrpc: '2.0'; id: Id; result: unknown } | { jsonrpc: '2.0'; id: Id; error: RpcError };

const failure = (id: Id, code: number, message: string, data?: RpcError['data']): RpcResponse => ({
  jsonrpc: '2.0',
  id,
  error: data ? { code, message, data } : { code, message },
});

const isId = (value: unknown): value is Id => value === null || typeof value === 'string' || typeof value === 'number';

/** One request object → its response (`id` null when the request has none). */
async function answerRequest(handlers: Handlers, request: unknown): Promise<RpcResponse> {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return failure(null, rpcCodes.invalidRequest, 'Invalid Request: expected a JSON object');
  }
  const { jsonrpc, id, method, params } = request as Record<string, unknown>;
  const hasId = Object.hasOwn(request, 'id');
  if (hasId && !isId(id)) return failure(null, rpcCodes.invalidRequest, 'Invalid Request: id must be a string, a number or null');
  const replyId = hasId ? (id as Id) : null;
  // Lenient about a missing "jsonrpc" (hand-written requests), strict about a wrong one.
  if (jsonrpc !== undefined && jsonrpc !== '2.0') return failure(replyId, rpcCodes.invalidRequest, 'Invalid Request: jsonrpc must be "2.0"');
  if (typeof method !== 'string') return failure(replyId, rpcCodes.invalidRequest, 'Invalid Request: method must be a string');
  try {
    const result = await dispatch(handlers, method, params);
    return { jsonrpc: '2.0', id: replyId, result: result ?? null };
  } catch (error) {
    const { code, message } = asStoreError(error);
    return failure(replyId, rpcCodeOf(code), message, { code });
  }
}

/** One input line → what to write back (a response, a batch's responses, or nothing for a blank line). */
export async function answerLine(handlers: Handlers, line: string): Promise<RpcResponse | RpcResponse[] | null> {
  if (!/\S/.test(line)) return null;
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch (error) {
    return failure(null, rpcCodes.parseError, `Parse error: ${(error as Error).message}`);
  }
  if (!Array.isArray(message)) return answerRequest(handlers, message);
  if (message.length === 0) return failure(null, rpcCodes.invalidRequest, 'Invalid Request: empty batch');
  const responses: RpcResponse[] = [];
  for (const request of message) responses.push(await answerRequest(handlers, request));
  return responses;
}

/** JSON text on one line for any client: U+2028/U+2029 are line ends to some readers (Python's splitlines). */
function oneLine(value: unknown): string {
  const text = JSON.stringify(value);
  // Looking is cheaper than replacing, and hardly an answer has either.
  if (!text.includes('\u2028') && !text.includes('\u2029')) return text;
  return text.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** UTF-8 takes at most 3 bytes per UTF-16 unit. */
const MAX_UTF8_PER_UNIT = 3;
/** Up to this many bytes an answer's buffer is sized by that bound, unmeasured; a bigger one is measured first. */
const UNMEASURED_BYTES = 4 * 1024 * 1024;

/**
 * `text` and a line end as UTF-8. Buffer.write encodes with simdutf, four times as fast as a
 * stream's own conversion of a string (or Buffer.from), which measures it first.
 */
function encodedLine(text: string): Buffer {
  const most = text.length * MAX_UTF8_PER_UNIT + 1;
  const buffer = Buffer.allocUnsafe(most <= UNMEASURED_BYTES ? most : Buffer.byteLength(text) + 1);
  const length = buffer.write(text);
  buffer[length] = 0x0a;
  return buffer.subarray(0, length + 1);
}

/**
 * The answers, written in order without waiting for each to be flushed (the
 * client may have sent more requests already); `failed` once the output is
 * gone (a closed pipe: EPIPE).
 */
class AnswerWriter {
  failed = false;
  private readonly output: Writable;
  private unflushed = 0;
  private onFlushed: (() => void) | null = null;
  private onDrained: (() => void) | null = null;

  constructor(output: Writable) {
    this.output = output;
    // Without a listener a closed pipe's 'error' would end the process with a
    // stack trace; it stays on, as the error may come after the last write.
    output.on('error', this.fail);
    output.on('drain', this.drained);
  }

  private readonly fail = () => {
    this.failed = true;
    this.drained();
    this.flushed();
  };

  private readonly drained = () => {
    const wake = this.onDrained;
    this.onDrained = null;
    wake?.();
  };

  private flushed(): void {
    const wake = this.onFlushed;
    this.onFlushed = null;
    wake?.();
  }

  private readonly written = (error?: Error | null) => {
    this.unflushed--;
    if (error) this.fail();
    else if (this.unflushed === 0) this.flushed();
  };

  /** Writes `text` as a line; undefined, or while the output is full, a promise of it drained (or failed). */
  writeLine(text: string): Promise<void> | undefined {
    this.unflushed++;
    const room = this.output.write(encodedLine(text), this.written);
    // A write a closed pipe fails says there is no room, and the 'error' event that follows ends the wait.
    if (room || this.failed) return undefined;
    return new Promise((resolve) => (this.onDrained = resolve));
  }

  /** Resolves once every answer is handed to the output, or the output has failed. */
  allFlushed(): Promise<void> {
    if (this.unflushed === 0 || this.failed) return Promise.resolve();
    return new Promise((resolve) => (this.onFlushed = resolve));
  }

  close(): void {
    this.output.off('drain', this.drained);
  }
}

interface RpcStdio {
  handlers: Handlers;
  input: Readable;
  output: Writable;
  /** Where the input's descriptor may be read directly while the loop waits for a line (LineReader). */
  poll?: PollOptions | null;
}

/**
 * Answers every request line of `input` on `output`; resolves when input has
 * ended and every answer is written, or as soon as `output` fails (a closed
 * pipe: EPIPE), leaving the rest of the input unread and unrun.
 */
export async function serveRpcStdio({ handlers, input, output, poll = null }: RpcStdio): Promise<void> {
  const answers = new AnswerWriter(output);
  const lines = new LineReader(input, poll);
  try {
    for (let line = await lines.take(); line !== null; line = await lines.take()) {
      const response = await answerLine(handlers, line);
      if (response) await answers.writeLine(oneLine(response));
      if (answers.failed) break;
    }
  } finally {
    lines.close();
  }
  await answers.allFlushed();
  answers.close();
}
