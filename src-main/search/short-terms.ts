// The search index's second table (issue 10 review, finding 4): one- and
// two-character CJK terms (北, 北美) have no trigram, and walking every event
// of a million to check a rare one reads them all. Chinese and Japanese have
// no spaces between words and such terms are common queries, so the CJK runs
// of each event's folded text — Han, Hiragana, Katakana and Hangul, by
// Unicode script extensions, so ー, 々 and the CJK punctuation belong to the
// runs — are indexed as their bigrams, and as a unigram the last character of
// each run (the one starting no bigram). A two-character term is then a
// bigram (two adjacent CJK characters always sit in one run); a one-character
// term X is the prefix query X*, which the table's one-character prefix index
// answers as one term: every bigram starting with X and the unigram X. A CJK
// event then has some 90 tokens, not 150 (every unigram): on a 200k-event
// slice its tokens take 2.3 s to make in the build's reader thread, not 3.4 s,
// for 1.2 s of inserts, not 1.1 s.
// Short terms of other scripts (Latin "ab") keep the bounded walk: one or two
// letters are in nearly every event, so the walk fills a page within its first
// few hundred events and stops.
//
// The tokens are written space-separated for FTS5's ascii tokenizer, which
// splits at ASCII spaces and keeps every non-ASCII character as it is: no
// folding or diacritic removal of its own (the text is folded by foldCase
// already), and unlike unicode61 it does not drop the marks and symbols
// (U+3099, ⺀) that the script extensions count in.

const CJK_RUN = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]+/gu;
const CJK_TERM = /^[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]{1,2}$/u;

/** A term the short-term table answers: one or two characters (code points), every one CJK. */
export const isShortCjkTerm = (term: string): boolean => CJK_TERM.test(term);

/** The bigrams of `foldedText`'s CJK runs and the last character of each, each once, space-separated; '' when it has none. */
export function shortTermTokens(foldedText: string): string {
  const tokens = new Set<string>();
  for (const [run] of foldedText.matchAll(CJK_RUN)) {
    const chars = [...run];
    for (let i = 1; i < chars.length; i++) tokens.add(chars[i - 1] + chars[i]);
    tokens.add(chars[chars.length - 1]);
  }
  return [...tokens].join(' ');
}

/** The short CJK terms as an FTS5 query (ANDed): a bigram as an FTS5 string, one character as its prefix query; null when there are none. */
export function shortTermQuery(terms: readonly string[]): string | null {
  const tokens = terms.filter(isShortCjkTerm);
  if (tokens.length === 0) return null;
  return tokens.map((token) => ([...token].length === 1 ? `"${token}"*` : `"${token}"`)).join(' AND ');
}
