// Values computed from a key's data, kept while the data's version is the
// one they were computed from.
export class VersionedCache<V> {
  private readonly entries = new Map<string, { version: string; value: V }>();

  get(key: string, version: string): V | undefined {
    const entry = this.entries.get(key);
    return entry?.version === version ? entry.value : undefined;
  }

  set(key: string, version: string, value: V): void {
    this.entries.set(key, { version, value });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every key not given (data that no longer exists). */
  keepOnly(keys: Iterable<string>): void {
    const kept = new Set(keys);
    for (const key of this.entries.keys()) if (!kept.has(key)) this.entries.delete(key);
  }
}
