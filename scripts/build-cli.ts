// `npm run build:cli` and `prepack`: the CLI as plain JavaScript in out/cli/,
// bundled from the same sources `npm run cli` runs, for an installed package
// (Node strips no types under node_modules). With it, the renderer that
// `serve` shows (rebuilt when stale). Dependencies stay imports: better-sqlite3
// is a native addon loaded from node_modules; pg (node-postgres) is loaded
// from there too, so its optional require of pg-native (a libpq binding this
// app never uses) stays where pg guards it; diff and zod install with the
// package.
import path from 'node:path';
import { build } from 'vite';
import { projectRoot } from '../src-main/handlers/app-info.ts';
import { buildIfStale } from './browser-setup.ts';

const root = projectRoot();

if (!buildIfStale()) {
  console.error('build:cli: `electron-vite build` failed');
  process.exit(1);
}
await build({
  configFile: false,
  root,
  logLevel: 'warn',
  build: {
    ssr: true,
    target: 'node22',
    // bin/run-inspector.js runs out/cli/cli.js where the sources are not shipped.
    outDir: path.join(root, 'out', 'cli'),
    emptyOutDir: true,
    minify: false,
    rolldownOptions: {
      // job-worker sits beside the chunks, where sourceWorkerUrl() (job-spec.ts) looks for it.
      input: { cli: path.join(root, 'src-main/cli/cli.ts'), 'job-worker': path.join(root, 'src-main/jobs/job-worker.ts') },
      external: ['better-sqlite3', 'diff', 'pg', 'zod'],
      output: { format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
});
