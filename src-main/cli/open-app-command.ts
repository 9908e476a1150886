// `run-inspector [SOURCE] [--write]`: the desktop app, through the same
// launcher as `npm start` (scripts/start.ts), which falls back to browser
// mode where Electron cannot start. An installed package ships neither the
// launcher nor Electron (package.json "files"): there it is browser mode at
// once, on the SOURCE or the sample store, as `npm start` does without
// Electron. SOURCE arrives absolute, or a PostgreSQL URL (cli.ts).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../handlers/app-info.ts';
import type { ServerFlags } from './server-flags.ts';

export async function openAppCommand(source: string | null, { write }: Pick<ServerFlags, 'write'>): Promise<number> {
  const launcher = join(projectRoot(), 'scripts', 'start.ts');
  if (!existsSync(launcher)) return browserModeInstead(source, write);
  const child = spawn(process.execPath, [launcher, ...(source === null ? [] : [source]), ...(write ? ['--write'] : [])], { stdio: 'inherit' });
  // Ctrl+C reaches the launcher too (same process group); this process only waits for it.
  const ignore = () => {};
  process.on('SIGINT', ignore);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolvePromise(code ?? (signal ? 128 + 2 : 1)));
  });
}

async function browserModeInstead(source: string | null, write: boolean): Promise<number> {
  process.stderr.write('The installed package has no desktop app (run it from a checkout with `npm start`): starting browser mode instead.\n');
  const [{ sampleStore }, { serveCommand }] = await Promise.all([import('../handlers/sample-store.ts'), import('./serve-command.ts')]);
  return serveCommand(source ?? (await sampleStore()), 0, { write, init: false });
}
