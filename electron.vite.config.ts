import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// import.meta.url, not import.meta.dirname: electron-vite rewrites only the former when it bundles this file.
const root = dirname(fileURLToPath(import.meta.url));

// Output goes to electron-vite's default out/main, out/preload and out/renderer
// (or under `--outDir`); main.ts finds its preload and renderer relative to itself.
export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: {
          main: resolve(root, 'src-main/electron/main.ts'),
          // Import / export run in a worker thread, which needs a file of its own
          // next to main.js (main.ts passes it to the JobRunner as ./jobs-worker.js).
          'jobs-worker': resolve(root, 'src-main/jobs/job-worker.ts'),
        },
        // A native addon built for the runtime: loaded from node_modules, never bundled.
        external: ['better-sqlite3'],
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only 'electron': everything it imports
      // (the contract, zod) goes into one CommonJS file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { preload: resolve(root, 'src-main/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [react()],
    build: {
      rolldownOptions: { input: resolve(root, 'src-renderer/index.html') },
      // electron-vite leaves the renderer unminified; the page loads faster minified, and no source maps ship with it.
      minify: true,
      sourcemap: false,
    },
  },
});
