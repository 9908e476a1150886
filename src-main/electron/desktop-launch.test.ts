import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildOutputs, electronBinary, electronUnavailableReason, isBuildStale } from './desktop-launch.ts';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'desktop-launch-'));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function touch(relative: string, seconds: number): void {
  const file = path.join(dir, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '');
  utimesSync(file, seconds, seconds);
}

describe('isBuildStale', () => {
  beforeEach(() => {
    touch('package.json', 1000);
    touch('src-main/store/memory-store.ts', 1000);
    touch('src-renderer/index.html', 1000);
  });

  it('is stale while any output is missing', () => {
    expect(isBuildStale(dir)).toBe(true);
    for (const output of buildOutputs.slice(1)) touch(output, 2000);
    expect(isBuildStale(dir)).toBe(true);
  });

  it('is current when every output is newer than every source', () => {
    for (const output of buildOutputs) touch(output, 2000);
    expect(isBuildStale(dir)).toBe(false);
  });

  it('is stale after a source changes, but not after a test changes', () => {
    for (const output of buildOutputs) touch(output, 2000);
    touch('src-main/store/memory-store.test.ts', 3000);
    touch('src-renderer/threads/list.spec.tsx', 3000);
    expect(isBuildStale(dir)).toBe(false);
    touch('src-shared/contract.ts', 3000);
    expect(isBuildStale(dir)).toBe(true);
  });
});

describe('electronBinary', () => {
  it('is null when the package has not downloaded its binary', () => {
    expect(electronBinary(dir, {})).toBeNull();
    writeFileSync(path.join(dir, 'path.txt'), 'electron');
    expect(electronBinary(dir, {})).toBeNull();
  });

  it('is the file path.txt names under dist/', () => {
    writeFileSync(path.join(dir, 'path.txt'), 'electron');
    touch('dist/electron', 1000);
    expect(electronBinary(dir, {})).toBe(path.join(dir, 'dist', 'electron'));
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH as the package does', () => {
    touch('elsewhere/electron', 1000);
    expect(electronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: path.join(dir, 'elsewhere') })).toBe(path.join(dir, 'elsewhere', 'electron'));
  });
});

describe('electronUnavailableReason', () => {
  const ready = { binary: '/e/electron', platform: 'linux' as const, env: { DISPLAY: ':0' }, uid: 1000 };

  it('is null where the window can open', () => {
    expect(electronUnavailableReason(ready)).toBeNull();
    expect(electronUnavailableReason({ ...ready, env: { WAYLAND_DISPLAY: 'wayland-0' } })).toBeNull();
    expect(electronUnavailableReason({ ...ready, platform: 'darwin', env: {}, uid: 0 })).toBeNull();
  });

  it('names the missing binary, the missing display, or root', () => {
    expect(electronUnavailableReason({ ...ready, binary: null })).toMatch(/^Electron's binary is not installed/);
    expect(electronUnavailableReason({ ...ready, env: {} })).toMatch(/no display/);
    expect(electronUnavailableReason({ ...ready, uid: 0 })).toMatch(/root/);
  });

  it('is one line', () => {
    for (const reason of [electronUnavailableReason({ ...ready, binary: null }), electronUnavailableReason({ ...ready, env: {} })]) {
      expect(reason).not.toContain('\n');
    }
  });
});
