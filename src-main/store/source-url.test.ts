import { describe, expect, it } from 'vitest';
import { isPostgresUrl, isSourceUrl, refuseSourceUrl, shownUrl, sourcePath } from './source-url.ts';

describe('URL sources', () => {
  it('tells a URL from a path, a Windows drive and a file name with a colon', () => {
    for (const url of ['postgres://h/db', 'postgresql://u@h:5432/db?schema=s', 'https://example.com/x', 'file:///tmp/x.db']) expect(isSourceUrl(url), url).toBe(true);
    for (const path of ['runs.db', '/tmp/postgresql:/db', 'C:\\\\runs.db', './a:b', 'threads']) expect(isSourceUrl(path), path).toBe(false);
  });

  it('never shows a password', () => {
    expect(shownUrl('postgresql://ana:s3cret@db.example:5432/deerflow?schema=team')).toBe('postgresql://ana:***@db.example:5432/deerflow?schema=team');
    expect(shownUrl('postgresql://ana@db.example/deerflow')).toBe('postgresql://ana@db.example/deerflow');
    // Written unescaped, a / or an @ is still the password's; a password= parameter too.
    expect(shownUrl('postgresql://ana:se/cr@et@db.example/deerflow?x=a@b')).toBe('postgresql://ana:***@db.example/deerflow?x=a@b');
    expect(shownUrl('ftp://ana:se/cret@h/x.db')).toBe('ftp://ana:***@h/x.db');
    expect(shownUrl('postgresql://db.example/deerflow?user=ana&password=s3cret&schema=t')).toBe('postgresql://db.example/deerflow?user=ana&password=***&schema=t');
  });

  it('tells a PostgreSQL URL by its scheme, in any case', () => {
    for (const url of ['postgres://h/db', 'POSTGRESQL://u@h/db']) expect(isPostgresUrl(url), url).toBe(true);
    for (const other of ['https://h/db', 'postgresql:/h/db', '/tmp/postgresql:/db', 'pg://h/db']) expect(isPostgresUrl(other), other).toBe(false);
  });

  it('refuses any other scheme, as a SOURCE error that leaves out the password', () => {
    const refused = () => refuseSourceUrl('ftp://ana:s3cret@h/x.db');
    expect(refused).toThrow(expect.objectContaining({ code: 'SOURCE', message: expect.stringContaining('ftp:// is not a source this app opens') }));
    expect(refused).not.toThrow(/s3cret/);
  });

  it('makes a path absolute, keeps a PostgreSQL URL as it is and refuses another URL', () => {
    expect(sourcePath('runs.db', (p) => `/here/${p}`)).toBe('/here/runs.db');
    expect(sourcePath('postgresql://h/db?schema=s', (p) => `/here/${p}`)).toBe('postgresql://h/db?schema=s');
    expect(() => sourcePath('https://h/db', (p) => p)).toThrow(/https:\/\/ is not a source/);
  });
});
