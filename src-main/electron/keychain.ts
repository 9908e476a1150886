// The OS keychain as saved-passwords.ts takes it: Electron's safeStorage
// (its async API; the sync one is deprecated since Electron 45). Given the
// module, not imported, so it is testable without Electron.
import type { SafeStorage } from 'electron';
import type { Encryptor } from '../handlers/saved-passwords.ts';

type SafeStorageApi = Pick<SafeStorage, 'encryptStringAsync' | 'decryptStringAsync' | 'isAsyncEncryptionAvailable' | 'getSelectedStorageBackend'>;

export function keychainEncryptor(safeStorage: SafeStorageApi, platform: NodeJS.Platform = process.platform): Encryptor {
  return {
    encrypt: (text) => safeStorage.encryptStringAsync(text),
    decrypt: async (data) => (await safeStorage.decryptStringAsync(data)).result,
    available: async () => {
      if (!(await safeStorage.isAsyncEncryptionAvailable())) return false;
      // Linux without a secret service encrypts with a password written into Chromium itself: no keychain at all.
      return platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
    },
  };
}
