import { describe, expect, it } from 'vitest';
import type { HitKey } from '../../src-shared/search-order.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

const key = (created_at: string, thread_id = 't1', seq = 1): HitKey => ({ created_at, thread_id, seq });

describe('the cursor', () => {
  it('decodes to the key it was made of', () => {
    const hit = key('2026-04-04T00:49:25.123456+00:00', 'thread "北美" 😀', 42);
    const cursor = encodeCursor(hit);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(hit);
  });

  it('is BAD_ARGUMENT naming cursor when it is not one', () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of ['!!!', 'bm90IGpzb24', encode({ seq: 1 }), encode(['x', 't', 0]), encode(['x', 't', 1.5]), encode([1, 't', 1]), encode(['x', 't'])]) {
      expect(() => decodeCursor(cursor), cursor).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/^cursor: /) }));
    }
  });
});
