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
// event then has some 90 tokens, not 150 (every unigram): fewer to make in
// the build's reader thread, for about the same inserts.
// Short terms of other scripts (Latin "ab") keep the bounded walk: one or two
// letters are in nearly every event, so the walk fills a page within its first
// few hundred events and stops.
//
// The tokens are written space-separated for FTS5's ascii tokenizer, which
// splits at ASCII spaces and keeps every non-ASCII character as it is: no
// folding or diacritic removal of its own (the text is folded by foldCase
// already), and unlike unicode61 it does not drop the marks and symbols
// (U+3099, ⺀) that the script extensions count in.

const CJK_CHAR = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]/u;
const CJK_TERM = new RegExp(`^${CJK_CHAR.source}{1,2}$`, 'u');

/** A term the short-term table answers: one or two characters (code points), every one CJK. */
export const isShortCjkTerm = (term: string): boolean => CJK_TERM.test(term);

// The build meets some 30 million bigrams per 200k events: a lookup per code
// unit, not a regular expression per run, and keys that are numbers, not
// strings to hash, make them in 0.9 s, not 2.3 s.
const IS_BMP_CJK = new Uint8Array(0x10000);
for (let code = 0; code < 0x10000; code++) IS_BMP_CJK[code] = CJK_CHAR.test(String.fromCharCode(code)) ? 1 : 0;
const isCjk = (codePoint: number) => (codePoint <= 0xffff ? IS_BMP_CJK[codePoint] === 1 : CJK_CHAR.test(String.fromCodePoint(codePoint)));

const CODE_POINTS = 0x110000;
/** A unigram's key is its code point, a bigram's first * CODE_POINTS + second: distinct, and exact in a double. */
const bigramKey = (first: number, second: number) => first * CODE_POINTS + second;

/** The keys seen since the last clear: an open-addressing table kept between events, so no event allocates one. */
class KeySet {
  private keys = new Float64Array(1024);
  /** A slot holds a key of this round when its stamp is the round's: clearing is a new round. */
  private stamps = new Uint32Array(1024);
  private round = 1;
  private size = 0;

  clear(): void {
    this.round++;
    this.size = 0;
  }

  /** Adds `key`; false when it was there already. */
  add(key: number): boolean {
    const mask = this.keys.length - 1;
    let slot = slotOf(key, mask);
    for (; this.stamps[slot] === this.round; slot = (slot + 1) & mask) if (this.keys[slot] === key) return false;
    this.stamps[slot] = this.round;
    this.keys[slot] = key;
    if (++this.size * 2 > this.keys.length) this.grow();
    return true;
  }

  private grow(): void {
    const { keys, stamps } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.stamps = new Uint32Array(keys.length * 2);
    const mask = this.keys.length - 1;
    for (let old = 0; old < keys.length; old++) {
      if (stamps[old] !== this.round) continue;
      let slot = slotOf(keys[old], mask);
      while (this.stamps[slot] === this.round) slot = (slot + 1) & mask;
      this.stamps[slot] = this.round;
      this.keys[slot] = keys[old];
    }
  }
}

/** Mixes both code points of a key into the slot (a bigram's second alone would crowd one range). */
const slotOf = (key: number, mask: number) => (key ^ ((key / CODE_POINTS) * 40503)) & mask;

const seen = new KeySet();

/** The bigrams of `foldedText`'s CJK runs and the last character of each, each once (in order of first occurrence), space-separated; '' when it has none. */
export function shortTermTokens(foldedText: string): string {
  seen.clear();
  const tokens: string[] = [];
  // The run's current character: its code point (-1 outside a run) and where it starts.
  let previous = -1;
  let previousAt = 0;
  for (let at = 0; at < foldedText.length; ) {
    const codePoint = foldedText.codePointAt(at)!;
    const width = codePoint > 0xffff ? 2 : 1;
    if (isCjk(codePoint)) {
      if (previous !== -1 && seen.add(bigramKey(previous, codePoint))) tokens.push(foldedText.slice(previousAt, at + width));
      previous = codePoint;
      previousAt = at;
    } else if (previous !== -1) {
      if (seen.add(previous)) tokens.push(foldedText.slice(previousAt, at));
      previous = -1;
    }
    at += width;
  }
  if (previous !== -1 && seen.add(previous)) tokens.push(foldedText.slice(previousAt));
  return tokens.join(' ');
}

/** The short CJK terms as an FTS5 query (ANDed): a bigram as an FTS5 string, one character as its prefix query; null when there are none. */
export function shortTermQuery(terms: readonly string[]): string | null {
  const tokens = terms.filter(isShortCjkTerm);
  if (tokens.length === 0) return null;
  return tokens.map((token) => ([...token].length === 1 ? `"${token}"*` : `"${token}"`)).join(' AND ');
}
