// A memory-backed session for tests, with SOURCE paths opened as fresh
// memory stores that report the path (no file is touched).
import { StoreError } from '../../src-shared/errors.ts';
import type { InspectorStore, SourceInfo } from '../../src-shared/types.ts';
import { MemoryStore } from '../../src-main/store/memory-store.ts';
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

/** Paths containing "missing" fail to open, as a wrong path would. */
export async function fakeOpenSource(path: string | null): Promise<InspectorStore> {
  if (path === null) return new MemoryStore();
  if (path.includes('missing')) throw new StoreError('SOURCE', `${path}: no such database`);
  return new NamedMemoryStore({ kind: path.endsWith('.db') ? 'sqlite' : 'jsonl', path, readOnly: false });
}

export function memorySession(options: Partial<SessionOptions> = {}): Promise<Session> {
  return Session.create(null, { transport: 'electron', openSource: fakeOpenSource, workerUrl: null, ...options });
}
