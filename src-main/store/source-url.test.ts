import { describe, expect, it } from 'vitest';
import { isSourceUrl, refuseSourceUrl, shownUrl, sourcePath } from './source-url.ts';

describe('URL sources', () => {
  it('tells a URL from a path, a Windows drive and a file name with a colon', () => {
    for (const url of ['postgres://h/db', 'postgresql://u@h:5432/db?schema=s', 'https://example.com/x', 'file:///tmp/x.db']) expect(isSourceUrl(url), url).toBe(true);
    for (const path of ['runs.db', '/tmp/postgresql:/db', 'C:\\\\runs.db', './a:b', 'threads']) expect(isSourceUrl(path), path).toBe(false);
  });

  it('never shows a password', () => {
    expect(shownUrl('postgresql://ana:s3cret@db.example:5432/deerflow?schema=team')).toBe('postgresql://ana:***@db.example:5432/deerflow?schema=team');
    expect(shownUrl('postgresql://ana@db.example/deerflow')).toBe('postgresql://ana@db.example/deerflow');
  });

  it('refuses PostgreSQL for now and any other scheme for good, as SOURCE errors', () => {
    expect(() => refuseSourceUrl('postgres://ana:s3cret@h/db')).toThrow(expect.objectContaining({ code: 'SOURCE', message: expect.stringContaining('PostgreSQL sources cannot be opened') }));
    expect(() => refuseSourceUrl('ftp://h/x.db')).toThrow(expect.objectContaining({ code: 'SOURCE', message: expect.stringContaining('ftp:// is not a source this app opens') }));
  });

  it('makes a path absolute and a URL an error', () => {
    expect(sourcePath('runs.db', (p) => `/here/${p}`)).toBe('/here/runs.db');
    expect(() => sourcePath('postgresql://h/db', (p) => p)).toThrow(/PostgreSQL/);
  });
});
