// DeerFlow is Python: its SQLite JSON columns and its JSONL lines are
// json.dumps output, which differs from JSON.stringify in spacing.
import type { JsonValue } from '../../src-shared/types.ts';

/**
 * `json.dumps(value, ensure_ascii=False)`, DeerFlow's serializer for both the
 * JSON column and structured content: `", "` and `": "` separators, non-ASCII
 * kept. Strings escape the same characters as JSON.stringify.
 */
export function pythonJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${value.map(pythonJson).join(', ')}]`;
  let out = '';
  for (const key in value) {
    const item = value[key];
    if (item === undefined) continue;
    out += `${out ? ', ' : ''}${JSON.stringify(key)}: ${pythonJson(item)}`;
  }
  return `{${out}}`;
}
