// A built renderer folder per test, for the tests of serving it (browser
// mode's static files, the desktop app's app:// protocol): its index.html, a
// hashed script, and a secret beside the folder that no URL may reach.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';

export interface RendererFolder {
  /** The test's temporary folder: the renderer folder and secret.txt. */
  dir: string;
  renderer: string;
}

/** Made before each test of the calling file and removed after it; read its fields inside the tests. */
export function rendererFolderPerTest(): RendererFolder {
  const folder: RendererFolder = { dir: '', renderer: '' };
  beforeEach(() => {
    folder.dir = mkdtempSync(path.join(os.tmpdir(), 'renderer-folder-'));
    folder.renderer = path.join(folder.dir, 'renderer');
    mkdirSync(path.join(folder.renderer, 'assets'), { recursive: true });
    writeFileSync(path.join(folder.renderer, 'index.html'), '<!doctype html><title>Run Inspector</title>');
    writeFileSync(path.join(folder.renderer, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(path.join(folder.dir, 'secret.txt'), 'secret');
  });
  afterEach(() => rmSync(folder.dir, { recursive: true, force: true }));
  return folder;
}
