// The one-line summary beside an event's content in the detail pane: its
// JSON kind and size, so a big value is known before it is expanded.
import type { JsonValue } from '../../src-shared/types.ts';
import { formatBytes, plural, utf8Bytes } from '../common/format.ts';

export function describeValue(value: JsonValue): string {
  if (typeof value === 'string') return `string · ${formatBytes(utf8Bytes(value))}`;
  if (Array.isArray(value)) return `array · ${plural(value.length, 'item')}`;
  if (value !== null && typeof value === 'object') return `object · ${plural(Object.keys(value).length, 'key')}`;
  return value === null ? 'null' : typeof value;
}
