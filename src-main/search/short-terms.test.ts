import { describe, expect, it } from 'vitest';
import { isShortCjkTerm, shortTermQuery, shortTermTokens } from './short-terms.ts';

describe('shortTermTokens', () => {
  it("gives each CJK run's bigrams and its last character once, never across other text", () => {
    expect(shortTermTokens('北美北美 ok 区').split(' ')).toEqual(['北美', '美北', '美', '区']);
  });

  it('counts kana, Hangul, ー and CJK punctuation in, code points not UTF-16 units', () => {
    expect(shortTermTokens('ラー。𠀋한')).toBe('ラー ー。 。𠀋 𠀋한 한');
  });

  it('gives each event every one of its tokens however many there are, whatever the events before it held', () => {
    const han = Array.from({ length: 3000 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
    const tokens = shortTermTokens(han + ' ' + han).split(' ');
    expect(tokens).toHaveLength(3000);
    expect(new Set(tokens).size).toBe(3000);
    expect(shortTermTokens('北美北美 ok 区')).toBe('北美 美北 美 区');
    expect(shortTermTokens('北美北美 ok 区')).toBe('北美 美北 美 区');
  });

  it('is empty for text with no CJK', () => {
    expect(shortTermTokens('rate limit, 😀 ab')).toBe('');
  });
});

describe('shortTermQuery', () => {
  it('ANDs a two-character CJK term as an FTS5 string, one character as its prefix query; longer terms and other scripts are not its', () => {
    expect(shortTermQuery(['北', 'ラー', '𠀋', '北美区', 'ab', 'a北', '😀'])).toBe('"北"* AND "ラー" AND "𠀋"*');
    expect(shortTermQuery(['ab', '北美区'])).toBeNull();
  });

  it('asks for what shortTermTokens writes for every text holding the term: the bigram, or a token starting with the character', () => {
    const tokens = shortTermTokens('x北美区ラー。y').split(' ');
    for (const term of ['美区', 'ー。']) {
      expect(isShortCjkTerm(term)).toBe(true);
      expect(tokens).toContain(term);
    }
    for (const character of ['北', '区', '。']) {
      expect(isShortCjkTerm(character)).toBe(true);
      expect(tokens.some((token) => token.startsWith(character))).toBe(true);
    }
  });
});
