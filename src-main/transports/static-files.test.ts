import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveStaticFile, staticFile } from './static-files.ts';

let dir: string;
let renderer: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'static-files-'));
  renderer = path.join(dir, 'renderer');
  mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Run Inspector</title>');
  writeFileSync(path.join(renderer, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'secret.txt'), 'secret');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const text = (body: Uint8Array) => new TextDecoder().decode(body);

describe('resolveStaticFile', () => {
  it('maps URL paths into the folder, / to its index.html', () => {
    expect(resolveStaticFile('/', renderer)).toBe(path.join(renderer, 'index.html'));
    expect(resolveStaticFile('/index.html', renderer)).toBe(path.join(renderer, 'index.html'));
    expect(resolveStaticFile('/assets/index-abc.js', renderer)).toBe(path.join(renderer, 'assets', 'index-abc.js'));
    expect(resolveStaticFile('//assets/index-abc.js', renderer)).toBe(path.join(renderer, 'assets', 'index-abc.js'));
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e%5csecret.txt', '/%00', '/%E0%A4%A'])('refuses %s', (pathname) => {
    expect(resolveStaticFile(pathname, renderer)).toBeNull();
  });
});

describe('staticFile', () => {
  it('answers a file with its type', async () => {
    const page = await staticFile('/', renderer);
    expect([page.status, page.contentType]).toEqual([200, 'text/html; charset=utf-8']);
    expect(text(page.body)).toContain('Run Inspector');
    const script = await staticFile('/assets/index-abc.js', renderer);
    expect([script.status, script.contentType, text(script.body)]).toEqual([200, 'text/javascript; charset=utf-8', 'console.log(1)']);
  });

  it('answers 404 outside the folder, for missing files and unknown types', async () => {
    writeFileSync(path.join(renderer, 'notes.exe'), 'MZ');
    for (const pathname of ['/../secret.txt', '/missing.js', '/notes.exe', '/assets']) {
      const answer = await staticFile(pathname, renderer);
      expect(answer.status, pathname).toBe(404);
      expect(text(answer.body), pathname).toBe('Not found');
    }
  });

  it('says to build the page when the folder has no index.html', async () => {
    const bare = path.join(dir, 'not-built');
    for (const pathname of ['/', '/index.html']) {
      const answer = await staticFile(pathname, bare);
      expect([answer.status, answer.contentType]).toEqual([200, 'text/html; charset=utf-8']);
      expect(text(answer.body)).toContain('npm run build');
    }
    expect((await staticFile('/assets/index-abc.js', bare)).status).toBe(404);
  });
});
