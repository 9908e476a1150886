// Test support: a JSONL layout written from a map of its run files' texts,
// and every file under a folder by the hash of its bytes (to prove a job
// only read a source).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Writes `threads/<thread>/runs/<run>.jsonl` under `root` for each `thread/run` key of `files`, with its text. */
export function writeLayout(root: string, files: Record<string, string>): void {
  for (const [key, text] of Object.entries(files)) {
    const [thread, run] = key.split('/');
    fs.mkdirSync(path.join(root, 'threads', thread, 'runs'), { recursive: true });
    fs.writeFileSync(path.join(root, 'threads', thread, 'runs', `${run}.jsonl`), text);
  }
}

/** Every file under `root` by its path relative to it, with the SHA-256 of its bytes. */
export function fileHashes(root: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    found[path.relative(root, file)] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  }
  return found;
}
