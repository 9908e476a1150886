// The CLI as users and scripts run it: `node src-main/cli/cli.ts ARGS` as a
// child process of this Node (the system Node cannot load better-sqlite3).
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const CLI = path.join(import.meta.dirname, '..', '..', 'src-main', 'cli', 'cli.ts');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with `input` on its stdin; resolves once it has exited. */
export function cli(args: string[], input = '', options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: 'pipe', ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** `cli.ts rpc ARGS` as a child process, talked to line by line: responses come back parsed, in order. */
export function spawnRpc(args: string[] = ['--memory'], options: { env?: NodeJS.ProcessEnv } = {}) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [CLI, 'rpc', ...args], { stdio: 'pipe', ...options });
  const queued: unknown[] = [];
  const waiting: ((value: unknown) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message: unknown = JSON.parse(line);
    const next = waiting.shift();
    if (next) next(message);
    else queued.push(message);
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    send: (line: string) => child.stdin.write(`${line}\n`),
    /** Bytes as they are: part of a line, or several. */
    write: (text: string) => child.stdin.write(text),
    next: () => (queued.length > 0 ? Promise.resolve(queued.shift()) : new Promise((resolve) => waiting.push(resolve))),
    end: () => child.stdin.end(),
    exited,
    stderr: () => stderr,
  };
}
