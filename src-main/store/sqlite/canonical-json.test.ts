import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../../../src-shared/types.ts';
import { generateEvents } from '../../generator/generate.ts';
import { isPlainString, ObjectMembers, scanCanonicalObject, unescapeString, valueKind } from './canonical-json.ts';
import { pythonJson } from '../python-json.ts';

const members = new ObjectMembers();
const scan = (text: string) => {
  const bytes = Buffer.from(text, 'utf8');
  return scanCanonicalObject(bytes, 0, bytes.length, members);
};
/** The property the import relies on: accepted text is exactly what pythonJson writes for it. */
const acceptedOnlyIfCanonical = (text: string) => {
  if (scan(text)) expect(pythonJson(JSON.parse(text) as JsonValue)).toBe(text);
};

const json: fc.Arbitrary<JsonValue> = fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }).map((value) => JSON.parse(JSON.stringify(value)) as JsonValue);
const object = fc.dictionary(fc.string({ unit: 'binary', maxLength: 12 }), json, { maxKeys: 8 }).map((value) => JSON.parse(JSON.stringify(value)) as JsonObject);

/** What the scanner declines on purpose, so pythonJson's own output may be declined too. */
function hasDeclinedParts(value: JsonValue): boolean {
  if (typeof value === 'string') return /[\ud800-\udfff]/.test(value.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));
  if (Array.isArray(value)) return value.some(hasDeclinedParts);
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, item]) => /^\d+$/.test(key) || /["\\\u0000-\u001f]/.test(key) || hasDeclinedParts(key) || hasDeclinedParts(item));
}

describe('scanCanonicalObject', () => {
  it("accepts every record the generator writes, as DeerFlow's JSONL store writes it", () => {
    for (const event of generateEvents({ seed: 3, threads: 3, totalEvents: 3000 })) {
      expect(scan(pythonJson(event as unknown as JsonObject)), JSON.stringify(event).slice(0, 200)).toBe(true);
    }
  });

  it("accepts pythonJson's output, and reports each member's key and value", () => {
    fc.assert(
      fc.property(object, (value) => {
        const text = pythonJson(value);
        if (hasDeclinedParts(value)) return;
        expect(scan(text)).toBe(true);
        const bytes = Buffer.from(text);
        const found = Array.from({ length: members.count }, (_, m) => [
          JSON.parse(`"${bytes.toString('utf8', members.keyStart[m], members.keyEnd[m])}"`),
          JSON.parse(bytes.toString('utf8', members.valueStart[m], members.valueEnd[m])),
        ]);
        expect(found).toEqual(Object.entries(value));
      }),
      { numRuns: 400 },
    );
  });

  it('accepts nothing but the exact pythonJson text of what it holds', () => {
    const variants = (value: JsonObject): string[] => {
      const text = pythonJson(value);
      return [
        text,
        JSON.stringify(value),
        JSON.stringify(value, null, 1),
        text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`), // ensure_ascii=True
        text.replace(/\\u00([01][0-9a-f])/g, (_, hex: string) => `\\u00${hex.toUpperCase()}`),
        text.replace(/(": \d+)([,}])/, '$1.0$2'), // Python's float form
        text.replace(/"(, |})/, '" $1'),
      ];
    };
    fc.assert(fc.property(object, (value) => variants(value).forEach(acceptedOnlyIfCanonical)), { numRuns: 400 });
  });

  it('declines what JSON.parse and pythonJson would change or refuse', () => {
    for (const text of [
      '{"a": 1, "a": 2}', // the last value wins, in the first key's place
      '{"b": 1, "1": 2}', // V8 lists integer keys first
      '{"a": -0}',
      '{"a": 1.0}',
      '{"a": 1E5}',
      '{"a": 1e5}',
      '{"a": 12345678901234567890}',
      '{"a": "\\u00e9"}',
      '{"a": "\\/"}',
      '{"a": "\\u000a"}',
      '{"a": "\\ud83d\\ude00"}',
      '{"a": "tab\there"}',
      '{"a":1}',
      '{"a": 1 }',
      ' {"a": 1}',
      '{"a": [1,2]}',
      '{"a": tru}',
      '{"a": "unterminated}',
      '[1, 2]',
      `${'{"a": '.repeat(200)}1${'}'.repeat(200)}`,
    ]) {
      expect(scan(text), text).toBe(false);
    }
    for (const text of ['{}', '{"a": 1.5, "b": -2, "c": 1e+21, "d": [], "e": {}, "f": [true, false, null]}', '{"a": "\\u001f\\n\\"\\\\", "0a": 1}']) {
      expect(scan(text), text).toBe(true);
      acceptedOnlyIfCanonical(text);
    }
  });
});

describe('string values', () => {
  it('unescapes to the UTF-8 of the string, and tells plain strings and kinds apart', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary-ascii', maxLength: 20 }), (a, b) => {
        const value = a + b;
        const text = pythonJson({ v: value });
        const bytes = Buffer.from(text);
        expect(scanCanonicalObject(bytes, 0, bytes.length, members)).toBe(true);
        const [start, end] = [members.valueStart[0], members.valueEnd[0]];
        expect(valueKind(bytes, start)).toBe('string');
        expect(isPlainString(bytes, start, end)).toBe(!JSON.stringify(value).includes('\\'));
        const out = Buffer.alloc(end - start);
        expect(out.subarray(0, unescapeString(bytes, start, end, out, 0)).toString('utf8')).toBe(value);
      }),
      { numRuns: 300 },
    );
  });
});
