// `run-inspector serve SOURCE --port 0 [FLAGS]` as a child process, for the
// e2e fixture and the UI benchmark: resolves once the URL line is printed.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { projectRoot } from '../src-main/handlers/app-info.ts';

const CLI = path.join(projectRoot(), 'src-main', 'cli', 'cli.ts');
const START_MS = 20_000;

export interface ServeProcess {
  /** The URL `serve` printed, token included. */
  url: string;
  origin: string;
  token: string;
  stop(): Promise<void>;
}

/** Resolves with the first stdout line that is a URL; rejects with stderr if `serve` exits first. */
function urlLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no URL within ${START_MS} ms: ${err}`)), START_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => /^https?:\/\/\S+$/.test(l.trim()));
      if (line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before printing its URL: ${err}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** `flags` are serve's own (`--write`, `--init`); `env` is added to this process's environment. */
export async function startServe(source: string, cwd: string, flags: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', source, '--port', '0', ...flags], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  try {
    const url = await urlLine(child);
    const { origin, searchParams } = new URL(url);
    return { url, origin, token: searchParams.get('token') ?? '', stop: () => stop(child) };
  } catch (error) {
    await stop(child);
    throw error;
  }
}
