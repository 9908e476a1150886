// A snippet cut into plain and matching pieces, so React can wrap each match
// in <mark>: the text stays text, never markup.
import { matchRanges } from '../../src-shared/search-query.ts';

export interface TextPiece {
  text: string;
  match: boolean;
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
