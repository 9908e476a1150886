// The folders show the architecture only while imports point down: these
// checks read every module's relative imports (static and lazy) and fail on
// a cycle, on shipped code importing test support, and on a layer importing
// one above it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SHIPPED = ['src-shared', 'src-main', 'src-renderer'];
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm;

function modulesUnder(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file))
    .map((file) => path.join(folder, file).split(path.sep).join('/'));
}

/** Module → the repo-relative modules it imports (relative specifiers only). */
function importGraph(modules: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const module of modules) {
    const text = readFileSync(path.join(ROOT, module), 'utf8');
    const targets = [...text.matchAll(IMPORT)]
      .map((match) => match[2])
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => path.posix.normalize(path.posix.join(path.posix.dirname(module), specifier)));
    graph.set(module, targets);
  }
  return graph;
}

function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (module: string) => {
    state.set(module, 'open');
    stack.push(module);
    for (const next of graph.get(module) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next) && graph.has(next)) visit(next);
    }
    stack.pop();
    state.set(module, 'done');
  };
  for (const module of graph.keys()) if (!state.has(module)) visit(module);
  return found;
}

const graph = importGraph(SHIPPED.flatMap(modulesUnder));
const edges = [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));
const layerOf = (module: string) => module.split('/').slice(0, 2).join('/');

describe('imports of the shipped code', () => {
  it('form no cycle', () => {
    expect(cycles(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('never reach test support', () => {
    expect(edges.filter(({ to }) => to.startsWith('test/') || to.startsWith('e2e/'))).toEqual([]);
  });

  it('keep src-shared free of the other folders, and the renderer free of main', () => {
    const wrong = edges.filter(
      ({ from, to }) => (from.startsWith('src-shared/') && !to.startsWith('src-shared/')) || (from.startsWith('src-renderer/') && to.startsWith('src-main/')),
    );
    expect(wrong).toEqual([]);
  });

  it('point down inside main: stores and jobs import no handlers, transports or shell', () => {
    const above = ['src-main/handlers', 'src-main/transports', 'src-main/electron', 'src-main/cli'];
    const wrong = edges.filter(({ from, to }) => ['src-main/store', 'src-main/jobs'].includes(layerOf(from)) && above.includes(layerOf(to)));
    expect(wrong).toEqual([]);
  });

  it('sees the modules it checks', () => {
    // A pattern that stopped matching would pass every check above with an empty graph.
    expect(graph.get('src-main/handlers/handlers.ts')).toContain('src-shared/contract.ts');
    expect(graph.get('src-main/jobs/run-job.ts')).toContain('src-main/jobs/import-jsonl.ts');
  });
});
