// PostgreSQL passwords the user chose to remember (issue 13): each encrypted
// by the OS keychain (Electron's safeStorage in the desktop app, injected
// here so this runs and is tested under plain Node), kept in a file of its
// own in the user data folder, keyed by the source's display URL. The file
// never holds a password in the clear; the recent-sources file never holds
// one at all.
import { rmSync } from 'node:fs';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from '../electron/json-file.ts';

/** What the OS keychain offers: safeStorage's async API (the sync one is deprecated since Electron 45). */
export interface Encryptor {
  encrypt(text: string): Promise<Buffer>;
  decrypt(data: Buffer): Promise<string>;
  /** False when there is no keychain to protect the key (then nothing is saved). */
  available(): Promise<boolean>;
}

const savedPasswordsSchema = z.strictObject({
  version: z.literal(1),
  /** Display URL → the encrypted password, base64. */
  passwords: z.record(z.string(), z.string()),
});
type SavedFile = z.infer<typeof savedPasswordsSchema>;

export class SavedPasswords {
  private readonly file: string;
  private readonly encryptor: Encryptor;

  constructor(file: string, encryptor: Encryptor) {
    this.file = file;
    this.encryptor = encryptor;
  }

  /** Whether remembering is offered: only with a keychain to encrypt with. */
  available(): Promise<boolean> {
    return this.encryptor.available();
  }

  /** The password remembered for `displayUrl`; undefined when there is none or it cannot be decrypted (another machine's file, a reset keychain). */
  async get(displayUrl: string): Promise<string | undefined> {
    const sealed = this.read().passwords[displayUrl];
    if (sealed === undefined || !(await this.available())) return undefined;
    try {
      return await this.encryptor.decrypt(Buffer.from(sealed, 'base64'));
    } catch {
      // Unreadable for good: dropped, so the prompt's answer can take its place.
      await this.forget(displayUrl);
      return undefined;
    }
  }

  /** Remembers `password` for `displayUrl`; false (and nothing written) without a keychain. */
  async set(displayUrl: string, password: string): Promise<boolean> {
    if (!(await this.available())) return false;
    const sealed = (await this.encryptor.encrypt(password)).toString('base64');
    const saved = this.read();
    this.write({ ...saved, passwords: { ...saved.passwords, [displayUrl]: sealed } });
    return true;
  }

  async forget(displayUrl: string): Promise<void> {
    const saved = this.read();
    if (!Object.hasOwn(saved.passwords, displayUrl)) return;
    const { [displayUrl]: _gone, ...rest } = saved.passwords;
    this.write({ ...saved, passwords: rest });
  }

  async clear(): Promise<void> {
    rmSync(this.file, { force: true });
  }

  /** A missing, damaged or hand-edited file is an empty one: it only costs the remembered passwords. */
  private read(): SavedFile {
    return readJsonFile(this.file, savedPasswordsSchema) ?? { version: 1, passwords: {} };
  }

  private write(saved: SavedFile): void {
    // Encrypted already; still nobody else's to read.
    writeJsonFile(this.file, saved, { mode: 0o600 });
  }
}
