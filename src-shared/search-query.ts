// The matching rules of search (issue 10), in one place for main (every
// backend and the index) and the page (highlighting snippets): a query is
// whitespace-separated terms, a "double-quoted phrase" is one term, and an
// event matches when every term is a case-insensitive substring of its
// searchable text. Whitespace follows one rule on both sides: any run of it
// (spaces, tabs, newlines) counts as one space, in a phrase and in each value
// searched, so "rate limit" finds "rate  limit" and "rate\tlimit".

export const MAX_QUERY_LENGTH = 500;
export const MAX_SNIPPET_LENGTH = 300;

/**
 * The simple case folds that lowercasing misses, each to the character every
 * other case of its letter lowercases to: final sigma, long s (and ẛ), the
 * Greek symbol variants (ϐ ϑ ϕ ϖ ϰ ϱ ϵ), micro sign, the iota subscripts and
 * prosgegrammeni's spacing form, and the old Cyrillic letter variants.
 * The index holds folded text: a change here needs a new sidecar version (sidecar-file.ts).
 */
const FOLDS_PAST_LOWERCASE: Record<string, string> = {
  ς: 'σ', ſ: 's', ẛ: 'ṡ', µ: 'μ', ϐ: 'β', ϑ: 'θ', ϕ: 'φ', ϖ: 'π', ϰ: 'κ', ϱ: 'ρ', ϵ: 'ε', '\u0345': 'ι', '\u1fbe': 'ι',
  ᲀ: 'в', ᲁ: 'д', ᲂ: 'о', ᲃ: 'с', ᲄ: 'т', ᲅ: 'т', ᲆ: 'ъ', ᲇ: 'ѣ', ᲈ: 'ꙋ',
};
const PAST_LOWERCASE = new RegExp(`[${Object.keys(FOLDS_PAST_LOWERCASE).join('')}]`, 'g');
const foldPastLowercase = (char: string) => FOLDS_PAST_LOWERCASE[char];

/**
 * Unicode's simple case folding, keeping every UTF-16 index where it was, so
 * a match found in folded text is at the same place in the original (snippets
 * and highlights cut the original): lowercasing, then the folds it misses
 * (FOLDS_PAST_LOWERCASE). A character whose lowercase has another length (İ,
 * which simple folding leaves as it is too) stays as it is.
 */
export function foldCase(text: string): string {
  // Fast path (an index folds every event): lowercasing the whole string is the same fold
  // when it keeps the length, the only context rule (final sigma) being folded away here.
  const lowered = text.toLowerCase();
  if (lowered.length === text.length) return lowered.replace(PAST_LOWERCASE, foldPastLowercase);
  let folded = '';
  for (const char of text) {
    const lower = FOLDS_PAST_LOWERCASE[char] ?? char.toLowerCase();
    folded += lower.length === char.length ? lower : char;
  }
  return folded;
}

/**
 * Each run of whitespace as one space: what a phrase and every value searched
 * go through. The pattern matches only what changes, so text already spaced
 * singly (most of it) is returned as it is, uncopied.
 */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s{2,}|[^\S ]/g, ' ');
}

/** The query's terms, folded, without duplicates; [] when it has none. A term holds no whitespace but single spaces (collapseWhitespace). */
export function parseQuery(query: string): string[] {
  const terms: string[] = [];
  for (const match of query.matchAll(/"([^"]*)"?|(\S+)/g)) {
    const term = collapseWhitespace((match[1] ?? match[2]).trim());
    if (term) terms.push(foldCase(term));
  }
  return [...new Set(terms)];
}

/** Every term occurs in the (already folded) text. */
export function matchesAll(foldedText: string, terms: readonly string[]): boolean {
  return terms.length > 0 && terms.every((term) => foldedText.includes(term));
}

/** Where each term occurs in `text` (case-insensitively), sorted and merged: what a view highlights in a snippet (whose whitespace is collapsed). */
export function matchRanges(text: string, terms: readonly string[]): [start: number, end: number][] {
  const folded = foldCase(text);
  const ranges: [number, number][] = [];
  for (const term of terms) {
    for (let at = folded.indexOf(term); at !== -1; at = folded.indexOf(term, at + term.length)) ranges.push([at, at + term.length]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

/**
 * Plain text of at most `max` characters around the first match of any term
 * (which it contains whole when the term fits), on one line; the start of the
 * text when nothing matches. "…" marks a cut.
 */
export function snippetAround(text: string, terms: readonly string[], max = MAX_SNIPPET_LENGTH): string {
  const flat = collapseWhitespace(text);
  const folded = foldCase(flat);
  let first = -1;
  let length = 0;
  for (const term of terms) {
    const at = folded.indexOf(term);
    if (at !== -1 && (first === -1 || at < first)) [first, length] = [at, term.length];
  }
  if (flat.length <= max) return flat;
  if (first === -1) return `${flat.slice(0, max - 1)}…`;
  // Some context before the match, the match, then what follows; never a cut inside a surrogate pair.
  const room = max - 2;
  let start = Math.max(0, Math.min(first - Math.floor((room - Math.min(length, room)) / 3), flat.length - room));
  if (start > 0 && isLowSurrogate(flat.charCodeAt(start))) start++;
  let end = Math.min(flat.length, start + room);
  if (end < flat.length && isLowSurrogate(flat.charCodeAt(end))) end--;
  return `${start > 0 ? '…' : ''}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`;
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
