import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../src-shared/search-query.ts';
import { fromFirstMatch, highlightPieces } from './highlight.ts';

const pieces = (text: string, query: string) => highlightPieces(text, parseQuery(query));

describe('highlightPieces', () => {
  it('wraps every occurrence of every term, case-insensitively, keeping the original text', () => {
    expect(pieces('Milvus beats milvus? MILVUS and Qdrant', 'milvus qdrant')).toEqual([
      { text: 'Milvus', match: true },
      { text: ' beats ', match: false },
      { text: 'milvus', match: true },
      { text: '? ', match: false },
      { text: 'MILVUS', match: true },
      { text: ' and ', match: false },
      { text: 'Qdrant', match: true },
    ]);
  });

  it('merges overlapping terms into one match and handles CJK and a phrase', () => {
    expect(pieces('分析新能源汽车销量', '新能源 能源汽车')).toEqual([
      { text: '分析', match: false },
      { text: '新能源汽车', match: true },
      { text: '销量', match: false },
    ]);
    expect(pieces('a KV cache hit', '"kv cache"')).toEqual([
      { text: 'a ', match: false },
      { text: 'KV cache', match: true },
      { text: ' hit', match: false },
    ]);
  });

  it('gives the whole text as one plain piece when nothing matches, and nothing for empty text', () => {
    expect(pieces('<b>not markup</b>', 'absent')).toEqual([{ text: '<b>not markup</b>', match: false }]);
    expect(pieces('', 'x')).toEqual([]);
  });

  it('a match at both ends leaves no empty pieces', () => {
    expect(pieces('abc xyz abc', 'abc')).toEqual([
      { text: 'abc', match: true },
      { text: ' xyz ', match: false },
      { text: 'abc', match: true },
    ]);
  });
});

describe('fromFirstMatch', () => {
  const terms = parseQuery('needle');

  it('keeps a snippet whose first match is near its start', () => {
    expect(fromFirstMatch('some hay then Needle', terms, 20)).toBe('some hay then Needle');
    expect(fromFirstMatch('no match at all here', terms, 2)).toBe('no match at all here');
  });

  it('starts a few characters before a later first match, marking the cut', () => {
    expect(fromFirstMatch(`${'x'.repeat(50)}abc needle end`, terms, 4)).toBe('…abc needle end');
  });

  it('never splits a surrogate pair at the cut', () => {
    const text = `${'x'.repeat(20)}😀ab needle`;
    // 4 before "needle" lands inside the emoji (2 UTF-16 units before "ab ").
    expect(fromFirstMatch(text, terms, 4)).toBe('…ab needle');
    expect(fromFirstMatch(text, terms, 5)).toBe('…😀ab needle');
  });
});
