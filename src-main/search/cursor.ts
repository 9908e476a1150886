// The opaque cursor that pages through search hits (issue 10): the key of a
// page's last hit in the order of src-shared/search-order.ts, as base64url
// JSON; the next page starts after it.
import { badArgument } from '../../src-shared/errors.ts';
import type { HitKey } from '../../src-shared/search-order.ts';

export function encodeCursor({ created_at, thread_id, seq }: HitKey): string {
  return Buffer.from(JSON.stringify([created_at, thread_id, seq]), 'utf8').toString('base64url');
}

/** The key of the hit a page ended with; BAD_ARGUMENT naming `cursor` when it is not one of encodeCursor's. */
export function decodeCursor(cursor: string): HitKey {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) throw badCursor();
  const [created_at, thread_id, seq] = decoded as unknown[];
  if (typeof created_at !== 'string' || typeof thread_id !== 'string' || !Number.isSafeInteger(seq) || (seq as number) < 1) throw badCursor();
  return { created_at, thread_id, seq: seq as number };
}

const badCursor = () => badArgument("cursor: not a search cursor; pass a previous page's nextCursor as it was returned");
