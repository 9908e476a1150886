// A snippet cut into plain and matching pieces, so React can wrap each match
// in <mark>: the text stays text, never markup.
import { matchRanges } from '../../src-shared/search-query.ts';

export interface TextPiece {
  text: string;
  match: boolean;
}

/** Characters of context kept before the first match when a row shows the snippet from there. */
export const LEAD_CHARACTERS = 40;

/**
 * The snippet shown from shortly before its first match: a row has room for
 * a line or two, and the match must be in it. "…" marks the cut, which never
 * splits a surrogate pair.
 */
export function fromFirstMatch(snippet: string, terms: readonly string[], lead = LEAD_CHARACTERS): string {
  const first = matchRanges(snippet, terms)[0];
  if (!first || first[0] <= lead) return snippet;
  let start = first[0] - lead;
  const code = snippet.charCodeAt(start);
  if (code >= 0xdc00 && code <= 0xdfff) start++;
  return `…${snippet.slice(start)}`;
}

export function highlightPieces(text: string, terms: readonly string[]): TextPiece[] {
  const pieces: TextPiece[] = [];
  let at = 0;
  for (const [start, end] of matchRanges(text, terms)) {
    if (start > at) pieces.push({ text: text.slice(at, start), match: false });
    pieces.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), match: false });
  return pieces;
}
