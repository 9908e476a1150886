// What search reads of an event (issue 10): its content when that is a
// string; for structured content every string value at any depth; and every
// string value of its metadata. Keys, numbers and the envelope (ids, seq,
// type, category, time) are not searched: there are filters for those.
// Changing what this gives changes the index's text: bump the sidecar's
// version (sidecar-file.ts) so indexes are built again.
import { collapseWhitespace } from '../../src-shared/search-query.ts';
import type { JsonValue, RunEvent } from '../../src-shared/types.ts';

/**
 * Separates the values: each value's whitespace is collapsed to single spaces,
 * as a term's is (parseQuery), so no term holds a newline and no match spans two values.
 */
const SEPARATOR = '\n';

function collectStrings(value: JsonValue | undefined, into: string[]): void {
  if (typeof value === 'string') into.push(collapseWhitespace(value));
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) collectStrings(item, into);
}

export function searchableText(event: Pick<RunEvent, 'content' | 'metadata'>): string {
  const strings: string[] = [];
  collectStrings(event.content, strings);
  collectStrings(event.metadata, strings);
  return strings.join(SEPARATOR);
}
