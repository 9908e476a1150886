import { describe, expect, it } from 'vitest';
import { mirrorRecentChange } from './recent-documents.ts';

describe('mirrorRecentChange', () => {
  it("adds files to the OS's recent documents, never a PostgreSQL URL, and clears them with the list", () => {
    const calls: string[] = [];
    const os = { addRecentDocument: (path: string) => void calls.push(`add ${path}`), clearRecentDocuments: () => void calls.push('clear') };
    mirrorRecentChange(os, { kind: 'added', path: '/data/deerflow.db' });
    mirrorRecentChange(os, { kind: 'added', path: 'postgresql://ana@db.example:5432/deerflow' });
    mirrorRecentChange(os, { kind: 'added', path: 'postgres://ana@db.example:5432/deerflow?schema=team' });
    mirrorRecentChange(os, { kind: 'removed', path: '/data/deerflow.db' });
    mirrorRecentChange(os, { kind: 'cleared' });
    expect(calls).toEqual(['add /data/deerflow.db', 'clear']);
  });
});
