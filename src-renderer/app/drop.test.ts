import { describe, expect, it } from 'vitest';
import { notOpenedNote } from './drop.ts';

describe('a drop of several items', () => {
  it('names the rest', () => {
    expect(notOpenedNote([])).toBe('');
    expect(notOpenedNote(['b.db', 'c.jsonl'])).toBe(' Only the first dropped item is opened; not opened: b.db, c.jsonl.');
  });
});
