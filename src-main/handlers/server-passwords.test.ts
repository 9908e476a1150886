import { describe, expect, it } from 'vitest';
import { withoutPassword } from './server-passwords.ts';

describe('withoutPassword', () => {
  it('takes the password out of the user info and the query, as libpq splits the URL, and leaves the rest as written', () => {
    expect(withoutPassword('postgresql://ana:p%40ss@db.example:5432/deerflow?schema=team&password=x&sslmode=require')).toBe(
      'postgresql://ana@db.example:5432/deerflow?schema=team&sslmode=require',
    );
    expect(withoutPassword('postgres://ana:s3cret@db.example/deerflow')).toBe('postgres://ana@db.example/deerflow');
    expect(withoutPassword('postgresql:///deerflow?password=x')).toBe('postgresql:///deerflow');
    expect(withoutPassword('postgresql://:s3cret@/deerflow?host=/run/postgresql')).toBe('postgresql://@/deerflow?host=/run/postgresql');
  });

  it('leaves a URL without a password unchanged, a + and %-escapes included', () => {
    for (const url of ['postgresql://ana@db.example:5432/deerflow', 'postgresql://db.example/deer%2Bflow?schema=a+b', 'postgresql://ana@[::1]:5432/deerflow']) {
      expect(withoutPassword(url)).toBe(url);
    }
  });
});
