// Small JSON files in the user data folder (window state, recent sources).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';

/** The file's value, or null when it is missing, not JSON, or not of the schema's shape (a first launch). */
export function readJsonFile<S extends z.ZodType>(file: string, schema: S): z.infer<S> | null {
  try {
    const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Written to a temporary file and renamed, so a crash mid-write never leaves half a file; `mode` is the new file's (default: the umask's). */
export function writeJsonFile(file: string, value: unknown, { mode }: { mode?: number } = {}): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode });
  renameSync(temporary, file);
}
