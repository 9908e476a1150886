import { describe, expect, it } from 'vitest';
import { collapseWhitespace, foldCase, matchesAll, matchRanges, MAX_SNIPPET_LENGTH, parseQuery, snippetAround } from './search-query.ts';

describe('parseQuery', () => {
  it('splits on whitespace, keeps a quoted phrase as one term, folds case and drops repeats', () => {
    expect(parseQuery('  Rate "Limit  Exceeded"   429 rate ')).toEqual(['rate', 'limit exceeded', '429']);
  });
  it('has no terms for blanks and empty quotes; an unclosed quote runs to the end', () => {
    expect(parseQuery('   ')).toEqual([]);
    expect(parseQuery('""')).toEqual([]);
    expect(parseQuery('"tool call')).toEqual(['tool call']);
  });
  it('collapses any whitespace inside a phrase (tabs, newlines, no-break spaces) to one space', () => {
    expect(parseQuery('"rate\t\tlimit\n exceeded" "a\u00a0b"')).toEqual(['rate limit exceeded', 'a b']);
  });
  it('keeps CJK terms of one and two characters', () => {
    expect(parseQuery('北美 市')).toEqual(['北美', '市']);
  });
});

describe('collapseWhitespace', () => {
  it('makes each run of whitespace one space and leaves single spaces as they are', () => {
    expect(collapseWhitespace('a  b\tc\r\nd \u3000e f')).toBe('a b c d e f');
    const spaced = 'already spaced singly';
    expect(collapseWhitespace(spaced)).toBe(spaced);
  });
});

describe('foldCase', () => {
  it('folds Latin, Greek and Cyrillic, final sigma and long s included, and keeps every index', () => {
    expect(foldCase('ÄBC ΟΔΥΣΣΕΥΣ Ὀδυσσεύς МОСКВА ſ')).toBe('äbc οδυσσευσ ὀδυσσεύσ москва s');
    const text = 'İstanbul ΣΑΣ 東京 😀';
    expect(foldCase(text)).toHaveLength(text.length);
  });

  it('makes the simple folds lowercasing misses: symbol variants, micro sign, iota subscripts, old Cyrillic variants', () => {
    const variants = 'µ ϐϑϕϖϰϱϵ \u0345\u1fbe ẛ ᲀᲁᲂᲃᲄᲅᲆᲇᲈ';
    const folded = 'μ βθφπκρε ιι ṡ вдосттъѣꙋ';
    expect(foldCase(variants)).toBe(folded);
    expect(foldCase(variants.toUpperCase())).toBe(folded);
    // The same folds where a lowercase of another length sends the text down the character-by-character path.
    expect(foldCase(`İ ${variants}`)).toBe(`İ ${folded}`);
  });

  it('folds a text with a character whose lowercase is longer (İ) as it folds each of its parts', () => {
    expect(foldCase('İSTANBUL ΣΑΣ')).toBe(`İ${foldCase('STANBUL ΣΑΣ')}`);
    expect(foldCase('ΣΑΣ')).toBe('σασ');
  });
});

describe('matchesAll', () => {
  it('needs every term as a substring', () => {
    const text = foldCase('The API answered 429: Rate limit exceeded (北美区)');
    expect(matchesAll(text, parseQuery('rate 429'))).toBe(true);
    expect(matchesAll(text, parseQuery('"limit exceeded" 北美'))).toBe(true);
    expect(matchesAll(text, parseQuery('"exceeded limit"'))).toBe(false);
    expect(matchesAll(text, parseQuery('rate 500'))).toBe(false);
    expect(matchesAll(text, [])).toBe(false);
  });
});

describe('matchRanges', () => {
  it('finds every occurrence of every term, merged where they overlap', () => {
    expect(matchRanges('Rate rate RATE', ['rate'])).toEqual([
      [0, 4],
      [5, 9],
      [10, 14],
    ]);
    expect(matchRanges('abcdef', ['bcd', 'cde'])).toEqual([[1, 5]]);
  });
});

describe('snippetAround', () => {
  it('returns short text whole, on one line', () => {
    expect(snippetAround('line one\nline  two', ['two'])).toBe('line one line two');
  });
  it('cuts long text around the first match, which it contains', () => {
    const text = `${'a'.repeat(2000)} the NEEDLE here ${'b'.repeat(2000)}`;
    const snippet = snippetAround(text, ['needle']);
    expect(snippet.length).toBeLessThanOrEqual(MAX_SNIPPET_LENGTH);
    expect(snippet).toContain('NEEDLE');
    expect(snippet.startsWith('…') && snippet.endsWith('…')).toBe(true);
  });
  it('finds a match near the end and never splits a surrogate pair', () => {
    const text = `${'😀'.repeat(400)}end`;
    const snippet = snippetAround(text, ['end']);
    expect(snippet.endsWith('end')).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(MAX_SNIPPET_LENGTH);
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(snippet)).toBe(false);
  });
});
