import { describe, expect, it } from 'vitest';
import { keychainEncryptor } from './keychain.ts';

/** safeStorage's async API as Electron gives it, with the backend Linux picked. */
function fakeSafeStorage(backend: 'basic_text' | 'gnome_libsecret', available = true) {
  return {
    encryptStringAsync: async (text: string) => Buffer.from(`enc(${text})`),
    decryptStringAsync: async (data: Buffer) => ({ result: data.toString().replace(/^enc\((.*)\)$/, '$1'), shouldReEncrypt: false }),
    isAsyncEncryptionAvailable: async () => available,
    getSelectedStorageBackend: () => backend,
  };
}

describe('keychainEncryptor', () => {
  it("round-trips through safeStorage's async API", async () => {
    const encryptor = keychainEncryptor(fakeSafeStorage('gnome_libsecret'), 'linux');
    expect(await encryptor.decrypt(await encryptor.encrypt('s3cret'))).toBe('s3cret');
    expect(await encryptor.available()).toBe(true);
  });

  it("offers no keychain on Linux's basic_text backend (a password built into Chromium), nor where safeStorage has none", async () => {
    expect(await keychainEncryptor(fakeSafeStorage('basic_text'), 'linux').available()).toBe(false);
    expect(await keychainEncryptor(fakeSafeStorage('gnome_libsecret', false), 'linux').available()).toBe(false);
    // The backend is a Linux notion: elsewhere safeStorage's own answer stands.
    expect(await keychainEncryptor(fakeSafeStorage('basic_text'), 'darwin').available()).toBe(true);
  });
});
