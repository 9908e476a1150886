// File ▸ Open Recent: the last sources opened, newest first, remembered in
// the user data folder when there is one.
import { join } from 'node:path';
import { z } from 'zod';
import type { RecentSource } from '../../src-shared/contract.ts';
import { nowIso } from '../../src-shared/time.ts';
import type { SourceInfo } from '../../src-shared/types.ts';
import { readJsonFile, writeJsonFile } from '../electron/json-file.ts';

export const MAX_RECENT_SOURCES = 10;

const recentSourcesSchema = z.array(
  z.object({ path: z.string(), kind: z.enum(['memory', 'sqlite', 'jsonl', 'jsonl-file']), opened_at: z.string() }),
) satisfies z.ZodType<RecentSource[]>;

export class RecentSources {
  private readonly file: string | null;
  private entries: RecentSource[] | null = null;

  /** Without a folder the list lives only as long as the process. */
  constructor(userDataDir?: string) {
    this.file = userDataDir ? join(userDataDir, 'recent-sources.json') : null;
  }

  async list(): Promise<RecentSource[]> {
    // A damaged or hand-edited file only costs the list, never the launch.
    this.entries ??= (this.file && readJsonFile(this.file, recentSourcesSchema)) || [];
    return this.entries.map((entry) => ({ ...entry }));
  }

  async add(info: SourceInfo): Promise<void> {
    if (info.path === null) return;
    const path = info.path;
    const rest = (await this.list()).filter((entry) => entry.path !== path);
    this.entries = [{ path, kind: info.kind, opened_at: nowIso() }, ...rest].slice(0, MAX_RECENT_SOURCES);
    if (this.file) writeJsonFile(this.file, this.entries);
  }
}
