// The source the app had open when it last ran, reopened on a launch that
// names none (else the sample store). Plain node: testable without Electron.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from './json-file.ts';

const fileName = 'last-source.json';
const lastSourceSchema = z.object({ path: z.string().min(1) });

export function saveLastSource(userDataDir: string, source: string): void {
  writeJsonFile(path.join(userDataDir, fileName), { path: source });
}

/**
 * argv's SOURCE, else the last one if it still exists, else null (the
 * sample). A vanished last source is not reopened: opening a missing `.db`
 * path would create an empty database where the user deleted one.
 */
export function launchSource(argvSource: string | null, userDataDir: string): string | null {
  if (argvSource !== null) return argvSource;
  const last = readJsonFile(path.join(userDataDir, fileName), lastSourceSchema);
  return last !== null && existsSync(last.path) ? last.path : null;
}
