import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Encryptor, SavedPasswords } from './saved-passwords.ts';

/** A stand-in for the OS keychain: a reversible byte scramble under a key, so the file's text is not the password. */
function fakeKeychain(key = 7) {
  const state = { available: true, decryptFails: false };
  const scramble = (bytes: Buffer) => Buffer.from(bytes.map((byte) => byte ^ key));
  const encryptor: Encryptor = {
    encrypt: async (text) => Buffer.concat([Buffer.from('sealed:'), scramble(Buffer.from(text, 'utf8'))]),
    decrypt: async (data) => {
      if (state.decryptFails || !data.subarray(0, 7).equals(Buffer.from('sealed:'))) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return scramble(data.subarray(7)).toString('utf8');
    },
    available: async () => state.available,
  };
  return { encryptor, state };
}

const server = 'postgresql://ana@db.example:5432/deerflow';
const other = 'postgresql://ana@db.example:5432/deerflow?schema=team';

describe('SavedPasswords', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-saved-passwords-'));
    file = path.join(dir, 'saved-passwords.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps each password encrypted under its display URL, readable by a later session; the file never holds one in the clear', async () => {
    const { encryptor } = fakeKeychain();
    const saved = new SavedPasswords(file, encryptor);
    expect(await saved.set(server, 'pa55-wörd')).toBe(true);
    expect(await saved.set(other, 'other-secret')).toBe(true);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain('pa55');
    expect(text).not.toContain('other-secret');
    expect(Object.keys(JSON.parse(text).passwords)).toEqual([server, other]);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o077).toBe(0);
    const later = new SavedPasswords(file, encryptor);
    expect(await later.get(server)).toBe('pa55-wörd');
    expect(await later.get(other)).toBe('other-secret');
    expect(await later.get('postgresql://bo@db.example:5432/deerflow')).toBeUndefined();
  });

  it('forgets one source on request, and all of them', async () => {
    const saved = new SavedPasswords(file, fakeKeychain().encryptor);
    await saved.set(server, 'one');
    await saved.set(other, 'two');
    await saved.forget(server);
    expect(await saved.get(server)).toBeUndefined();
    expect(await saved.get(other)).toBe('two');
    await saved.clear();
    expect(await saved.get(other)).toBeUndefined();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('saves nothing and reads nothing without a keychain', async () => {
    const { encryptor, state } = fakeKeychain();
    const saved = new SavedPasswords(file, encryptor);
    await saved.set(server, 'kept before');
    state.available = false;
    expect(await saved.available()).toBe(false);
    expect(await saved.set(other, 'not kept')).toBe(false);
    expect(await saved.get(server)).toBeUndefined();
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).passwords)).toEqual([server]);
  });

  it('takes a damaged or foreign file for an empty one, and replaces it on the next save', async () => {
    const { encryptor } = fakeKeychain();
    for (const damaged of ['{"version": 1, "passwords": ', '[]', '{"version": 2, "passwords": {}}', '\u0000\u0001binary']) {
      fs.writeFileSync(file, damaged);
      const saved = new SavedPasswords(file, encryptor);
      expect(await saved.get(server)).toBeUndefined();
      expect(await saved.set(server, 'fresh')).toBe(true);
      expect(await new SavedPasswords(file, encryptor).get(server)).toBe('fresh');
    }
  });

  it('drops a password the keychain cannot decrypt (another machine, a reset keychain), keeping the others', async () => {
    await new SavedPasswords(file, fakeKeychain(7).encryptor).set(server, 'from elsewhere');
    const saved = new SavedPasswords(file, fakeKeychain(7).encryptor);
    await saved.set(other, 'fine');
    const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    raw.passwords[server] = Buffer.from('not sealed by this keychain').toString('base64');
    fs.writeFileSync(file, JSON.stringify(raw));
    expect(await saved.get(server)).toBeUndefined();
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).passwords)).toEqual([other]);
    expect(await saved.get(other)).toBe('fine');
  });
});
