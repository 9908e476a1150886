import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadWindowState, saveWindowState } from './window-state.ts';

let dir: string;
let file: string;
const screen = { x: 0, y: 0, width: 1920, height: 1080 };

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'window-state-'));
  file = path.join(dir, 'nested', 'window-state.json');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('window state', () => {
  it('starts centred with no file', () => {
    expect(loadWindowState(file, [screen])).toEqual({ bounds: null, maximized: false });
  });

  it('round-trips size, position and maximized', () => {
    const state = { bounds: { x: 100, y: 80, width: 1200, height: 800 }, maximized: true };
    saveWindowState(file, state);
    expect(loadWindowState(file, [screen])).toEqual(state);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(state);
  });

  it('forgets a position that is no longer on any display', () => {
    saveWindowState(file, { bounds: { x: 2000, y: 100, width: 1200, height: 800 }, maximized: false });
    expect(loadWindowState(file, [screen])).toEqual({ bounds: null, maximized: false });
    const second = { x: 1920, y: 0, width: 1920, height: 1080 };
    expect(loadWindowState(file, [screen, second]).bounds).toEqual({ x: 2000, y: 100, width: 1200, height: 800 });
  });

  it('forgets sizes below the minimum', () => {
    saveWindowState(file, { bounds: { x: 0, y: 0, width: 10, height: 10 }, maximized: false });
    expect(loadWindowState(file, [screen]).bounds).toBeNull();
  });

  it('treats a damaged file as a first launch', () => {
    saveWindowState(file, { bounds: null, maximized: false });
    for (const text of ['{', '[]', '{"bounds": {"x": "a"}, "maximized": false}', '']) {
      writeFileSync(file, text);
      expect(loadWindowState(file, [screen])).toEqual({ bounds: null, maximized: false });
    }
  });
});
