// File ▸ Open Recent and the Open dialog's list: the last sources opened,
// newest first, remembered in the user data folder when there is one. Each
// entry says whether its path still exists, so a moved or deleted one is
// shown as such and never reopened (a missing .db would be created anew). A
// PostgreSQL source's entry is its display URL, never its password; whether
// the server still has the database cannot be known without connecting, so
// it counts as existing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { RecentSource } from '../../src-shared/contract.ts';
import { nowIso } from '../../src-shared/time.ts';
import type { SourceInfo } from '../../src-shared/types.ts';
import { readJsonFile, writeJsonFile } from '../electron/json-file.ts';
import { isPostgresUrl } from '../store/source-url.ts';

export const MAX_RECENT_SOURCES = 10;

type StoredEntry = Omit<RecentSource, 'exists'>;

const recentSourcesSchema = z.array(
  z.object({ path: z.string(), kind: z.enum(['memory', 'sqlite', 'jsonl', 'jsonl-file', 'postgres']), opened_at: z.string() }),
) satisfies z.ZodType<StoredEntry[]>;

/** What the desktop shell mirrors: the OS's recent documents and the menu. */
export type RecentChange = { kind: 'added'; path: string } | { kind: 'removed'; path: string } | { kind: 'cleared' };

export class RecentSources {
  private readonly file: string | null;
  private entries: StoredEntry[] | null = null;
  private readonly onChange: (change: RecentChange) => void;

  /** Without a folder the list lives only as long as the process. */
  constructor(userDataDir?: string, onChange: (change: RecentChange) => void = () => {}) {
    this.onChange = onChange;
    this.file = userDataDir ? join(userDataDir, 'recent-sources.json') : null;
  }

  async list(): Promise<RecentSource[]> {
    return this.stored().map((entry) => ({ ...entry, exists: isPostgresUrl(entry.path) || existsSync(entry.path) }));
  }

  async add(info: SourceInfo): Promise<void> {
    if (info.path === null) return;
    const path = info.path;
    this.save([{ path, kind: info.kind, opened_at: nowIso() }, ...this.stored().filter((entry) => entry.path !== path)].slice(0, MAX_RECENT_SOURCES));
    this.onChange({ kind: 'added', path });
  }

  async remove(path: string): Promise<RecentSource[]> {
    this.save(this.stored().filter((entry) => entry.path !== path));
    this.onChange({ kind: 'removed', path });
    return this.list();
  }

  async clear(): Promise<RecentSource[]> {
    this.save([]);
    this.onChange({ kind: 'cleared' });
    return [];
  }

  private stored(): StoredEntry[] {
    // A damaged or hand-edited file only costs the list, never the launch.
    this.entries ??= (this.file && readJsonFile(this.file, recentSourcesSchema)) || [];
    return this.entries;
  }

  private save(entries: StoredEntry[]): void {
    this.entries = entries;
    if (this.file) writeJsonFile(this.file, entries);
  }
}
