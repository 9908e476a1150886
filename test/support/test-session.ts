// A memory-backed session for tests, with SOURCE paths opened as fresh
// memory stores that report the path (no file is touched), but for a SQLite
// database a test made, which opens for real.
import { statSync } from 'node:fs';
import { StoreError } from '../../src-shared/errors.ts';
import type { InspectorStore, SourceInfo } from '../../src-shared/types.ts';
import { MemoryStore } from '../../src-main/store/memory-store.ts';
import { sniffSqliteHeader } from '../../src-main/store/sqlite/header.ts';
import { openSqliteStore } from '../../src-main/store/sqlite/sqlite-store.ts';
import { Session, type SessionOptions } from '../../src-main/handlers/session.ts';

/** A MemoryStore that says it is `info`, and records whether it was closed. */
export class NamedMemoryStore extends MemoryStore {
  override readonly info: SourceInfo;
  closed = false;
  constructor(info: SourceInfo) {
    super();
    this.info = info;
  }
  override async close(): Promise<void> {
    this.closed = true;
  }
}

/** A file with SQLite's header: a database a test wrote, whose tables it reads (a DeerFlow-style delete's run records). */
const isSqliteFile = (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() === true && sniffSqliteHeader(path) === 'sqlite';

/** Paths containing "missing" fail to open, as a wrong path would. */
export async function fakeOpenSource(path: string | null): Promise<InspectorStore> {
  if (path === null) return new MemoryStore();
  if (path.includes('missing')) throw new StoreError('SOURCE', `${path}: no such database`);
  if (isSqliteFile(path)) return openSqliteStore(path, { create: false });
  return new NamedMemoryStore({ kind: path.endsWith('.db') ? 'sqlite' : 'jsonl', path, readOnly: false });
}

export function memorySession(options: Partial<SessionOptions> = {}): Promise<Session> {
  return Session.create(null, { transport: 'electron', openSource: fakeOpenSource, workerUrl: null, ...options });
}
