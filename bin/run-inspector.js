#!/usr/bin/env node
// `run-inspector` (package.json "bin"): runs the CLI from its TypeScript
// sources with the project's own Node 22 (node_modules/node, the `node`
// devDependency) — the Node better-sqlite3 is built for, and one that strips
// types — whatever `node` is first on PATH. Plain JS so any Node can start it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'src-main', 'cli', 'cli.ts');
const projectNode = ['node', 'node.exe']
  .map((name) => join(root, 'node_modules', 'node', 'bin', name))
  .find((file) => existsSync(file));

const [major, minor] = process.versions.node.split('.').map(Number);
const canStripTypes = major > 22 || (major === 22 && minor >= 18);
const node = projectNode ?? (canStripTypes ? process.execPath : null);
if (node === null) {
  process.stderr.write(`run-inspector: error: needs Node 22.18 or newer; run \`npm install\` in ${root} to get the project's Node\n`);
  process.exit(1);
}

const child = spawn(node, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
// Ctrl+C reaches the child through the terminal's process group; this shim only waits for it.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('error', (error) => {
  process.stderr.write(`run-inspector: error: cannot start ${node}: ${error.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
