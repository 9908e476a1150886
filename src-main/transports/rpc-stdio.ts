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
import { StringDecoder } from 'node:string_decoder';
import type { Readable, Writable } from 'node:stream';
import type { Handlers } from '../../src-shared/contract.ts';
import { asStoreError } from '../as-store-error.ts';
import { dispatch } from '../handlers/handlers.ts';
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
const oneLine = (value: unknown) => JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** The lines of `input`, split on "\n" only, each without a trailing "\r"; a last line without "\n" included. */
async function* linesOf(input: Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const line = (text: string) => (text.endsWith('\r') ? text.slice(0, -1) : text);
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
      yield line(pending.slice(start, end));
      start = end + 1;
    }
    pending = pending.slice(start);
  }
  pending += decoder.end();
  if (pending.length > 0) yield line(pending);
}

/**
 * Answers every request line of `input` on `output`; resolves when input has
 * ended and every answer is written, or as soon as `output` fails (a closed
 * pipe: EPIPE), leaving the rest of the input unread and unrun.
 */
export async function serveRpcStdio({ handlers, input, output }: { handlers: Handlers; input: Readable; output: Writable }): Promise<void> {
  let failed = false;
  // Without a listener a closed pipe's 'error' would end the process with a
  // stack trace; it stays on, as the error is emitted after the write's callback.
  output.on('error', () => (failed = true));
  const write = (text: string) =>
    new Promise<void>((resolve) =>
      output.write(text, (error) => {
        if (error) failed = true;
        resolve();
      }),
    );
  for await (const line of linesOf(input)) {
    const response = await answerLine(handlers, line);
    if (response) await write(`${oneLine(response)}\n`);
    if (failed) break;
  }
}
