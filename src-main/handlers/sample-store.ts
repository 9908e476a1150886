// The built-in sample store (made by the data generator) lives in the user's
// own data folder, never in a shared one such as /tmp, where another local
// user could put a file of their own making there first. One place for the
// desktop app's launcher (npm start) and for `serve`'s "open the sample".
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** RUN_INSPECTOR_USER_DATA when set (tests, a second profile), else ~/.run-inspector. */
export function userDataDir(): string {
  return process.env.RUN_INSPECTOR_USER_DATA || join(homedir(), '.run-inspector');
}

/** The sample store in `dir`, made on first use; returns its path. */
export async function sampleStore(dir: string = userDataDir()): Promise<string> {
  const file = join(dir, 'sample.db');
  if (!existsSync(file)) {
    // Private when this makes the folder; an existing one keeps its mode.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { writeSampleStore } = await import('../generator/generate.ts');
    await writeSampleStore(file);
  }
  return file;
}
