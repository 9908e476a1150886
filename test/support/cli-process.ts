// The CLI as users and scripts run it: `node src-main/cli/cli.ts ARGS` as a
// child process of this Node (the system Node cannot load better-sqlite3).
import { spawn } from 'node:child_process';
import path from 'node:path';

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
