// File ▸ Open Recent: the last sources opened, newest first, remembered in
// the user data folder when there is one.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecentSource } from '../../src-shared/contract.ts';
import { nowIso } from '../../src-shared/time.ts';
import type { SourceInfo } from '../../src-shared/types.ts';

export const MAX_RECENT_SOURCES = 10;
const FILE_NAME = 'recent-sources.json';

function isRecentSource(value: unknown): value is RecentSource {
  const v = value as RecentSource;
  return typeof v === 'object' && v !== null && typeof v.path === 'string' && typeof v.kind === 'string' && typeof v.opened_at === 'string';
}

export class RecentSources {
  private readonly file: string | null;
  private entries: RecentSource[] | null = null;

  /** Without a folder the list lives only as long as the process. */
  constructor(userDataDir?: string) {
    this.file = userDataDir ? join(userDataDir, FILE_NAME) : null;
  }

  async list(): Promise<RecentSource[]> {
    if (!this.entries) this.entries = await this.load();
    return this.entries.map((entry) => ({ ...entry }));
  }

  async add(info: SourceInfo): Promise<void> {
    if (info.path === null) return;
    const path = info.path;
    const rest = (await this.list()).filter((entry) => entry.path !== path);
    this.entries = [{ path, kind: info.kind, opened_at: nowIso() }, ...rest].slice(0, MAX_RECENT_SOURCES);
    await this.save(this.entries);
  }

  private async load(): Promise<RecentSource[]> {
    if (!this.file) return [];
    try {
      const parsed: unknown = JSON.parse(await readFile(this.file, 'utf8'));
      // A damaged or hand-edited file only costs the list, never the launch.
      return Array.isArray(parsed) ? parsed.filter(isRecentSource).slice(0, MAX_RECENT_SOURCES) : [];
    } catch {
      return [];
    }
  }

  private async save(entries: RecentSource[]): Promise<void> {
    if (!this.file) return;
    const dir = join(this.file, '..');
    await mkdir(dir, { recursive: true });
    // Written beside and renamed, so a crash mid-write leaves the old list intact.
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(entries, null, 2)}\n`);
    await rename(temp, this.file);
  }
}
