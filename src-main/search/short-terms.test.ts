import { describe, expect, it } from 'vitest';
import { isShortCjkTerm, shortTermQuery, shortTermTokens } from './short-terms.ts';

describe('shortTermTokens', () => {
  it("gives each CJK run's unigrams and bigrams once, never across other text", () => {
    expect(shortTermTokens('北美北美 ok 区').split(' ')).toEqual(['北', '美', '北美', '美北', '区']);
  });

  it('counts kana, Hangul, ー and CJK punctuation in, code points not UTF-16 units', () => {
    expect(shortTermTokens('ラー。𠀋한')).toBe('ラ ー ラー 。 ー。 𠀋 。𠀋 한 𠀋한');
  });

  it('is empty for text with no CJK', () => {
    expect(shortTermTokens('rate limit, 😀 ab')).toBe('');
  });
});

describe('shortTermQuery', () => {
  it('ANDs the one- and two-character CJK terms as FTS5 strings; longer terms and other scripts are not its', () => {
    expect(shortTermQuery(['北', 'ラー', '北美区', 'ab', 'a北', '😀'])).toBe('"北" AND "ラー"');
    expect(shortTermQuery(['ab', '北美区'])).toBeNull();
  });

  it('asks for a token shortTermTokens writes for every text holding the term', () => {
    for (const term of ['北', '美区', 'ー。']) {
      expect(isShortCjkTerm(term)).toBe(true);
      expect(shortTermTokens(`x北美区ラー。y`).split(' ')).toContain(term);
    }
  });
});
