// `run-inspector serve SOURCE [--port N] [--write] [--init]`: browser mode
// until SIGINT or SIGTERM. The URL (with its token) is alone on its stdout
// line, uncoloured, for scripts and tests to pick up; stdin is never read.
import { rendererDir } from '../handlers/app-info.ts';
import { createHandlers } from '../handlers/handlers.ts';
import { Session } from '../handlers/session.ts';
import { listenErrorMessage, startHttpServer } from '../transports/http-server.ts';
import { commandOpener, type ServerFlags } from './server-flags.ts';

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export async function serveCommand(source: string | null, port: number, flags: ServerFlags): Promise<number> {
  const session = await Session.create(source, { transport: 'browser', openSource: commandOpener(source, flags, { forPage: true }) });
  let server;
  try {
    server = await startHttpServer({ handlers: createHandlers(session), push: session.push, port, rendererDir: rendererDir() });
  } catch (error) {
    await session.close();
    throw new Error(listenErrorMessage(error, port));
  }
  const stopped = untilSignal();
  const { kind, path, readOnly } = session.info;
  process.stdout.write(`${server.url}\n`);
  process.stderr.write(`Run Inspector is serving ${path ?? 'a memory store'} (${kind}${readOnly ? ', read-only' : ''}) at the URL above; stop it with Ctrl+C.\n`);
  await stopped;
  await server.close();
  await session.close({ cancelJobs: true });
  return 0;
}
