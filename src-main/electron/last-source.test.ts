import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { launchSource, saveLastSource } from './last-source.ts';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'last-source-'));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('launchSource', () => {
  it('is null (the sample) on a first launch with no argument', () => {
    expect(launchSource(null, dir)).toBeNull();
  });

  it('prefers the command line', () => {
    saveLastSource(dir, path.join(dir, 'last.db'));
    expect(launchSource('/data/given.db', dir)).toBe('/data/given.db');
  });

  it('reopens the last source while it exists', () => {
    const last = path.join(dir, 'last.db');
    saveLastSource(dir, last);
    expect(launchSource(null, dir)).toBeNull();
    writeFileSync(last, '');
    expect(launchSource(null, dir)).toBe(last);
  });

  it('ignores a damaged file', () => {
    writeFileSync(path.join(dir, 'last-source.json'), '{"path": 3}');
    expect(launchSource(null, dir)).toBeNull();
  });
});
