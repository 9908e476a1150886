// `run-inspector rpc SOURCE|--memory [--write] [--init]`: answers stdin until it ends, lets
// jobs it started finish, closes the source, exits 0.
import { createHandlers } from '../handlers/handlers.ts';
import { Session } from '../handlers/session.ts';
import { serveRpcStdio } from '../transports/rpc-stdio.ts';
import { commandOpener, type ServerFlags } from './server-flags.ts';

export async function rpcCommand(source: string | null, flags: ServerFlags): Promise<number> {
  const session = await Session.create(source, { transport: 'rpc', openSource: commandOpener(source, flags) });
  try {
    // A script's paths follow DESIGN.md's SOURCE rules (relative to its folder), not a page's.
    await serveRpcStdio({ handlers: createHandlers(session, { caller: 'script' }), input: process.stdin, output: process.stdout });
  } finally {
    await session.close();
  }
  return 0;
}
