// Shared pieces of the reliability tests: temp dirs, the CLI as a child
// process, and whole-store snapshots for "nothing changed" checks.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { InspectorStore, RunEvent } from '../../src-shared/types.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(REPO_ROOT, 'src-main/cli/cli.ts');
export const CORPUS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'corpus');

/** A fresh temp dir and its remover; tests call the remover in afterEach/finally. */
export function makeTempDir(prefix = 'ri-reliability-'): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node src-main/cli/cli.ts ARGS` with this process's Node (the system
 * Node cannot load better-sqlite3), feeding `input` to stdin.
 */
export function runCli(args: string[], options: { input?: string; timeoutMs?: number; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
    child.stdin.on('error', () => {}); // the child may exit before reading everything, which is what some tests check
    child.stdin.end(options.input ?? '');
  });
}

/** Starts a helper script of this folder (live-writer.ts, lock-holder.ts) as its own process. */
export function startScript(script: string, args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [path.join(path.dirname(fileURLToPath(import.meta.url)), script), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Resolves when the child prints `line` on stdout; rejects if it exits first. */
export function waitForLine(child: ChildProcessWithoutNullStreams, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    let stderr = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (seen.split('\n').includes(line)) {
        child.stdout.off('data', onData);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`${line}: never printed; exited ${code}: ${stderr}`)));
  });
}

/** Everything the child prints on stdout until it exits, with its exit code. */
export function collectOutput(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A database made from one of the corpus's SQL scripts, in rollback-journal mode as DeerFlow leaves it. */
export function buildDatabase(sqlName: string, file: string): string {
  const db = new Database(file);
  db.exec(fs.readFileSync(path.join(CORPUS, 'sqlite', sqlName), 'utf8'));
  db.close();
  return file;
}

/** `PRAGMA integrity_check` of a database file, opened read-only. */
export function integrityCheck(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

/** Every event of the store, keyed `thread/run`, in seq order. */
export async function snapshotStore(store: InspectorStore): Promise<Record<string, RunEvent[]>> {
  const out: Record<string, RunEvent[]> = {};
  for (const thread of await store.listThreads()) {
    for (const run of await store.listRuns(thread.thread_id)) {
      out[`${thread.thread_id}/${run.run_id}`] = await store.listEvents(thread.thread_id, run.run_id, { limit: 100_000 });
    }
  }
  return out;
}

/** All events of a snapshot, flattened in key then seq order. */
export function flatten(snapshot: Record<string, RunEvent[]>): RunEvent[] {
  return Object.keys(snapshot)
    .sort()
    .flatMap((key) => snapshot[key]);
}

/** Files under `dir` with their contents, for "the directory was not touched" checks. */
export function fileTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = fs.readFileSync(full).toString('base64');
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}
