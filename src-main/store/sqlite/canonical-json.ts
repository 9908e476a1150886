// Recognises UTF-8 bytes that are already exactly what pythonJson (python-json.ts)
// would write for the JSON they hold. DeerFlow's JSONL lines are json.dumps
// output, so an import can store their content and metadata text as it is,
// instead of decoding, parsing and re-serialising a gigabyte of it. Every
// answer is "yes, byte for byte" or "not known": the caller then takes the
// parse-and-serialise path, so anything unusual may be declined, never misread.

/** Member spans of a scanned object: key bytes between the quotes, value bytes. */
export class ObjectMembers {
  count = 0;
  keyStart = new Int32Array(MAX_MEMBERS);
  keyEnd = new Int32Array(MAX_MEMBERS);
  valueStart = new Int32Array(MAX_MEMBERS);
  valueEnd = new Int32Array(MAX_MEMBERS);

  /** Index of the member whose key is `key` (ASCII), or -1. */
  find(bytes: Buffer, key: string): number {
    for (let m = 0; m < this.count; m++) {
      const start = this.keyStart[m];
      if (this.keyEnd[m] - start !== key.length) continue;
      let k = 0;
      while (k < key.length && bytes[start + k] === key.charCodeAt(k)) k++;
      if (k === key.length) return m;
    }
    return -1;
  }
}

/** Bigger top-level objects are declined (no DeerFlow record comes close). */
const MAX_MEMBERS = 64;
/** Deeper nesting is declined, so the recursion never nears the stack limit. */
const MAX_DEPTH = 128;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const SPACE = 0x20;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const DOT = 0x2e;
const PLUS = 0x2b;

/** Integers of up to 15 digits are exact doubles that JSON.stringify writes back digit for digit. */
const EXACT_INTEGER_DIGITS = 15;

/**
 * Key hashes of the objects being scanned, innermost last: a repeated key
 * (JSON.parse keeps the last value at the first key's place) is declined.
 * A hash collision only declines a line that was fine.
 */
const keyHashes = new Int32Array(4096);
let keyHashTop = 0;
let lastKeyHash = 0;

const isDigit = (c: number) => c >= ZERO && c <= NINE;

/** The character of a `\u00XX` escape at `i` in JSON.stringify's lowercase form when below 0x20, else -1. */
function controlEscapeCode(bytes: Buffer, i: number): number {
  const high = bytes[i + 4] - ZERO;
  const low = bytes[i + 5];
  const lowValue = isDigit(low) ? low - ZERO : low >= 0x61 && low <= 0x66 ? low - 0x57 : -1;
  return (high === 0 || high === 1) && lowValue >= 0 ? high * 16 + lowValue : -1;
}

/**
 * The escapes JSON.stringify writes: the two-character ones, and \u00XX in
 * lowercase for the other control characters. (It also escapes lone
 * surrogates, which are declined here as too rare to be worth it.)
 */
function escapeLength(bytes: Buffer, i: number): number {
  const c = bytes[i + 1];
  if (c === QUOTE || c === BACKSLASH || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74) return 2; // " \ b f n r t
  if (c !== 0x75 || bytes[i + 2] !== ZERO || bytes[i + 3] !== ZERO) return 0;
  const code = controlEscapeCode(bytes, i);
  if (code < 0) return 0;
  // \b \t \n \f \r have the short forms above.
  return code === 8 || code === 9 || code === 10 || code === 12 || code === 13 ? 0 : 6;
}

/**
 * The bytes being scanned as 32-bit words, when they are aligned: most of a
 * line is string text, and a word at a time finds its end three times
 * faster than a byte at a time. Kept for the next line: an import scans a
 * whole read buffer line by line.
 */
let wordsOf: Buffer | null = null;
let words: Int32Array | null = null;

function useWords(bytes: Buffer): void {
  if (bytes === wordsOf) return;
  wordsOf = bytes;
  words = bytes.byteOffset % 4 === 0 ? new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2) : null;
}

/** A byte of the word is '"', '\\' or a control character (the classic has-zero-byte and has-less-than tests). */
function hasStringStop(word: number): boolean {
  const quote = word ^ 0x22222222;
  const backslash = word ^ 0x5c5c5c5c;
  return ((((quote - 0x01010101) & ~quote) | ((backslash - 0x01010101) & ~backslash) | ((word - 0x20202020) & ~word)) & 0x80808080) !== 0;
}

/** After the closing quote of the string opening at `i`, or -1. Raw control characters are not JSON at all. */
function scanString(bytes: Buffer, i: number, end: number): number {
  for (i++; i < end; ) {
    if ((i & 3) === 0 && words !== null) {
      const stop = end >> 2;
      let w = i >> 2;
      while (w < stop && !hasStringStop(words[w])) w++;
      i = w << 2;
      if (i >= end) break;
    }
    const c = bytes[i];
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) {
      const length = escapeLength(bytes, i);
      if (length === 0) return -1;
      i += length;
    } else if (c < SPACE) {
      return -1;
    } else {
      i++;
    }
  }
  return -1;
}

/**
 * A key: a string, hashed for the duplicate check. Keys with escapes and
 * all-digit keys are declined: V8 lists integer-like keys first, so
 * pythonJson would reorder them.
 */
function scanKey(bytes: Buffer, i: number, end: number): number {
  let hash = 0x811c9dc5 | 0;
  let digitsOnly = true;
  const first = i + 1;
  for (i = first; i < end; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      if (digitsOnly && i > first) return -1;
      lastKeyHash = hash;
      return i + 1;
    }
    if (c === BACKSLASH || c < SPACE) return -1;
    if (!isDigit(c)) digitsOnly = false;
    hash = Math.imul(hash ^ c, 0x01000193);
  }
  return -1;
}


/** A number as JSON.stringify writes it (shortest round trip; no "-0", "1.0" or "1E5"). */
function scanNumber(bytes: Buffer, i: number, end: number): number {
  const start = i;
  if (bytes[i] === MINUS) i++;
  const digits = i;
  if (bytes[i] === ZERO) i++;
  else if (bytes[i] > ZERO && bytes[i] <= NINE) while (i < end && isDigit(bytes[i])) i++;
  else return -1;
  let plain = i - digits <= EXACT_INTEGER_DIGITS && !(bytes[start] === MINUS && bytes[digits] === ZERO);
  if (bytes[i] === DOT) {
    plain = false;
    const from = ++i;
    while (i < end && isDigit(bytes[i])) i++;
    if (i === from) return -1;
  }
  if (bytes[i] === 0x65 || bytes[i] === 0x45) {
    plain = false;
    i++;
    if (bytes[i] === PLUS || bytes[i] === MINUS) i++;
    const from = i;
    while (i < end && isDigit(bytes[i])) i++;
    if (i === from) return -1;
  }
  if (plain) return i;
  const text = bytes.toString('latin1', start, i);
  return String(Number(text)) === text ? i : -1;
}

function scanLiteral(bytes: Buffer, i: number, word: string): number {
  for (let k = 0; k < word.length; k++) if (bytes[i + k] !== word.charCodeAt(k)) return -1;
  return i + word.length;
}

function scanValue(bytes: Buffer, i: number, end: number, depth: number): number {
  const c = bytes[i];
  if (c === QUOTE) return scanString(bytes, i, end);
  if (c === OPEN_BRACE) return scanObject(bytes, i, end, depth + 1, null);
  if (c === OPEN_BRACKET) return scanArray(bytes, i, end, depth + 1);
  if (c === 0x74) return scanLiteral(bytes, i, 'true');
  if (c === 0x66) return scanLiteral(bytes, i, 'false');
  if (c === 0x6e) return scanLiteral(bytes, i, 'null');
  return scanNumber(bytes, i, end);
}

function scanArray(bytes: Buffer, i: number, end: number, depth: number): number {
  if (depth > MAX_DEPTH) return -1;
  if (bytes[i + 1] === CLOSE_BRACKET) return i + 2;
  for (i++; ; i += 2) {
    i = scanValue(bytes, i, end, depth);
    if (i < 0) return -1;
    if (bytes[i] === CLOSE_BRACKET) return i + 1;
    if (bytes[i] !== COMMA || bytes[i + 1] !== SPACE) return -1;
  }
}

/** Members are recorded for the object scanned with `members`, not for the ones inside it. */
function scanObject(bytes: Buffer, i: number, end: number, depth: number, members: ObjectMembers | null): number {
  if (depth > MAX_DEPTH) return -1;
  if (bytes[i + 1] === CLOSE_BRACE) return i + 2;
  const base = keyHashTop;
  const result = scanMembers(bytes, i + 1, end, depth, members);
  keyHashTop = base;
  return result;
}

function scanMembers(bytes: Buffer, i: number, end: number, depth: number, members: ObjectMembers | null): number {
  const base = keyHashTop;
  for (; ; i += 2) {
    if (bytes[i] !== QUOTE) return -1;
    const keyEnd = scanKey(bytes, i, end);
    if (keyEnd < 0 || keyHashTop === keyHashes.length) return -1;
    for (let k = base; k < keyHashTop; k++) if (keyHashes[k] === lastKeyHash) return -1;
    keyHashes[keyHashTop++] = lastKeyHash;
    if (bytes[keyEnd] !== COLON || bytes[keyEnd + 1] !== SPACE) return -1;
    const valueEnd = scanValue(bytes, keyEnd + 2, end, depth);
    if (valueEnd < 0) return -1;
    if (members) {
      const m = members.count++;
      if (m === MAX_MEMBERS) return -1;
      members.keyStart[m] = i + 1;
      members.keyEnd[m] = keyEnd - 1;
      members.valueStart[m] = keyEnd + 2;
      members.valueEnd[m] = valueEnd;
    }
    i = valueEnd;
    if (bytes[i] === CLOSE_BRACE) return i + 1;
    if (bytes[i] !== COMMA || bytes[i + 1] !== SPACE) return -1;
  }
}

/**
 * True when bytes[start, end) is a JSON object written exactly as pythonJson
 * writes the value JSON.parse makes of it; its members are then in `members`.
 * The bytes must be valid UTF-8 (the caller checks whole chunks at once).
 */
export function scanCanonicalObject(bytes: Buffer, start: number, end: number, members: ObjectMembers): boolean {
  members.count = 0;
  if (bytes[start] !== OPEN_BRACE) return false;
  keyHashTop = 0;
  useWords(bytes);
  return scanObject(bytes, start, end, 0, members) === end;
}

/** The JSON type of a value scanned as canonical, from its first byte. */
export function valueKind(bytes: Buffer, valueStart: number): 'string' | 'object' | 'array' | 'null' | 'other' {
  const c = bytes[valueStart];
  if (c === QUOTE) return 'string';
  if (c === OPEN_BRACE) return 'object';
  if (c === OPEN_BRACKET) return 'array';
  if (c === 0x6e) return 'null';
  return 'other';
}

/** True when the canonical string value at [start, end) (quotes included) has no escape. */
export function isPlainString(bytes: Buffer, start: number, end: number): boolean {
  for (let i = start + 1; i < end - 1; i++) if (bytes[i] === BACKSLASH) return false;
  return true;
}

const SHORT_ESCAPES: Record<number, number> = { 0x22: 0x22, 0x5c: 0x5c, 0x62: 0x08, 0x66: 0x0c, 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09 };

/**
 * Writes the UTF-8 text of the canonical string value at [start, end)
 * (quotes included) into `out` at `at`; returns where it ends. The text is
 * never longer than the value's bytes.
 */
export function unescapeString(bytes: Buffer, start: number, end: number, out: Buffer, at: number): number {
  const last = end - 1;
  for (let i = start + 1; i < last; ) {
    let run = i;
    while (run < last && bytes[run] !== BACKSLASH) run++;
    at += bytes.copy(out, at, i, run);
    if (run === last) break;
    const c = bytes[run + 1];
    if (c === 0x75) {
      out[at++] = controlEscapeCode(bytes, run);
      i = run + 6;
    } else {
      out[at++] = SHORT_ESCAPES[c];
      i = run + 2;
    }
  }
  return at;
}
