#!/usr/bin/env node
// `run-inspector` (package.json "bin"): runs the CLI on Node 22 — the Node
// better-sqlite3 is built for — whatever `node` is first on PATH: the `node`
// package's binary (a dependency, so an installed package has it too), else
// this Node when it will do. From a checkout it runs the TypeScript sources
// (no build step); an installed package has only the build, out/cli/
// (scripts/build-cli.ts, run by prepack), since Node strips no types under
// node_modules. Plain JS so any Node can start it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = join(root, 'src-main', 'cli', 'cli.ts');
const fromSources = existsSync(sources);
const cli = fromSources ? sources : join(root, 'out', 'cli', 'cli.js');

/** The `node` package's binary, wherever npm put it (nested under this package, or hoisted beside it). */
function packagedNode() {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('node/package.json'));
    return ['node', 'node.exe'].map((name) => join(dir, 'bin', name)).find((file) => existsSync(file)) ?? null;
  } catch {
    return null;
  }
}

const [major, minor] = process.versions.node.split('.').map(Number);
const canRun = fromSources ? major > 22 || (major === 22 && minor >= 18) : major >= 22;
const node = packagedNode() ?? (canRun ? process.execPath : null);
if (node === null) {
  // The `node` package fetches its binary in an install script, which npm may have been told not to run.
  const remedy = fromSources ? `run \`npm install\` in ${root}` : 'reinstall with `--allow-scripts=node`';
  process.stderr.write(`run-inspector: error: needs Node ${fromSources ? '22.18' : '22'} or newer and found no Node 22 of its own: ${remedy}\n`);
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
