import { describe, expect, it } from 'vitest';
import type { PathKind } from '../../src-shared/contract.ts';
import type { SourceInfo } from '../../src-shared/types.ts';
import { notOpenedNote, openDropped } from './drop.ts';

function fakeApi(kinds: Record<string, PathKind>) {
  const opened: string[] = [];
  return {
    opened,
    api: {
      classifyPath: async ({ path }: { path: string }) => kinds[path],
      openSource: async ({ path }: { path: string }): Promise<SourceInfo> => (opened.push(path), { kind: 'sqlite', path, readOnly: false }),
    },
  };
}

describe('a dropped path', () => {
  it('opens at once when SOURCE resolution says SQLite, whatever its name', async () => {
    const { api, opened } = fakeApi({ '/data/agent-state': 'sqlite' });
    expect(await openDropped('/data/agent-state', api)).toEqual({ kind: 'opened', info: { kind: 'sqlite', path: '/data/agent-state', readOnly: false } });
    expect(opened).toEqual(['/data/agent-state']);
  });

  it('offers the choice of opening or importing a JSONL file or folder, opening nothing yet', async () => {
    const { api, opened } = fakeApi({ '/x/export.jsonl': 'jsonl-file', '/x/.deer-flow': 'jsonl' });
    expect(await openDropped('/x/export.jsonl', api)).toEqual({ kind: 'choose', path: '/x/export.jsonl', pathKind: 'jsonl-file' });
    expect(await openDropped('/x/.deer-flow', api)).toEqual({ kind: 'choose', path: '/x/.deer-flow', pathKind: 'jsonl' });
    expect(opened).toEqual([]);
  });

  it('names the rest when several were dropped', () => {
    expect(notOpenedNote([])).toBe('');
    expect(notOpenedNote(['/b.db', '/c.jsonl'])).toBe(' Only the first dropped item is opened; not opened: /b.db, /c.jsonl.');
  });
});
