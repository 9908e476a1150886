// libpq's password file as passwordFromFile reads it: fields, wildcards,
// escapes, first match wins, a file others may read is ignored, PGPASSFILE.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { passwordFromFile, type PasswordFileKey } from './password-file.ts';

const KEY: PasswordFileKey = { host: 'db.example', port: 5432, database: 'events', user: 'alice' };

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-pgpass-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

function writeFile(text: string, { name = '.pgpass', mode = 0o600 } = {}): string {
  const file = path.join(home, name);
  fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
  return file;
}

const lookUp = (key: Partial<PasswordFileKey> = {}, env: NodeJS.ProcessEnv = {}) => passwordFromFile({ ...KEY, ...key }, { env, homeDir: home });

describe('passwordFromFile', () => {
  it('finds the line for host, port, database and user', () => {
    writeFile('other:5432:events:alice:no\ndb.example:5432:events:alice:yes\n');
    expect(lookUp()).toBe('yes');
    expect(lookUp({ port: 5433 })).toBeUndefined();
    expect(lookUp({ database: 'other' })).toBeUndefined();
    expect(lookUp({ user: 'bob' })).toBeUndefined();
  });

  it('matches anything with *, in any field', () => {
    writeFile('*:*:*:bob:for-bob\ndb.example:*:events:*:any-port-any-user\n');
    expect(lookUp({ user: 'bob', host: 'anywhere', port: 1 })).toBe('for-bob');
    expect(lookUp({ port: 6543 })).toBe('any-port-any-user');
  });

  it('gives the first line that matches, not the most specific', () => {
    writeFile('*:*:*:*:wildcard\ndb.example:5432:events:alice:exact\n');
    expect(lookUp()).toBe('wildcard');
  });

  it('reads \\: and \\\\ as a colon and a backslash, in the key fields and the password', () => {
    writeFile('db.example:5432:we\\:ird:alice:pa\\:ss\\\\word:with:colons\n');
    expect(lookUp({ database: 'we:ird' })).toBe('pa:ss\\word:with:colons');
    // An escaped colon is not a field separator: this line's database is "events:x", not "events".
    writeFile('db.example:5432:events\\:x:alice:nope\n');
    expect(lookUp()).toBeUndefined();
  });

  it('skips comments, short lines and CRLF line ends', () => {
    writeFile('# db.example:5432:events:alice:commented\r\ndb.example:5432:events\r\ndb.example:5432:events:alice:found\r\n');
    expect(lookUp()).toBe('found');
  });

  it('takes a socket folder as localhost, as libpq does', () => {
    writeFile('localhost:5432:events:alice:local\n');
    expect(lookUp({ host: '/var/run/postgresql' })).toBe('local');
  });

  it.skipIf(process.platform === 'win32')('ignores a file that others may read or write, as libpq does', () => {
    for (const mode of [0o644, 0o640, 0o604, 0o620]) {
      writeFile('*:*:*:*:exposed\n', { mode });
      expect(lookUp(), mode.toString(8)).toBeUndefined();
    }
    writeFile('*:*:*:*:private\n', { mode: 0o400 });
    expect(lookUp()).toBe('private');
  });

  it('reads PGPASSFILE instead of ~/.pgpass when set, and nothing when neither exists', () => {
    writeFile('*:*:*:*:home-file\n');
    const other = writeFile('*:*:*:*:named-file\n', { name: 'elsewhere' });
    expect(lookUp({}, { PGPASSFILE: other })).toBe('named-file');
    expect(lookUp({}, { PGPASSFILE: path.join(home, 'missing') })).toBeUndefined();
    fs.rmSync(path.join(home, '.pgpass'));
    expect(lookUp()).toBeUndefined();
  });

  it('ignores a folder where the file should be', () => {
    fs.mkdirSync(path.join(home, '.pgpass'), { mode: 0o700 });
    expect(lookUp()).toBeUndefined();
  });
});
