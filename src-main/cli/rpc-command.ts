// `run-inspector rpc SOURCE|--memory [--write] [--init]`: answers stdin until it ends, lets
// jobs it started finish, closes the source, exits 0.
import fs from 'node:fs';
import { createHandlers } from '../handlers/handlers.ts';
import { Session } from '../handlers/session.ts';
import type { PollOptions } from '../transports/line-reader.ts';
import { serveRpcStdio } from '../transports/rpc-stdio.ts';
import { commandOpener, type ServerFlags } from './server-flags.ts';

/**
 * How long the loop reads stdin itself after an answer before it sleeps: a script asking one
 * thing after another has its next request written well within it (a python loop over a run's
 * events answers in a tenth of that), and a request found awake is answered without the wake-up
 * of a process asleep on another CPU, about 50 µs of a 0.25 ms round trip on these VMs. A script
 * that waits longer costs the loop this much CPU per answer, then nothing.
 */
const STDIN_POLL_MS = 1;

/** Polling stdin where it is a pipe or a socket, which Node opens non-blocking; not a file, a terminal or Windows' pipes. */
function stdinPoll(): PollOptions | null {
  if (process.platform === 'win32') return null;
  const stat = fs.fstatSync(0);
  return stat.isFIFO() || stat.isSocket() ? { fd: 0, ms: STDIN_POLL_MS } : null;
}

export async function rpcCommand(source: string | null, flags: ServerFlags): Promise<number> {
  const session = await Session.create(source, { transport: 'rpc', openSource: commandOpener(source, flags) });
  try {
    // process.stdin opens the descriptor (non-blocking) before the loop first polls it.
    const input = process.stdin;
    // A script's paths follow DESIGN.md's SOURCE rules (relative to its folder), not a page's.
    await serveRpcStdio({ handlers: createHandlers(session, { caller: 'script' }), input, output: process.stdout, poll: stdinPoll() });
  } finally {
    await session.close();
  }
  return 0;
}
