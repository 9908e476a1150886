// What a SOURCE is (DESIGN.md §3): a database by its header or its name, a
// directory as a JSONL store, any other file as a read-only JSONL export.
// Backends are imported lazily so the CLI starts fast.
import { statSync } from 'node:fs';
import path from 'node:path';
import { StoreError } from '../../src-shared/errors.ts';
import type { InspectorStore } from '../../src-shared/types.ts';
import { MemoryStore } from './memory-store.ts';
import { isPostgresUrl, isSourceUrl, refuseSourceUrl } from './source-url.ts';
import { sniffSqliteHeader } from './sqlite/header.ts';

const DATABASE_EXTENSIONS = new Set(['.db', '.sqlite', '.sqlite3']);

/** A name that is always taken as a database, created when missing. */
export const isDatabaseName = (source: string): boolean => DATABASE_EXTENSIONS.has(path.extname(source).toLowerCase());

export type SourceKindGuess = 'memory' | 'sqlite-existing' | 'sqlite-new' | 'jsonl-dir' | 'jsonl-file';

function hasSqliteHeader(file: string): boolean {
  try {
    return sniffSqliteHeader(file) === 'sqlite';
  } catch (error) {
    throw new StoreError('SOURCE', `${path.resolve(file)}: cannot be read (${(error as Error).message})`);
  }
}

/** Decides how a path is opened, without opening it. */
export function classifySource(source: string | null): SourceKindGuess {
  if (source === null) return 'memory';
  const stat = statSync(source, { throwIfNoEntry: false });
  const namedAsDatabase = isDatabaseName(source);
  if (stat?.isDirectory()) return 'jsonl-dir';
  if (stat?.isFile()) return namedAsDatabase || hasSqliteHeader(source) ? 'sqlite-existing' : 'jsonl-file';
  if (namedAsDatabase) return 'sqlite-new';
  // A missing export is a mistyped path, not a new store to create under that name.
  if (path.extname(source).toLowerCase() === '.jsonl') throw new StoreError('SOURCE', `${path.resolve(source)}: no such file`);
  return 'jsonl-dir';
}

export interface OpenSourceOptions {
  /** A file or folder opened only to read. */
  readOnly?: boolean;
  /** A PostgreSQL server is read-only unless opened to write (`--write`); see OpenPostgresOptions for these three. */
  write?: boolean;
  init?: boolean;
  password?: string;
}

export async function openSource(source: string | null, options: OpenSourceOptions = {}): Promise<InspectorStore> {
  if (source !== null && isPostgresUrl(source)) {
    const { openPostgresStore } = await import('./postgres/postgres-store.ts');
    return openPostgresStore(source, { write: (options.write ?? false) && !options.readOnly, init: options.init, password: options.password });
  }
  if (source !== null && isSourceUrl(source)) refuseSourceUrl(source);
  const kind = classifySource(source);
  if (source === null || kind === 'memory') return new MemoryStore();
  const absolute = path.resolve(source);
  switch (kind) {
    case 'sqlite-existing':
    case 'sqlite-new': {
      const { openSqliteStore } = await import('./sqlite/sqlite-store.ts');
      return openSqliteStore(absolute, { create: kind === 'sqlite-new', readOnly: options.readOnly });
    }
    case 'jsonl-dir': {
      const { openJsonlStore } = await import('./jsonl/jsonl-store.ts');
      return openJsonlStore(absolute);
    }
    case 'jsonl-file': {
      const { openJsonlExport } = await import('./jsonl/jsonl-store.ts');
      return openJsonlExport(absolute);
    }
  }
}
