// `run-inspector rpc`: JSON-RPC 2.0, one request per line in, one response
// per line out, answered one at a time in the order read, so a script can
// pipe requests without waiting. A bad line gets an error object; nothing a
// client sends ends the loop, only the end of input does.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Handlers } from '../../src-shared/contract.ts';
import { asStoreError } from '../handlers/as-store-error.ts';
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

/** One request object → its response, or null for a notification (no `id`), which JSON-RPC never answers. */
async function answerRequest(handlers: Handlers, request: unknown): Promise<RpcResponse | null> {
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
    return hasId ? { jsonrpc: '2.0', id: replyId, result: result ?? null } : null;
  } catch (error) {
    const { code, message } = asStoreError(error);
    return hasId ? failure(replyId, rpcCodeOf(code), message, { code }) : null;
  }
}

/** One input line → what to write back (a response, a batch's responses, or nothing). */
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
  for (const request of message) {
    const response = await answerRequest(handlers, request);
    if (response) responses.push(response);
  }
  return responses.length > 0 ? responses : null;
}

/** JSON text on one line for any client: U+2028/U+2029 are line ends to some readers (Python's splitlines). */
const oneLine = (value: unknown) => JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** Answers every request line of `input` on `output`; resolves when input has ended and every answer is written. */
export function serveRpcStdio({ handlers, input, output }: { handlers: Handlers; input: Readable; output: Writable }): Promise<void> {
  const write = (text: string) =>
    new Promise<void>((resolve, reject) => output.write(text, (error) => (error ? reject(error) : resolve())));
  let queue = Promise.resolve();
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input, crlfDelay: Infinity });
    lines.on('line', (line) => {
      queue = queue.then(async () => {
        const response = await answerLine(handlers, line);
        if (response) await write(`${oneLine(response)}\n`);
      });
    });
    lines.on('close', () => queue.then(resolve, reject));
  });
}
