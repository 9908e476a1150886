// The benchmark's python anchors (issue 14, "How it is measured"): a small
// python3 script using only its standard library, run as a child of the
// benchmark so it meets the same machine load, each printing one JSON object
// of its timings (in ms) on its last line of stdout. A figure is then the
// app's time over python's, measured in the same run.
import { spawn } from 'node:child_process';
import path from 'node:path';

export const PYTHON_DIR = path.join(import.meta.dirname, 'python');

/** python3 on PATH, or RUN_INSPECTOR_PYTHON. */
const PYTHON = process.env.RUN_INSPECTOR_PYTHON ?? 'python3';

/**
 * Runs bench/python/<script> with `args` (on CPU `cpu` by taskset when given); resolves with the
 * JSON object it printed last, or rejects with its stderr.
 */
export function runPythonAnchor<T = Record<string, number>>(script: string, args: string[], { cpu }: { cpu?: number } = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const command = [PYTHON, path.join(PYTHON_DIR, script), ...args];
    const [program, ...rest] = cpu === undefined ? command : ['taskset', '-c', String(cpu), ...command];
    const child = spawn(program, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', (error) => reject(new Error(`${PYTHON} ${script}: ${error.message} (set RUN_INSPECTOR_PYTHON to a python3)`)));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${PYTHON} ${script} exited ${code}: ${err.trim()}`));
      const last = out.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${PYTHON} ${script} printed no JSON: ${out.slice(-200)}`));
      }
    });
  });
}
