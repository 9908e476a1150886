// The app's name and version and where its files are, found the same way
// from the sources (src-main/...) and from the bundle (out/main/...).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder holding the app's package.json (the checkout, or app.asar when packaged). */
export function projectRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return (root = dir);
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/** Where `electron-vite build` puts the renderer, which browser mode serves. */
export function rendererDir(): string {
  return join(projectRoot(), 'out', 'renderer');
}
